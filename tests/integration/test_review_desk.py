"""The review desk with in-memory surfaces and channels: the lifecycle, once, on both stores.

A conversation-style harness: ``desk.receive(...)`` is the customer writing, ``surface.cards``
is what the review chat shows, ``act(...)`` is a reviewer's click, ``channel.sent`` is what the
customer received. The platform adapters have their own end-to-end tests against fake servers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import AppConfig, Reviewers
from bot.domain import Analysis, DraftStatus, InboundMessage, ReviewAction
from bot.drafting.replier import Replier, ReplyRequest
from bot.nlp.analyser import Analyser
from bot.review.cards import CardRef, Notice, NoticeKind, ReviewCard, ReviewerAction
from bot.review.desk import ReviewDesk
from bot.review.fakes import MemoryChannel, MemorySurface
from bot.review.outbox import OutboxSender, Pacer
from bot.review.payloads import message_to_json
from bot.review.ports import DeliveryFailed
from bot.store import NewWork, Store
from bot.wording import notice_text, status_line, summary_line
from tests.waiting import wait_until

REVIEWER = "U_REVIEWER"
ZONE = ZoneInfo("America/Toronto")


def no_pacing() -> Pacer:
    return Pacer(per_chat={}, overall={})


def last(surface: MemorySurface) -> tuple[CardRef, ReviewCard]:
    """The newest card on ``surface`` and where it is."""
    message_id = max(surface.cards, key=lambda m: int(m.removeprefix("card-")))
    return CardRef(surface.platform, surface.chat_id, message_id), surface.cards[message_id]


def make_desk(store: Store, config: AppConfig, analyser: Analyser) -> ReviewDesk:
    outbox = OutboxSender(store=store, pacer=no_pacing())
    return ReviewDesk(
        config=config, store=store, replier=Replier(config, analyser=analyser), outbox=outbox
    )


@pytest.fixture
def desk_config(app_config: AppConfig) -> AppConfig:
    review = app_config.review.model_copy(update={"reviewers": Reviewers(slack=(REVIEWER,))})
    return app_config.model_copy(update={"review": review})


@pytest.fixture
async def desk(
    store: Store, desk_config: AppConfig, analyser: Analyser
) -> AsyncIterator[ReviewDesk]:
    desk = make_desk(store, desk_config, analyser)
    await desk.start()
    try:
        yield desk
    finally:
        await desk.stop()
        desk.close()


@pytest.fixture
def surface(desk: ReviewDesk) -> MemorySurface:
    surface = MemorySurface("slack", chat_id="C_DESK")
    desk.add_surface(surface)
    return surface


@pytest.fixture
def channel(desk: ReviewDesk) -> MemoryChannel:
    channel = MemoryChannel("telegram")
    desk.outbox.add_channel(channel)
    return channel


def says(text: str, *, customer: str = "42", message_id: str | None = None) -> InboundMessage:
    return InboundMessage(
        platform="telegram",
        conversation_id=customer,
        customer_id=customer,
        customer_name="Julie Tremblay",
        text=text,
        platform_message_id=message_id,
    )


def click(
    action: ReviewAction, card: ReviewCard, *, who: str = REVIEWER, **extra: object
) -> ReviewerAction:
    return ReviewerAction(
        action=action,
        platform="slack",
        reviewer_id=who,
        reviewer_name="Léa",
        draft_id=card.draft_id,
        **extra,  # type: ignore[arg-type]
    )


async def test_a_complaint_gets_a_card_and_the_approved_reply_reaches_the_customer_once(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel
) -> None:
    outcome = await desk.receive(
        says(
            "Je suis vraiment déçue, ma commande 88123 est arrivée brisée. C'est inacceptable!",
            message_id="7",
        ),
        event_id="u1",
    )
    assert not outcome.duplicate
    assert len(outcome.refs) == 1
    ref, card = last(surface)
    assert card.intent == "complaint"
    assert not card.promotional
    assert "88123" in summary_line(card.analysis)
    assert card.status is DraftStatus.PENDING
    assert card.customer_name == "Julie Tremblay"
    assert card.variants >= 1

    first = await desk.act(click(ReviewAction.SEND, card))
    second = await desk.act(click(ReviewAction.SEND, card))
    assert first.applied
    assert not second.applied
    assert second.notice is not None
    assert second.notice.kind is NoticeKind.NOT_PENDING
    assert second.notice.refusal is not None
    assert second.notice.refusal.status is DraftStatus.SENT
    assert second.notice.refusal.by == "Léa"  # the name of who sent it, not the platform id
    assert "Léa" in notice_text(second.notice, ZONE)
    await wait_until(lambda: len(channel.sent) == 1)
    address, text = channel.sent[0].address, channel.sent[0].text
    assert text == card.draft_text
    assert address.conversation_id == "42"
    assert address.reply_to_message_id == "7"
    shown = surface.cards[ref.message_id]
    assert shown.decided
    assert shown.status is DraftStatus.SENT
    line = status_line(shown, ZONE)
    assert line is not None
    assert "Léa" in line
    # The outbox row is closed: nothing is left that could send it again.
    await wait_until(lambda: desk.store.outbox_counts() == {"delivered": 1})
    assert len(channel.sent) == 1


async def test_the_same_event_three_times_is_one_card(
    desk: ReviewDesk, surface: MemorySurface
) -> None:
    outcomes = [
        await desk.receive(says("Bonjour, où est ma commande 5512?"), event_id="same")
        for _ in range(3)
    ]
    assert [o.duplicate for o in outcomes] == [False, True, True]
    assert len(surface.cards) == 1


async def test_someone_not_on_the_list_cannot_act(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel
) -> None:
    await desk.receive(says("Hi, is the espresso machine in stock?"), event_id="e1")
    _, card = last(surface)
    outcome = await desk.act(click(ReviewAction.SEND, card, who="U_STRANGER"))
    assert not outcome.applied
    assert outcome.notice is not None
    assert outcome.notice.kind is NoticeKind.NOT_REVIEWER
    assert "reviewers" in notice_text(outcome.notice, ZONE)
    assert (await desk.card_for_draft(card.draft_id)).status is DraftStatus.PENDING  # type: ignore[union-attr]
    assert desk.store.outbox_counts() == {}  # nothing was queued, so nothing can be sent
    assert channel.sent == []


async def test_edit_sends_the_reviewers_text_and_discard_sends_nothing(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel
) -> None:
    await desk.receive(says("I was charged twice for order 8812", customer="1"), event_id="a")
    _, edited = last(surface)
    await desk.receive(says("bonjour", customer="2"), event_id="b")
    _, dropped = last(surface)
    assert (
        await desk.act(click(ReviewAction.EDIT, edited, edited_text="Refund done, sorry!"))
    ).applied
    assert (await desk.act(click(ReviewAction.DISCARD, dropped))).applied
    await wait_until(lambda: len(channel.sent) == 1)
    assert channel.sent[0].text == "Refund done, sorry!"
    assert (await desk.card_for_draft(dropped.draft_id)).status is DraftStatus.DISCARDED  # type: ignore[union-attr]


async def test_another_version_then_fix_intent(desk: ReviewDesk, surface: MemorySurface) -> None:
    await desk.receive(says("Merci beaucoup, super service!"), event_id="t")
    ref, card = last(surface)
    assert card.variants >= 2
    assert card.versions[0].draft_id == card.draft_id
    outcome = await desk.act(click(ReviewAction.VARIANT, card))
    assert outcome.applied
    assert outcome.card is not None
    assert outcome.card.variant == 2
    assert outcome.card.draft_id != card.draft_id
    assert surface.cards[ref.message_id].draft_id == outcome.card.draft_id

    fixed = await desk.act(click(ReviewAction.FIX_INTENT, outcome.card, intent="complaint"))
    assert fixed.applied
    assert fixed.card is not None
    assert fixed.card.intent == "complaint"
    assert not fixed.card.promotional
    assert surface.cards[ref.message_id].intent == "complaint"
    assert len(surface.cards) == 1  # the same card, updated in place
    bad = await desk.act(click(ReviewAction.FIX_INTENT, fixed.card, intent="nonsense"))
    assert not bad.applied
    assert bad.notice is not None
    assert bad.notice.kind is NoticeKind.UNKNOWN_INTENT
    assert "nonsense" in notice_text(bad.notice, ZONE)


async def test_a_new_message_supersedes_the_pending_card(
    desk: ReviewDesk, surface: MemorySurface
) -> None:
    await desk.receive(says("Bonjour", message_id="1"), event_id="m1")
    old_ref, old = last(surface)
    await desk.receive(says("ma commande 4471 n'est pas arrivée", message_id="2"), event_id="m2")
    new_ref, new = last(surface)
    assert new_ref != old_ref
    assert new.intent == "order_status"
    assert surface.cards[old_ref.message_id].status is DraftStatus.SUPERSEDED
    assert status_line(surface.cards[old_ref.message_id], ZONE)
    refused = await desk.act(click(ReviewAction.SEND, old))
    assert not refused.applied


async def test_an_edited_message_updates_its_card_in_place(
    desk: ReviewDesk, surface: MemorySurface
) -> None:
    await desk.receive(says("bonjour", message_id="9"), event_id="v1")
    await desk.receive(
        says("bonjour, ma commande 7781 est en retard", message_id="9"), event_id="v2"
    )
    assert len(surface.cards) == 1
    _, card = last(surface)
    assert card.intent == "order_status"
    assert "7781" in summary_line(card.analysis)


async def test_a_429_is_retried_when_the_platform_says_and_delivered_once(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel
) -> None:
    channel.fail_next(DeliveryFailed("Too Many Requests", retry_after=0.3), RuntimeError("502"))
    desk.outbox._max_backoff = 0.2
    await desk.receive(says("where is my order 1234?"), event_id="r")
    _, card = last(surface)
    assert (await desk.act(click(ReviewAction.SEND, card))).applied
    await wait_until(lambda: desk.store.outbox_counts() == {"delivered": 1})
    assert len(channel.sent) == 1


async def test_a_permanent_refusal_is_recorded_not_retried(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel, store: Store
) -> None:
    channel.fail_next(DeliveryFailed("chat not found", permanent=True))
    await desk.receive(says("hello"), event_id="p")
    _, card = last(surface)
    result = await desk.act(click(ReviewAction.SEND, card))
    assert result.applied
    await wait_until(lambda: store.outbox_counts().get("failed") == 1)
    assert channel.sent == []


async def test_replies_approved_before_a_stop_are_delivered_after_the_restart(
    store: Store, desk_config: AppConfig, analyser: Analyser
) -> None:
    first = make_desk(store, desk_config, analyser)
    surface = MemorySurface("slack", chat_id="C_DESK")
    first.add_surface(surface)  # no customer channel: the reply cannot go out yet
    await first.receive(says("my order 5555 never came"), event_id="k")
    _, card = last(surface)
    assert (await first.act(click(ReviewAction.SEND, card))).applied
    first.close()  # stopped without ever starting its sender: as if killed

    second = make_desk(store, desk_config, analyser)
    channel = MemoryChannel("telegram")
    second.outbox.add_channel(channel)
    await second.start()
    try:
        await wait_until(lambda: len(channel.sent) == 1)
        assert channel.sent[0].text == card.draft_text
    finally:
        await second.stop()
        second.close()


async def test_a_lease_left_by_a_dead_sender_is_taken_over(
    desk: ReviewDesk, surface: MemorySurface, store: Store
) -> None:
    await desk.receive(says("hello, order 9090?"), event_id="l")
    _, card = last(surface)
    await desk.stop()  # nobody sends while the test takes the row like a sender that then dies
    assert (await desk.act(click(ReviewAction.SEND, card))).applied
    taken = store.claim_outbox(lease=timedelta(seconds=60))
    assert len(taken) == 1
    assert store.claim_outbox(lease=timedelta(seconds=60)) == []  # leased: nobody else
    later = datetime.now(UTC) + timedelta(seconds=61)
    again = store.claim_outbox(now=later, lease=timedelta(seconds=60))
    assert [item.id for item in again] == [taken[0].id]
    assert again[0].attempts == 2


async def test_a_desk_that_refused_the_card_gets_it_from_the_sweep(
    desk: ReviewDesk, surface: MemorySurface
) -> None:
    surface.fail_next(DeliveryFailed("desk unavailable"))
    outcome = await desk.receive(says("bonjour, vous livrez en Belgique?"), event_id="s")
    assert outcome.refs == ()
    assert surface.cards == {}
    assert await desk.sweep() == 0  # it may still be on its way: not yet
    assert await desk.sweep(now=datetime.now(UTC) + timedelta(minutes=2)) == 1
    assert len(surface.cards) == 1


async def test_a_draft_nobody_decided_on_expires_and_its_card_says_so(
    desk: ReviewDesk, surface: MemorySurface
) -> None:
    await desk.receive(says("bonjour, vous ouvrez à quelle heure?"), event_id="x")
    ref, card = last(surface)
    assert await desk.sweep() == 0  # young drafts stay
    later = datetime.now(UTC) + timedelta(hours=desk.config.review.expire_after_hours + 1)
    assert await desk.sweep(now=later) == 1
    expired = surface.cards[ref.message_id]
    assert expired.status is DraftStatus.EXPIRED
    assert expired.decided
    line = status_line(expired, ZONE)
    assert line is not None
    assert "Expired" in line
    assert not (await desk.act(click(ReviewAction.SEND, card))).applied


async def test_work_a_dead_process_left_gets_its_cards_and_one_bad_message_blocks_none(
    desk: ReviewDesk, surface: MemorySurface, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stored and acknowledged, claimed by a process that died before drafting them.
    for customer, text in (
        ("7", "cette phrase fait planter le brouillon"),
        ("8", "où est ma commande 6612?"),
    ):
        message = says(text, customer=customer)
        work = NewWork(
            lane="inbound",
            platform=message.platform,
            payload=message_to_json(message),
            conversation_key=f"telegram:{customer}",
        )
        desk.store.enqueue(work, claimed_by="dead-process", lease=timedelta(0))
    draft = desk.replier.draft

    def fragile(request: ReplyRequest, analysis: Analysis, **kwargs: object) -> object:
        if "planter" in request.text:
            raise RuntimeError("a bug in drafting")
        return draft(request, analysis, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(desk.replier, "draft", fragile)
    desk.inbound.wake()
    await wait_until(lambda: len(surface.cards) == 1, what="the card of the good message")
    _, card = last(surface)
    assert card.intent == "order_status"
    assert "6612" in summary_line(card.analysis)
    # The bad one waits to be tried again, with the reason kept for the operator.
    await wait_until(lambda: desk.store.work_counts().get("inbound") == 1)
    assert len(surface.cards) == 1


async def test_a_burst_from_one_customer_gets_one_card_that_reads_it_all(
    desk: ReviewDesk, surface: MemorySurface
) -> None:
    await desk.stop()  # stored while no worker runs: the burst waits in the queue together
    for i, text in enumerate(("bonjour", "ma commande 7781", "est en retard, vous pouvez voir?")):
        assert await desk.accept(says(text, message_id=str(i)), event_id=f"burst-{i}")
    await desk.start()
    await wait_until(lambda: desk.store.work_counts() == {}, what="the burst to be done")
    assert len(surface.cards) == 1
    (card,) = surface.cards.values()
    assert card.status is DraftStatus.PENDING
    assert card.message_text == "est en retard, vous pouvez voir?"
    assert "7781" in summary_line(card.analysis)  # the draft read the earlier messages too


async def test_the_leaders_sweep_erases_what_is_older_than_the_retention_period(
    store: Store, desk_config: AppConfig, analyser: Analyser
) -> None:
    privacy = desk_config.privacy.model_copy(update={"retention_days": 30})
    desk = make_desk(store, desk_config.model_copy(update={"privacy": privacy}), analyser)
    await desk.start()
    try:
        await desk.receive(says("Bonjour, où est ma commande 5512?", customer="77"))
        assert store.export_customer("telegram", "77") is not None
        await desk.sweep(now=datetime.now(UTC) + timedelta(days=10))
        assert store.export_customer("telegram", "77") is not None  # younger than 30 days
        await desk.sweep(now=datetime.now(UTC) + timedelta(days=31))
        assert store.export_customer("telegram", "77") is None  # every row about them is gone
    finally:
        await desk.stop()
        desk.close()


# --- decisions bound to the version the reviewer saw ------------------------------------------


def react(action: ReviewAction, ref: CardRef, *, who: str = REVIEWER) -> ReviewerAction:
    """A reaction on the card message at ``ref``: it names the message, not a draft."""
    return ReviewerAction(
        action=action, platform="slack", reviewer_id=who, reviewer_name="Léa", card=ref
    )


async def test_a_send_on_the_version_before_another_version_is_refused(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel
) -> None:
    await desk.receive(says("Merci beaucoup, super service!"), event_id="seen-1")
    ref, first = last(surface)
    switched = await desk.act(click(ReviewAction.VARIANT, first))
    assert switched.applied

    # ✅ still carrying version 1, pressed on a copy that had not caught up.
    stale = await desk.act(click(ReviewAction.SEND, first))

    assert not stale.applied
    assert stale.notice is not None
    assert stale.notice.kind is NoticeKind.DRAFT_CHANGED
    assert notice_text(stale.notice, ZONE).startswith("The draft changed: look again")
    assert stale.card is not None
    assert stale.card.draft_id != first.draft_id
    assert stale.card.status is DraftStatus.PENDING
    assert desk.store.outbox_counts() == {}  # nothing queued: nothing can be sent
    assert (await desk.card_for_draft(first.draft_id)).draft_id == stale.card.draft_id  # type: ignore[union-attr]
    # The version on the card now is the one that can be sent.
    shown = surface.cards[ref.message_id]
    assert (await desk.act(click(ReviewAction.SEND, shown))).applied
    await wait_until(lambda: len(channel.sent) == 1)
    assert channel.sent[0].text == shown.draft_text != first.draft_text


def test_the_draft_changed_notice_is_worded_in_french_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLIQUE_LANG", "fr")
    text = notice_text(Notice(NoticeKind.DRAFT_CHANGED), ZONE)
    assert text.startswith("Le brouillon a changé : relisez-le")


async def test_a_send_on_the_draft_an_intent_fix_replaced_is_refused(
    desk: ReviewDesk, surface: MemorySurface
) -> None:
    await desk.receive(says("I want a refund, the mug arrived broken"), event_id="seen-2")
    _, before = last(surface)
    fixed = await desk.act(click(ReviewAction.FIX_INTENT, before, intent="complaint"))
    assert fixed.applied

    for action in (ReviewAction.SEND, ReviewAction.DISCARD, ReviewAction.VARIANT):
        stale = await desk.act(click(action, before))
        assert not stale.applied
        assert stale.notice is not None
        assert stale.notice.kind is NoticeKind.DRAFT_CHANGED
    assert desk.store.outbox_counts() == {}
    assert fixed.card is not None
    now = await desk.card_for_draft(fixed.card.draft_id)
    assert now is not None
    assert (now.draft_id, now.status) == (fixed.card.draft_id, DraftStatus.PENDING)


async def test_a_reaction_acts_on_the_version_its_message_shows(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel
) -> None:
    await desk.receive(says("Merci beaucoup, super service!"), event_id="seen-3")
    ref, first = last(surface)
    switched = await desk.act(click(ReviewAction.VARIANT, first))
    assert switched.card is not None
    assert surface.cards[ref.message_id].draft_id == switched.card.draft_id  # updated

    assert (await desk.act(react(ReviewAction.SEND, ref))).applied

    await wait_until(lambda: len(channel.sent) == 1)
    assert channel.sent[0].text == switched.card.draft_text


async def test_a_reaction_on_a_message_the_update_did_not_reach_is_refused(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel
) -> None:
    await desk.receive(says("Merci beaucoup, super service!"), event_id="seen-4")
    ref, first = last(surface)
    surface.fail_next(DeliveryFailed("chat.update failed"))
    switched = await desk.act(click(ReviewAction.VARIANT, first))
    assert switched.applied
    assert switched.card is not None
    assert surface.cards[ref.message_id].draft_id == first.draft_id  # still the old version

    refused = await desk.act(react(ReviewAction.SEND, ref))

    assert not refused.applied
    assert refused.notice is not None
    assert refused.notice.kind is NoticeKind.DRAFT_CHANGED
    assert desk.store.outbox_counts() == {}
    # The refusal showed the card as it is on the copy that had missed the update.
    assert surface.cards[ref.message_id].draft_id == switched.card.draft_id
    assert refused.refs == (ref,)
    assert (await desk.act(react(ReviewAction.SEND, ref))).applied
    await wait_until(lambda: len(channel.sent) == 1)
    assert channel.sent[0].text == switched.card.draft_text


class HeldSurface(MemorySurface):
    """A surface whose card updates wait until the test lets them through."""

    def __init__(self) -> None:
        super().__init__("slack", chat_id="C_DESK")
        self.updating = asyncio.Event()
        self.release = asyncio.Event()

    async def update_card(self, ref: CardRef, card: ReviewCard) -> None:
        self.updating.set()
        await self.release.wait()
        await super().update_card(ref, card)


async def test_a_reaction_while_the_message_is_being_updated_is_refused(
    desk: ReviewDesk, channel: MemoryChannel
) -> None:
    surface = HeldSurface()
    desk.add_surface(surface)
    await desk.receive(says("Merci beaucoup, super service!"), event_id="seen-5")
    ref, first = last(surface)

    switching = asyncio.create_task(desk.act(click(ReviewAction.VARIANT, first)))
    await asyncio.wait_for(surface.updating.wait(), timeout=10)
    # The store shows version 2; the platform message still shows version 1.
    reacting = asyncio.create_task(desk.act(react(ReviewAction.SEND, ref)))
    await asyncio.sleep(0.2)
    surface.release.set()
    switched, refused = await asyncio.gather(switching, reacting)

    assert switched.applied
    assert not refused.applied
    assert refused.notice is not None
    assert refused.notice.kind is NoticeKind.DRAFT_CHANGED
    assert desk.store.outbox_counts() == {}
    assert channel.sent == []


async def test_a_customer_edit_of_an_answered_message_gets_a_new_card(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel
) -> None:
    await desk.receive(says("bonjour", message_id="31"), event_id="seen-6")
    old_ref, asked = last(surface)
    assert (await desk.act(click(ReviewAction.SEND, asked))).applied
    await wait_until(lambda: len(channel.sent) == 1)
    decided = surface.cards[old_ref.message_id]
    updates = len(surface.shown)

    await desk.receive(
        says("bonjour, ma commande 7781 est en retard", message_id="31"), event_id="seen-7"
    )

    new_ref, fresh = last(surface)
    assert new_ref != old_ref
    assert fresh.card_id != asked.card_id
    assert fresh.status is DraftStatus.PENDING
    assert "7781" in summary_line(fresh.analysis)
    # The decided card was left exactly as it was: not updated, not reopened.
    assert surface.cards[old_ref.message_id] == decided
    assert surface.shown[updates:] == [fresh]
    still = await desk.card_for_draft(asked.draft_id)
    assert still is not None
    assert (still.card_id, still.status) == (asked.card_id, DraftStatus.SENT)
    # Acting on the old card changes nothing; the new card is decided on its own.
    for action in (click(ReviewAction.SEND, asked), react(ReviewAction.SEND, old_ref)):
        refused = await desk.act(action)
        assert not refused.applied
        assert refused.notice is not None
        assert refused.notice.kind is NoticeKind.NOT_PENDING
    assert (await desk.act(react(ReviewAction.SEND, new_ref))).applied
    await wait_until(lambda: len(channel.sent) == 2)
    assert channel.sent[1].text == fresh.draft_text


async def test_a_version_listed_beside_the_shown_one_can_be_sent_from_the_console(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel
) -> None:
    await desk.receive(says("Merci beaucoup, super service!"), event_id="seen-8")
    ref, card = last(surface)
    second = card.versions[1]
    picked = ReviewerAction(
        action=ReviewAction.SEND,
        platform="slack",
        reviewer_id=REVIEWER,
        draft_id=second.draft_id,
        shown_draft_id=card.draft_id,
    )

    outcome = await desk.act(picked)

    assert outcome.applied
    assert outcome.card is not None
    assert (outcome.card.draft_id, outcome.card.status) == (second.draft_id, DraftStatus.SENT)
    assert surface.cards[ref.message_id].draft_id == second.draft_id
    await wait_until(lambda: len(channel.sent) == 1)
    assert channel.sent[0].text == second.text
