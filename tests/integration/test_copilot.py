"""The copilot over a real store: a conversation from customer message to reviewer decision."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Copilot
from bot.config import AppConfig
from bot.domain import DraftStatus, InboundMessage, ReviewAction
from bot.nlp.analyser import Analyser
from bot.store import Store

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


def test_message_to_sent_reply(store: Store, app_config: AppConfig, analyser: Analyser) -> None:
    copilot = Copilot(config=app_config, store=store, analyser=analyser)
    handled = copilot.handle(says("Bonjour, où en est ma commande #4821 ?", msg_id="1"), now=NOW)
    assert handled.analysis.intent.name == "order_status"
    assert len(handled.draft_ids) == len(handled.result.drafts) >= 1
    first = handled.draft_ids[0]

    decided = copilot.decide(first, action=ReviewAction.SEND, reviewer="telegram:111")
    assert decided.applied
    assert decided.draft is not None
    assert decided.draft.status == DraftStatus.SENT
    assert "4821" in (decided.draft.final_text or "")
    twice = copilot.decide(first, action=ReviewAction.SEND, reviewer="telegram:222")
    assert not twice.applied
    for other in handled.draft_ids[1:]:
        stored = store.get_draft(other)
        assert stored is not None
        assert stored.status == DraftStatus.SUPERSEDED

    # The customer was greeted once; the next reply in this conversation does not greet again.
    later = copilot.handle(
        says("merci! et vous ouvrez a quelle heure samedi?", msg_id="2"), now=NOW
    )
    assert later.profile.greeted
    assert not later.result.drafts[0].text.startswith("Bonjour")


def test_new_message_supersedes_pending_draft_and_sees_both(
    store: Store, app_config: AppConfig, analyser: Analyser
) -> None:
    copilot = Copilot(config=app_config, store=store, analyser=analyser)
    first = copilot.handle(says("ma commande 10023 est toujours pas arrivée", msg_id="a"), now=NOW)
    second = copilot.handle(says("??? allo", msg_id="b"), now=NOW)
    assert set(second.superseded_ids) == set(first.draft_ids)
    assert second.analysis.intent.name in {"order_status", "complaint"}
    assert any(e.value == "10023" for e in second.analysis.entities)
    for draft_id in first.draft_ids:
        old = store.get_draft(draft_id)
        assert old is not None
        assert old.status == DraftStatus.SUPERSEDED


def test_opt_out_is_recorded_and_blocks_offers(
    store: Store, app_config: AppConfig, analyser: Analyser
) -> None:
    copilot = Copilot(config=app_config, store=store, analyser=analyser)
    stop = copilot.handle(says("STOP, plus de promos svp", msg_id="s", customer="u9"), now=NOW)
    assert stop.analysis.intent.name == "opt_out"
    assert store.profile(stop.recorded.customer_pk).opted_out
    assert not any(d.promotional for d in stop.result.drafts)
    thanks = copilot.handle(
        says("merci beaucoup, le café est excellent!", msg_id="t", customer="u9"), now=NOW
    )
    assert thanks.result.drafts
    assert not any(d.promotional for d in thanks.result.drafts)
    assert thanks.result.offer.reason == "customer opted out"
