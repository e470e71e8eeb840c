"""The store on a real SQLite file and a real PostgreSQL server (see tests/conftest.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, func, inspect, make_url, select, text

from bot.domain import (
    Analysis,
    Draft,
    DraftStatus,
    Entity,
    InboundMessage,
    IntentScore,
    ReviewAction,
)
from bot.errors import StoreError
from bot.store import Store, StoredDraft, alembic_config
from bot.store.migrate import upgrade
from bot.store.models import AnalysisRow, Base, DecisionRow, MessageRow

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
TABLES = {
    "analyses",
    "conversations",
    "customers",
    "decisions",
    "drafts",
    "intent_corrections",
    "messages",
    "processed_events",
}


def inbound(text: str = "Bonjour", **overrides: Any) -> InboundMessage:
    values: dict[str, Any] = {
        "platform": "telegram",
        "conversation_id": "chat-1",
        "customer_id": "111",
        "text": text,
        "customer_name": "Camille",
    }
    values.update(overrides)
    return InboundMessage(**values)


def analysis(intent: str, confidence: float = 0.9) -> Analysis:
    return Analysis(
        language="fr",
        language_confidence=0.98,
        intent=IntentScore(intent, confidence),
        alternatives=(IntentScore("other", 0.05),),
        sentiment="neutral",
        sentiment_confidence=0.7,
        entities=(Entity("PRODUCT", "moka", 3, 7, value="Moka"),),
        formality="vous",
    )


def drafts(*texts: str, promotional: bool = False) -> list[Draft]:
    return [
        Draft(text=t, template=f"t{i}", promotional=promotional, why="because", rank=i)
        for i, t in enumerate(texts, start=1)
    ]


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    """A plain engine on the test database, to look behind the store's back."""
    url = make_url(store_url)
    if url.get_backend_name() == "sqlite" and url.database:
        # Store.open creates the folder; tests that migrate by hand come before it.
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    plain = create_engine(url)
    yield plain
    plain.dispose()


def count(engine: Engine, model: type[Base], *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def conversation_with_drafts(
    store: Store, *texts: str, promotional: bool = False
) -> tuple[int, int, list[int]]:
    recorded = store.record_inbound(inbound())
    saved = store.save_drafts(
        conversation_pk=recorded.conversation_pk,
        message_pk=recorded.message_pk,
        drafts=drafts(*texts, promotional=promotional),
    )
    return recorded.customer_pk, recorded.conversation_pk, list(saved.draft_ids)


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same instant; return results in call order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


# -- migrations ----------------------------------------------------------------------------------


def test_migrations_from_empty_match_the_models(engine: Engine) -> None:
    with engine.begin() as conn:
        assert not set(inspect(conn).get_table_names()) & TABLES
        upgrade(conn)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= TABLES
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert context.get_current_revision() == head == "0002"


def test_migrations_downgrade_to_base_and_up_again(engine: Engine) -> None:
    with engine.begin() as conn:
        upgrade(conn)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    with engine.connect() as conn:
        assert not set(inspect(conn).get_table_names()) & TABLES
    with engine.begin() as conn:
        upgrade(conn)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_open_migrates_once_and_reopens(store_url: str) -> None:
    with Store.open(store_url) as first:
        recorded = first.record_inbound(inbound())
    with Store.open(store_url) as second:
        assert second.profile(recorded.customer_pk).name == "Camille"


# -- customers, conversations, messages ----------------------------------------------------------


def test_record_inbound_creates_customer_and_conversation(store: Store, engine: Engine) -> None:
    recorded = store.record_inbound(inbound("Bonjour", platform_message_id="1"))
    assert not recorded.edited
    profile = store.profile(recorded.customer_pk, conversation_pk=recorded.conversation_pk)
    assert profile.customer_id == "111"
    assert profile.name == "Camille"
    assert profile.language is None
    assert not profile.opted_out
    assert profile.last_offer_at is None
    assert profile.past_intents == ()
    assert not profile.greeted
    assert profile.earlier_messages == ()
    assert count(engine, MessageRow) == 1


def test_second_message_reuses_customer_and_conversation(store: Store, engine: Engine) -> None:
    first = store.record_inbound(inbound("Bonjour", platform_message_id="1"))
    second = store.record_inbound(
        inbound("Vous êtes là ?", platform_message_id="2", customer_name=None)
    )
    assert (second.customer_pk, second.conversation_pk) == (
        first.customer_pk,
        first.conversation_pk,
    )
    assert second.message_pk != first.message_pk
    assert not second.edited
    # A message without a name keeps the known one; a new name replaces it.
    assert store.profile(first.customer_pk).name == "Camille"
    store.record_inbound(inbound("Re", platform_message_id="3", customer_name="Camille D."))
    assert store.profile(first.customer_pk).name == "Camille D."
    assert count(engine, MessageRow) == 3


def test_threads_and_platforms_keep_conversations_apart(store: Store) -> None:
    plain = store.record_inbound(inbound(platform="slack", conversation_id="C1"))
    thread_a = store.record_inbound(
        inbound(platform="slack", conversation_id="C1", thread_id="1.1")
    )
    thread_b = store.record_inbound(
        inbound(platform="slack", conversation_id="C1", thread_id="2.2")
    )
    again = store.record_inbound(inbound(platform="slack", conversation_id="C1", thread_id="1.1"))
    no_thread_again = store.record_inbound(inbound(platform="slack", conversation_id="C1"))
    telegram = store.record_inbound(inbound(platform="telegram", conversation_id="C1"))
    conversations = {plain.conversation_pk, thread_a.conversation_pk, thread_b.conversation_pk}
    assert len(conversations) == 3
    assert again.conversation_pk == thread_a.conversation_pk
    assert no_thread_again.conversation_pk == plain.conversation_pk
    assert telegram.conversation_pk not in conversations
    # The same user id on another platform is another person.
    assert telegram.customer_pk != plain.customer_pk


def test_edited_message_updates_instead_of_inserting(store: Store, engine: Engine) -> None:
    original = store.record_inbound(inbound("Je veux un moka", platform_message_id="42"))
    store.record_inbound(inbound("Et un latte", platform_message_id="43"))
    edited = store.record_inbound(inbound("Je veux deux mokas", platform_message_id="42"))
    assert edited.edited
    assert edited.message_pk == original.message_pk
    assert count(engine, MessageRow) == 2
    with engine.connect() as conn:
        row = conn.execute(
            select(MessageRow.text, MessageRow.edited_at).where(
                MessageRow.id == original.message_pk
            )
        ).one()
    assert row.text == "Je veux deux mokas"
    assert row.edited_at is not None
    profile = store.profile(original.customer_pk, conversation_pk=original.conversation_pk)
    assert profile.earlier_messages == ("Je veux deux mokas",)


def test_messages_without_platform_id_are_never_merged(store: Store, engine: Engine) -> None:
    first = store.record_inbound(inbound("Salut"))
    second = store.record_inbound(inbound("Salut"))
    assert first.message_pk != second.message_pk
    assert not second.edited
    assert count(engine, MessageRow) == 2


def test_record_outbound_is_idempotent_per_platform_message(store: Store, engine: Engine) -> None:
    recorded = store.record_inbound(inbound())
    first = store.record_outbound(
        recorded.conversation_pk, text="Bonjour !", platform_message_id="9"
    )
    again = store.record_outbound(
        recorded.conversation_pk, text="Bonjour !", platform_message_id="9"
    )
    other = store.record_outbound(recorded.conversation_pk, text="Autre", at=T0)
    assert first == again != other
    assert count(engine, MessageRow, MessageRow.direction == "outbound") == 2
    with pytest.raises(LookupError):
        store.record_outbound(999_999, text="nobody")


# -- profile ---------------------------------------------------------------------------------------


def test_profile_greeted_only_once_a_reply_went_out(store: Store) -> None:
    customer, conversation, ids = conversation_with_drafts(store, "Bonjour !", "Salut !")
    assert not store.profile(customer, conversation_pk=conversation).greeted
    store.decide(ids[1], action=ReviewAction.DISCARD, reviewer="console")
    assert not store.profile(customer, conversation_pk=conversation).greeted
    store.decide(ids[0], action=ReviewAction.SEND, reviewer="console")
    assert store.profile(customer, conversation_pk=conversation).greeted
    # Without a conversation there is nothing to have been greeted in.
    assert not store.profile(customer).greeted


def test_profile_greeted_after_an_edited_draft_or_an_outbound_message(store: Store) -> None:
    customer, conversation, ids = conversation_with_drafts(store, "Bonjour !")
    store.decide(ids[0], action=ReviewAction.EDIT, reviewer="console", edited_text="Bonsoir !")
    assert store.profile(customer, conversation_pk=conversation).greeted

    other = store.record_inbound(inbound(conversation_id="chat-2"))
    assert not store.profile(other.customer_pk, conversation_pk=other.conversation_pk).greeted
    store.record_outbound(other.conversation_pk, text="Bonjour")
    assert store.profile(other.customer_pk, conversation_pk=other.conversation_pk).greeted


def test_profile_earlier_messages_oldest_first_without_the_newest(store: Store) -> None:
    texts = [f"message {i}" for i in range(8)]
    recorded = None
    # Delivered out of order: the store orders by received_at, not by arrival.
    for i in [0, 2, 1, 3, 4, 5, 7, 6]:
        recorded = store.record_inbound(
            inbound(texts[i], received_at=T0 + timedelta(minutes=i), platform_message_id=str(i))
        )
    assert recorded is not None
    store.record_outbound(recorded.conversation_pk, text="a reply is not a customer message")
    profile = store.profile(recorded.customer_pk, conversation_pk=recorded.conversation_pk)
    assert profile.earlier_messages == (
        "message 2",
        "message 3",
        "message 4",
        "message 5",
        "message 6",
    )
    short = store.profile(recorded.customer_pk, conversation_pk=recorded.conversation_pk, history=2)
    assert short.earlier_messages == ("message 5", "message 6")
    none = store.profile(recorded.customer_pk, conversation_pk=recorded.conversation_pk, history=0)
    assert none.earlier_messages == ()
    with pytest.raises(ValueError, match="history"):
        store.profile(recorded.customer_pk, history=-1)


def test_profile_past_intents_newest_first_distinct_at_most_ten(store: Store) -> None:
    intents = ["greeting", "pricing", "greeting", *[f"intent_{i}" for i in range(11)], "pricing"]
    customer = 0
    for minute, intent in enumerate(intents):
        # Two conversations of the same customer: past intents span both.
        recorded = store.record_inbound(
            inbound(
                intent,
                conversation_id=f"chat-{minute % 2}",
                received_at=T0 + timedelta(minutes=minute),
            )
        )
        store.save_analysis(recorded.message_pk, analysis(intent))
        customer = recorded.customer_pk
    unanalysed = store.record_inbound(inbound("no analysis", received_at=T0 + timedelta(hours=1)))
    assert unanalysed.customer_pk == customer
    someone_else = store.record_inbound(inbound(customer_id="222", conversation_id="chat-9"))
    store.save_analysis(someone_else.message_pk, analysis("complaint"))

    past = store.profile(customer).past_intents
    assert past == ("pricing", *[f"intent_{i}" for i in range(10, 1, -1)])
    assert len(past) == 10


def test_profile_of_unknown_customer_raises(store: Store) -> None:
    with pytest.raises(LookupError, match="No customer 424242"):
        store.profile(424242)


def test_save_analysis_upserts_by_message(store: Store, engine: Engine) -> None:
    recorded = store.record_inbound(inbound())
    store.save_analysis(recorded.message_pk, analysis("pricing", 0.4))
    store.save_analysis(recorded.message_pk, analysis("purchase_intent", 0.8))
    assert count(engine, AnalysisRow) == 1
    with engine.connect() as conn:
        row = conn.execute(select(AnalysisRow)).one()
    assert (row.intent, row.intent_confidence, row.language) == ("purchase_intent", 0.8, "fr")
    assert row.payload["intent"] == {"name": "purchase_intent", "confidence": 0.8}
    assert row.payload["entities"][0]["value"] == "Moka"
    assert row.payload["formality"] == "vous"
    assert store.profile(recorded.customer_pk).past_intents == ("purchase_intent",)
    with pytest.raises(LookupError):
        store.save_analysis(999_999, analysis("pricing"))


# -- customer settings ---------------------------------------------------------------------------


def test_language_opt_out_and_offers(store: Store) -> None:
    customer = store.record_inbound(inbound()).customer_pk
    store.set_language(customer, "en")
    assert store.profile(customer).language == "en"

    toronto = timezone(timedelta(hours=-4))
    store.set_opt_out(customer, opted_out=True, at=datetime(2024, 5, 1, 8, 0, tzinfo=toronto))
    assert store.profile(customer).opted_out
    store.set_opt_out(customer, opted_out=False)
    assert not store.profile(customer).opted_out

    store.record_offer(customer, at=datetime(2024, 5, 2, 8, 30, tzinfo=toronto))
    offered = store.profile(customer).last_offer_at
    # Any zone in, aware UTC out.
    assert offered == datetime(2024, 5, 2, 12, 30, tzinfo=UTC)
    assert offered is not None
    assert offered.tzinfo == UTC

    with pytest.raises(ValueError, match="timezone-aware"):
        store.record_offer(customer, at=datetime(2024, 5, 2, 8, 30))
    with pytest.raises(LookupError):
        store.set_language(999_999, "fr")


def test_sending_a_promotional_draft_records_the_offer(store: Store) -> None:
    customer, _conversation, ids = conversation_with_drafts(
        store, "-10 % avec MERCI10", promotional=True
    )
    assert store.profile(customer).last_offer_at is None
    store.decide(ids[0], action=ReviewAction.SEND, reviewer="console", at=T0)
    assert store.profile(customer).last_offer_at == T0


def test_discarding_a_promotional_draft_records_no_offer(store: Store) -> None:
    customer, _conversation, ids = conversation_with_drafts(
        store, "-10 % avec MERCI10", promotional=True
    )
    store.decide(ids[0], action=ReviewAction.DISCARD, reviewer="console", at=T0)
    assert store.profile(customer).last_offer_at is None


# -- drafts and decisions ------------------------------------------------------------------------


def test_save_drafts_supersedes_pending_ones(store: Store) -> None:
    _customer, conversation, first_ids = conversation_with_drafts(store, "A", "B", "C")
    store.decide(first_ids[2], action=ReviewAction.DISCARD, reviewer="console")
    newer = store.record_inbound(inbound("Autre chose"))
    saved = store.save_drafts(
        conversation_pk=conversation, message_pk=newer.message_pk, drafts=drafts("D", "E")
    )
    assert saved.superseded_ids == tuple(first_ids[:2])
    pending = store.pending_drafts(conversation)
    assert [d.id for d in pending] == list(saved.draft_ids)
    assert [(d.text, d.rank, d.status) for d in pending] == [
        ("D", 1, DraftStatus.PENDING),
        ("E", 2, DraftStatus.PENDING),
    ]
    old = store.get_draft(first_ids[0])
    assert old is not None
    assert (old.status, old.version) == (DraftStatus.SUPERSEDED, 2)
    discarded = store.get_draft(first_ids[2])
    assert discarded is not None
    assert discarded.status is DraftStatus.DISCARDED
    # Drafts of another conversation are not touched.
    other = store.record_inbound(inbound(conversation_id="chat-2"))
    store.save_drafts(
        conversation_pk=other.conversation_pk, message_pk=other.message_pk, drafts=drafts("F")
    )
    assert [d.id for d in store.pending_drafts(conversation)] == list(saved.draft_ids)


def test_save_drafts_checks_the_message_belongs_to_the_conversation(store: Store) -> None:
    one = store.record_inbound(inbound(conversation_id="chat-1"))
    two = store.record_inbound(inbound(conversation_id="chat-2"))
    with pytest.raises(ValueError, match="belongs to conversation"):
        store.save_drafts(
            conversation_pk=one.conversation_pk, message_pk=two.message_pk, drafts=drafts("A")
        )
    with pytest.raises(LookupError):
        store.save_drafts(conversation_pk=one.conversation_pk, message_pk=999_999, drafts=[])


def test_stored_draft_round_trips(store: Store) -> None:
    customer, conversation, ids = conversation_with_drafts(store, "Bonjour", promotional=True)
    stored = store.get_draft(ids[0])
    assert isinstance(stored, StoredDraft)
    assert (stored.conversation_pk, stored.customer_pk) == (conversation, customer)
    assert stored.as_draft() == drafts("Bonjour", promotional=True)[0]
    assert (stored.status, stored.version, stored.decided_at, stored.final_text) == (
        DraftStatus.PENDING,
        1,
        None,
        None,
    )
    assert stored.created_at.tzinfo == UTC
    assert store.get_draft(999_999) is None


@pytest.mark.parametrize(
    ("action", "edited_text", "status", "final_text"),
    [
        (ReviewAction.SEND, None, DraftStatus.SENT, "Bonjour !"),
        (ReviewAction.EDIT, "Bonjour Camille !", DraftStatus.EDITED, "Bonjour Camille !"),
        (ReviewAction.DISCARD, None, DraftStatus.DISCARDED, None),
    ],
)
def test_decide_applies_each_action(
    store: Store,
    engine: Engine,
    action: ReviewAction,
    edited_text: str | None,
    status: DraftStatus,
    final_text: str | None,
) -> None:
    _customer, _conversation, ids = conversation_with_drafts(store, "Bonjour !")
    result = store.decide(
        ids[0], action=action, reviewer="slack:U1", edited_text=edited_text, at=T0
    )
    assert result.applied
    assert result.reason is None
    assert result.draft is not None
    assert (result.draft.status, result.draft.final_text) == (status, final_text)
    assert (result.draft.version, result.draft.decided_at) == (2, T0)
    with engine.connect() as conn:
        decision = conn.execute(select(DecisionRow)).one()
    assert (decision.action, decision.reviewer, decision.edited_text) == (
        action.value,
        "slack:U1",
        edited_text,
    )
    assert decision.decided_at == T0


def test_decide_is_compare_and_set(store: Store, engine: Engine) -> None:
    _customer, _conversation, ids = conversation_with_drafts(store, "Bonjour !")
    first = store.decide(ids[0], action=ReviewAction.SEND, reviewer="slack:U1", at=T0)
    second = store.decide(ids[0], action=ReviewAction.DISCARD, reviewer="telegram:111")
    assert first.applied
    assert not second.applied
    assert second.reason == "already sent by slack:U1 at 2024-05-01 12:00:00 UTC"
    assert second.draft is not None
    assert (second.draft.status, second.draft.version) == (DraftStatus.SENT, 2)
    assert count(engine, DecisionRow) == 1

    missing = store.decide(999_999, action=ReviewAction.SEND, reviewer="console")
    assert (missing.applied, missing.draft, missing.reason) == (False, None, "no such draft")


def test_sending_one_draft_supersedes_its_siblings(store: Store) -> None:
    _customer, conversation, ids = conversation_with_drafts(store, "A", "B", "C")
    # Discarding leaves the others open; sending closes them.
    assert store.decide(ids[2], action=ReviewAction.DISCARD, reviewer="console").applied
    assert len(store.pending_drafts(conversation)) == 2
    assert store.decide(ids[0], action=ReviewAction.SEND, reviewer="slack:U1").applied
    assert store.pending_drafts(conversation) == []
    sibling = store.get_draft(ids[1])
    assert sibling is not None
    assert sibling.status is DraftStatus.SUPERSEDED
    late = store.decide(ids[1], action=ReviewAction.SEND, reviewer="slack:U2")
    assert not late.applied
    assert late.reason is not None
    assert late.reason.startswith("already superseded")
    discarded = store.get_draft(ids[2])
    assert discarded is not None
    assert discarded.status is DraftStatus.DISCARDED


def test_decide_refuses_what_is_not_a_decision(store: Store) -> None:
    _customer, _conversation, ids = conversation_with_drafts(store, "A")
    with pytest.raises(ValueError, match="edited text"):
        store.decide(ids[0], action=ReviewAction.EDIT, reviewer="console")
    with pytest.raises(ValueError, match="edited text"):
        store.decide(ids[0], action=ReviewAction.EDIT, reviewer="console", edited_text="  ")
    with pytest.raises(ValueError, match="does not decide"):
        store.decide(ids[0], action=ReviewAction.VARIANT, reviewer="console")
    stored = store.get_draft(ids[0])
    assert stored is not None
    assert stored.status is DraftStatus.PENDING


def test_two_threads_deciding_one_draft_apply_once(store_url: str, engine: Engine) -> None:
    # Two stores, as two bot processes would have: the guarantee must not rest on a shared pool.
    with Store.open(store_url) as one, Store.open(store_url) as two:
        for _round in range(5):
            _customer, _conversation, ids = conversation_with_drafts(one, "Bonjour !")
            draft_id = ids[0]
            results = run_together(
                partial(one.decide, draft_id, action=ReviewAction.SEND, reviewer="slack:U1"),
                partial(
                    two.decide,
                    draft_id,
                    action=ReviewAction.EDIT,
                    reviewer="telegram:111",
                    edited_text="Yo",
                ),
            )
            winners = [r for r in results if r.applied]
            losers = [r for r in results if not r.applied]
            assert len(winners) == len(losers) == 1
            assert count(engine, DecisionRow, DecisionRow.draft_id == ids[0]) == 1
            with engine.connect() as conn:
                reviewer = conn.execute(
                    select(DecisionRow.reviewer).where(DecisionRow.draft_id == ids[0])
                ).scalar_one()
            assert losers[0].reason.startswith("already ")
            assert f"by {reviewer} at" in losers[0].reason
            final = one.get_draft(ids[0])
            assert final is not None
            assert final.version == 2


def test_two_reviewers_sending_sibling_drafts_send_one(store_url: str) -> None:
    with Store.open(store_url) as one, Store.open(store_url) as two:
        for _round in range(5):
            _customer, conversation, ids = conversation_with_drafts(one, "A", "B")
            results = run_together(
                partial(one.decide, ids[0], action=ReviewAction.SEND, reviewer="slack:U1"),
                partial(two.decide, ids[1], action=ReviewAction.SEND, reviewer="slack:U2"),
            )
            assert sorted(r.applied for r in results) == [False, True]
            statuses = sorted(d.status for d in (one.get_draft(i) for i in ids) if d)
            assert statuses == [DraftStatus.SENT, DraftStatus.SUPERSEDED]
            assert one.pending_drafts(conversation) == []


def test_expire_pending(store: Store) -> None:
    _customer, conversation, ids = conversation_with_drafts(store, "A", "B")
    store.decide(ids[1], action=ReviewAction.DISCARD, reviewer="console")
    assert store.expire_pending(datetime.now(UTC) - timedelta(hours=1)) == ()
    assert len(store.expire_pending(datetime.now(UTC) + timedelta(seconds=1))) == 1
    expired = store.get_draft(ids[0])
    assert expired is not None
    assert (expired.status, expired.version) == (DraftStatus.EXPIRED, 2)
    assert store.pending_drafts(conversation) == []
    late = store.decide(ids[0], action=ReviewAction.SEND, reviewer="console")
    assert not late.applied
    assert late.reason is not None
    assert late.reason.startswith("already expired")


# -- events and corrections ----------------------------------------------------------------------


def test_a_platform_event_is_taken_in_once(store: Store) -> None:
    hello = inbound("bonjour")
    assert store.take_in_event(hello, event_id="update-1") is not None
    assert store.take_in_event(hello, event_id="update-1") is None
    assert store.take_in_event(replace(hello, platform="slack"), event_id="update-1") is not None
    taken = store.take_in_event(hello, event_id="update-2")
    assert taken is not None
    # The redelivered event stored nothing: two messages in the conversation, not three.
    assert taken.profile.earlier_messages == ("bonjour",)


def test_taking_in_an_event_is_race_safe(store_url: str, engine: Engine) -> None:
    stores = [Store.open(store_url) for _ in range(4)]
    try:
        for event in range(5):
            message = inbound(f"message {event}")
            taken = run_together(
                *[partial(s.take_in_event, message, event_id=f"Ev{event}") for s in stores]
            )
            assert sum(result is not None for result in taken) == 1
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM messages")).scalar_one() == 5
    finally:
        for opened in stores:
            opened.close()


def test_record_intent_correction(store: Store, engine: Engine) -> None:
    recorded = store.record_inbound(inbound("c'est combien ?"))
    correction = store.record_intent_correction(
        recorded.message_pk, predicted="question", corrected="pricing", reviewer="slack:U1"
    )
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT message_id, predicted, corrected, reviewer FROM intent_corrections")
        ).one()
    assert correction > 0
    assert tuple(row) == (recorded.message_pk, "question", "pricing", "slack:U1")
    with pytest.raises(LookupError):
        store.record_intent_correction(999_999, predicted="a", corrected="b", reviewer="console")


# -- texts and times -------------------------------------------------------------------------------

AWKWARD_TEXTS = [
    "é" * 10_000,
    "Merci 🙏☕️👨‍👩‍👧 — « super » ’",
    "tab\tline\nfeed\rbell\x07esc\x1b[31m\x7f\u200b\u2028end",
    "{{ 7*7 }} {% if x %}{# c #}${7*7}<script>alert(1)</script>'; DROP TABLE drafts; --",
    "   leading and trailing spaces   ",
    "",
]


@pytest.mark.parametrize(
    "body", AWKWARD_TEXTS, ids=["10k", "emoji", "control", "template", "spaces", "empty"]
)
def test_texts_are_stored_exactly(store: Store, body: str) -> None:
    first = store.record_inbound(inbound(body, platform_message_id="1"))
    store.record_inbound(inbound("next", platform_message_id="2"))
    profile = store.profile(first.customer_pk, conversation_pk=first.conversation_pk)
    assert profile.earlier_messages == (body,)

    saved = store.save_drafts(
        conversation_pk=first.conversation_pk,
        message_pk=first.message_pk,
        drafts=[Draft(text=body, template="t", promotional=False, why=body)],
    )
    stored = store.get_draft(saved.draft_ids[0])
    assert stored is not None
    assert (stored.text, stored.why) == (body, body)
    edited = store.decide(
        saved.draft_ids[0], action=ReviewAction.EDIT, reviewer="console", edited_text=body + "!"
    )
    assert edited.draft is not None
    assert edited.draft.final_text == body + "!"


def test_nul_characters_become_replacement_characters(store: Store) -> None:
    # PostgreSQL text cannot hold NUL; both backends store the same visible substitute.
    first = store.record_inbound(inbound("a\x00b", platform_message_id="1"))
    store.record_inbound(inbound("next", platform_message_id="2"))
    profile = store.profile(first.customer_pk, conversation_pk=first.conversation_pk)
    assert profile.earlier_messages == ("a\ufffdb",)


def test_datetimes_come_back_aware_in_utc(store: Store) -> None:
    paris = timezone(timedelta(hours=2))
    recorded = store.record_inbound(inbound(received_at=datetime(2024, 5, 1, 14, 0, tzinfo=paris)))
    saved = store.save_drafts(
        conversation_pk=recorded.conversation_pk, message_pk=recorded.message_pk, drafts=drafts("A")
    )
    result = store.decide(
        saved.draft_ids[0],
        action=ReviewAction.SEND,
        reviewer="console",
        at=datetime(2024, 5, 1, 16, 30, tzinfo=paris),
    )
    assert result.draft is not None
    assert result.draft.decided_at == datetime(2024, 5, 1, 14, 30, tzinfo=UTC)
    assert result.draft.decided_at.utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="timezone-aware"):
        store.record_inbound(inbound(received_at=datetime(2024, 5, 1, 14, 0)))


# -- opening ---------------------------------------------------------------------------------------


def test_open_unreachable_database_raises_without_the_password(
    store_backend: str, tmp_path: Path
) -> None:
    if store_backend == "postgres":
        url = "postgresql+psycopg://replique:s3cr3t-Pa55@127.0.0.1:1/replique?connect_timeout=3"
    else:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the database folder should be")
        url = f"sqlite:///{blocker / 'var' / 'replique.db'}"
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    message = str(caught.value)
    assert message.startswith("Cannot open the database at ")
    assert message.endswith(". Check DATABASE_URL.")
    assert "s3cr3t-Pa55" not in message
    assert caught.value.__cause__ is None
    if store_backend == "postgres":
        assert "replique:***@127.0.0.1:1" in message


def test_open_rejects_unusable_urls_without_the_password() -> None:
    for url in [
        "mysql://root:s3cr3t-Pa55@db/replique",
        "nonsense:s3cr3t-Pa55@@",
        "postgresql://u:s3cr3t-Pa55@127.0.0.1:notaport/x",
    ]:
        with pytest.raises(StoreError, match="Check DATABASE_URL") as caught:
            Store.open(url)
        assert "s3cr3t-Pa55" not in str(caught.value)


@pytest.mark.postgres
def test_open_reads_plain_postgres_urls_as_psycopg3() -> None:
    # DATABASE_URL is often "postgres://…": it must not ask for the absent psycopg2 driver.
    with pytest.raises(StoreError) as caught:
        Store.open("postgres://u:s3cr3t-Pa55@127.0.0.1:1/x?connect_timeout=3")
    message = str(caught.value)
    assert "psycopg2" not in message
    assert "postgresql+psycopg://u:***@127.0.0.1:1/x" not in message  # shown as the user wrote it
    assert "postgres://u:***@127.0.0.1:1/x" in message
    assert "Connection refused" in message or "connection" in message.lower()


# -- SQLite specifics ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_sqlite_memory_is_one_shared_database(url: str) -> None:
    with Store.open(url) as store:
        _customer, conversation, ids = conversation_with_drafts(store, "A")
        results = run_together(
            partial(store.decide, ids[0], action=ReviewAction.SEND, reviewer="a"),
            partial(store.decide, ids[0], action=ReviewAction.SEND, reviewer="b"),
        )
        assert sorted(r.applied for r in results) == [False, True]
        assert store.pending_drafts(conversation) == []


def test_sqlite_file_gets_its_folder_wal_and_foreign_keys(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        store.record_inbound(inbound())
    assert Path(sqlite_url.removeprefix("sqlite:///")).is_file()
    plain = create_engine(sqlite_url)
    try:
        with plain.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        plain.dispose()
    with Store.open(sqlite_url) as store, store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_drafts_keep_their_order_whatever_their_ranks(store: Store) -> None:
    recorded = store.record_inbound(
        InboundMessage(platform="web", conversation_id="r", customer_id="r", text="hello")
    )
    ranked = [
        Draft(text=f"d{r}", template=f"t/{r}", promotional=False, why="", rank=r) for r in (1, 2, 3)
    ]
    same = [Draft(text=f"s{i}", template=f"s/{i}", promotional=False, why="") for i in range(3)]
    for drafts in (ranked, same):
        saved = store.save_drafts(
            conversation_pk=recorded.conversation_pk,
            message_pk=recorded.message_pk,
            drafts=drafts,
        )
        assert [store.get_draft(pk).text for pk in saved.draft_ids] == [  # type: ignore[union-attr]
            d.text for d in drafts
        ]
