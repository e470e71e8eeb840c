"""One path through the core: the same message gets the same answer from ``replique draft`` and
from the desk, and the customer rules (greeting once, answering two messages together, an
opt-out that counts at once, a reviewer's intent) hold on both stores."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.config import AppConfig, Reviewers
from bot.domain import DraftStatus, InboundMessage, ReviewAction
from bot.drafting.replier import Replier
from bot.drafting.session import DraftRequest, DraftSession
from bot.nlp.analyser import Analyser
from bot.review.cards import ReviewCard, ReviewerAction
from bot.review.desk import ReviewDesk
from bot.review.fakes import MemoryChannel, MemorySurface
from bot.review.outbox import OutboxSender, Pacer
from bot.store import Store
from tests.waiting import wait_until

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)


def says(
    text: str, *, msg_id: str, customer: str = "u1", conversation: str = "chat-1"
) -> InboundMessage:
    return InboundMessage(
        platform="telegram",
        conversation_id=conversation,
        customer_id=customer,
        customer_name="Julie Tremblay",
        text=text,
        platform_message_id=msg_id,
        received_at=NOW,
    )


@pytest.fixture
async def desk(
    store: Store, app_config: AppConfig, analyser: Analyser
) -> AsyncIterator[tuple[ReviewDesk, MemorySurface, MemoryChannel]]:
    review = app_config.review.model_copy(update={"reviewers": Reviewers(telegram=(111,))})
    config = app_config.model_copy(update={"review": review})
    outbox = OutboxSender(store=store, pacer=Pacer(per_chat={}, overall={}))
    desk = ReviewDesk(
        config=config, store=store, replier=Replier(config, analyser=analyser), outbox=outbox
    )
    surface, channel = MemorySurface("telegram"), MemoryChannel("telegram")
    desk.add_surface(surface)
    outbox.add_channel(channel)
    await desk.start()
    try:
        yield desk, surface, channel
    finally:
        await desk.stop()
        desk.close()


def send(card: ReviewCard, *, draft_id: int | None = None) -> ReviewerAction:
    return ReviewerAction(
        action=ReviewAction.SEND,
        platform="telegram",
        reviewer_id="111",
        draft_id=draft_id or card.draft_id,
    )


async def test_the_desk_and_replique_draft_answer_a_first_message_alike(
    desk: tuple[ReviewDesk, MemorySurface, MemoryChannel], session: DraftSession
) -> None:
    service, _, _ = desk
    text = "Bonjour, où en est ma commande #4821 ? Je suis inquiète"
    received = await service.receive(says(text, msg_id="1"))
    assert received.card is not None
    drafted = DraftSession(session.config, replier=session.replier).draft_many(
        [DraftRequest(text, customer_name="Julie Tremblay", channel="telegram")], now=NOW
    )[0]
    assert received.card.analysis.intent == drafted.analysis.intent
    assert received.card.analysis.sentiment == drafted.analysis.sentiment
    assert [v.text for v in received.card.versions] == [d.text for d in drafted.result.drafts]
    assert [v.why for v in received.card.versions] == [d.why for d in drafted.result.drafts]


async def test_greeted_once_then_sent_once(
    desk: tuple[ReviewDesk, MemorySurface, MemoryChannel],
) -> None:
    service, _, channel = desk
    first = await service.receive(says("Bonjour, où en est ma commande #4821 ?", msg_id="1"))
    assert first.card is not None
    assert first.card.intent == "order_status"
    assert first.card.draft_text.startswith("Bonjour Julie")
    assert (await service.act(send(first.card))).applied
    assert not (await service.act(send(first.card))).applied
    await wait_until(lambda: len(channel.sent) == 1)
    assert "4821" in channel.sent[0].text
    for version in first.card.versions[1:]:
        stored = service.store.get_draft(version.draft_id)
        assert stored is not None
        assert stored.status == DraftStatus.SUPERSEDED

    # A reply went out in this conversation: the next one does not greet again.
    later = await service.receive(says("merci! et vous ouvrez a quelle heure samedi?", msg_id="2"))
    assert later.card is not None
    assert not later.card.draft_text.startswith("Bonjour")


async def test_a_new_message_is_drafted_together_with_the_unanswered_one(
    desk: tuple[ReviewDesk, MemorySurface, MemoryChannel],
) -> None:
    service, _, _ = desk
    first = await service.receive(says("ma commande 10023 est toujours pas arrivée", msg_id="a"))
    second = await service.receive(says("??? allo", msg_id="b"))
    assert first.card is not None
    assert second.card is not None
    assert second.card.intent in {"order_status", "complaint"}
    assert any(e.value == "10023" for e in second.card.analysis.entities)
    for version in first.card.versions:
        old = service.store.get_draft(version.draft_id)
        assert old is not None
        assert old.status == DraftStatus.SUPERSEDED


async def test_an_opt_out_counts_at_once_and_for_later_messages(
    desk: tuple[ReviewDesk, MemorySurface, MemoryChannel],
) -> None:
    service, _, _ = desk
    stop = await service.receive(says("STOP, plus de promos svp", msg_id="s", customer="u9"))
    assert stop.card is not None
    assert stop.card.intent == "opt_out"
    assert not any(v.promotional for v in stop.card.versions)
    thanks = await service.receive(
        says("merci beaucoup, le café est excellent!", msg_id="t", customer="u9")
    )
    assert thanks.card is not None
    assert not any(v.promotional for v in thanks.card.versions)
    held = thanks.card.why.held_offer
    assert held is not None
    assert held.policy == "offer.opted_out"


async def test_the_same_customer_in_replique_draft_follows_the_same_rules(
    session: DraftSession,
) -> None:
    fresh = DraftSession(session.config, replier=session.replier)
    stop, thanks = fresh.draft_many(
        [
            DraftRequest("STOP, plus de promos svp", customer_id="u9"),
            DraftRequest("merci beaucoup, le café est excellent!", customer_id="u9"),
        ]
    )
    assert stop.analysis.intent.name == "opt_out"
    assert thanks.result.drafts
    assert not any(d.promotional for d in thanks.result.drafts)
    assert thanks.result.offer.policy == "offer.opted_out"


def test_a_batch_answers_as_one_message_at_a_time_would(session: DraftSession) -> None:
    # The second message of each customer gives little evidence of its language: the first one,
    # drafted earlier in the same batch, decides it.
    requests = [
        DraftRequest("Bonjour, où en est ma commande #4821 ?", customer_id="a"),
        DraftRequest("Hi, where is my order #4822?", customer_id="b"),
        DraftRequest("ok 4821", customer_id="a"),
        DraftRequest("ok 4822", customer_id="b"),
        DraftRequest("Merci beaucoup, le café est excellent !", customer_id="a"),
    ]
    batch = DraftSession(session.config, replier=session.replier).draft_many(requests, now=NOW)
    one_by_one = DraftSession(session.config, replier=session.replier)
    alone = [one_by_one.draft_many([r], now=NOW)[0] for r in requests]
    assert [d.analysis for d in batch] == [d.analysis for d in alone]
    assert [[x.text for x in d.result.drafts] for d in batch] == [
        [x.text for x in d.result.drafts] for d in alone
    ]
    assert batch[2].analysis.language == "fr"
    assert batch[3].analysis.language == "en"
