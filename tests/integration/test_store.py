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
from sqlalchemy import (
    Engine,
    create_engine,
    func,
    insert,
    inspect,
    make_url,
    select,
    text,
    update,
)

from bot.domain import (
    Analysis,
    CustomerProfile,
    Draft,
    DraftStatus,
    Entity,
    HandoffReason,
    HeldOffer,
    InboundMessage,
    IntentScore,
    Refusal,
    ReviewAction,
    Why,
)
from bot.errors import StoreError
from bot.store import NewWork, RecordedMessage, Store, StoredDraft, alembic_config
from bot.store.migrate import upgrade
from bot.store.models import (
    AnalysisRow,
    Base,
    CustomerRow,
    DecisionRow,
    DraftRow,
    MessageRow,
    OutboxRow,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
TABLES = {
    "analyses",
    "audit_log",
    "card_posts",
    "conversations",
    "customers",
    "decisions",
    "drafts",
    "intent_corrections",
    "leases",
    "messages",
    "model_promotions",
    "outbox",
    "processed_events",
    "review_cards",
    "work_items",
}
LEASE = timedelta(minutes=5)


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


def why(intent: str = "greeting", **more: Any) -> Why:
    return Why(intent=intent, confidence=0.9, sentiment="neutral", **more)


def drafts(*texts: str, promotional: bool = False) -> list[Draft]:
    return [
        Draft(
            text=t,
            template=f"t{i}",
            promotional=promotional,
            why=why(promotional=promotional),
            rank=i,
        )
        for i, t in enumerate(texts, start=1)
    ]


def as_draft(stored: StoredDraft) -> Draft:
    """The domain ``Draft`` a stored one was saved from."""
    return Draft(
        text=stored.text,
        template=stored.template,
        promotional=stored.promotional,
        why=stored.why,
        rank=stored.rank,
        language=stored.language,
        offer_blocked=stored.offer_blocked,
    )


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


def take_in(store: Store, message: InboundMessage | None = None) -> RecordedMessage:
    return store.take_in(message or inbound()).recorded


def profile_of(store: Store, recorded: RecordedMessage) -> CustomerProfile:
    return store.intake_of(recorded).profile


def pending_ids(store: Store, conversation_pk: int) -> list[int]:
    """Drafts of a conversation waiting for a reviewer: newest message, then best rank, first."""
    with store._engine.connect() as conn:
        return [
            int(pk)
            for pk in conn.execute(
                select(DraftRow.id)
                .where(DraftRow.conversation_id == conversation_pk, DraftRow.status == "pending")
                .order_by(DraftRow.message_id.desc(), DraftRow.rank, DraftRow.id)
            ).scalars()
        ]


def outbound_texts(store: Store, conversation_pk: int) -> list[str]:
    """The replies stored as gone out in a conversation, oldest first."""
    with store._engine.connect() as conn:
        return list(
            conn.execute(
                select(MessageRow.text)
                .where(
                    MessageRow.conversation_id == conversation_pk,
                    MessageRow.direction == "outbound",
                )
                .order_by(MessageRow.id)
            ).scalars()
        )


def outbox_row(store: Store, outbox_id: int) -> Any:
    with store._engine.connect() as conn:
        return conn.execute(
            select(
                OutboxRow.draft_id,
                OutboxRow.text,
                OutboxRow.status,
                OutboxRow.attempts,
                OutboxRow.last_error,
                OutboxRow.platform_message_id,
            ).where(OutboxRow.id == outbox_id)
        ).one()


def conversation_with_drafts(
    store: Store, *texts: str, promotional: bool = False
) -> tuple[RecordedMessage, list[int]]:
    recorded = take_in(store)
    saved = store.save_drafting(
        recorded, analysis=analysis("greeting"), drafts=drafts(*texts, promotional=promotional)
    )
    return recorded, list(saved.saved.draft_ids)


def deliver(store: Store, outbox_id: int, *, platform_message_id: str | None = None) -> bool:
    """Do what the outbox sender does for one queued reply: claim it, then mark it delivered."""
    assert outbox_id in [item.id for item in store.claim_outbox(lease=LEASE)]
    return store.mark_delivered(outbox_id, platform_message_id=platform_message_id)


def send_reply(store: Store, recorded: RecordedMessage, reply: str) -> None:
    """Draft ``reply`` for a message, send it and deliver it."""
    saved = store.save_drafting(recorded, analysis=analysis("greeting"), drafts=drafts(reply))
    sent = store.decide(saved.saved.draft_ids[0], action=ReviewAction.SEND, reviewer="console")
    assert sent.outbox_id is not None
    assert deliver(store, sent.outbox_id)


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
        assert context.get_current_revision() == head == "0007"


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
        recorded = take_in(first)
    with Store.open(store_url) as second:
        assert profile_of(second, recorded).name == "Camille"


# -- customers, conversations, messages ----------------------------------------------------------


def test_take_in_creates_customer_and_conversation(store: Store, engine: Engine) -> None:
    intake = store.take_in(inbound("Bonjour", platform_message_id="1"))
    assert not intake.recorded.edited
    assert not intake.answers_earlier
    profile = intake.profile
    assert profile.customer_id == "111"
    assert profile.name == "Camille"
    assert profile.language is None
    assert not profile.opted_out
    assert profile.last_offer_at is None
    assert profile.past_intents == ()
    assert not profile.greeted
    assert profile.earlier_messages == ()
    assert store.intake_of(intake.recorded) == intake
    assert count(engine, MessageRow) == 1


def test_second_message_reuses_customer_and_conversation(store: Store, engine: Engine) -> None:
    first = take_in(store, inbound("Bonjour", platform_message_id="1"))
    nameless = store.take_in(inbound("Vous êtes là ?", platform_message_id="2", customer_name=None))
    second = nameless.recorded
    assert (second.customer_pk, second.conversation_pk) == (
        first.customer_pk,
        first.conversation_pk,
    )
    assert second.message_pk != first.message_pk
    assert not second.edited
    # A message without a name keeps the known one; a new name replaces it.
    assert nameless.profile.name == "Camille"
    renamed = store.take_in(inbound("Re", platform_message_id="3", customer_name="Camille D."))
    assert renamed.profile.name == "Camille D."
    assert profile_of(store, first).name == "Camille D."
    assert count(engine, MessageRow) == 3


def test_threads_and_platforms_keep_conversations_apart(store: Store) -> None:
    plain = take_in(store, inbound(platform="slack", conversation_id="C1"))
    thread_a = take_in(store, inbound(platform="slack", conversation_id="C1", thread_id="1.1"))
    thread_b = take_in(store, inbound(platform="slack", conversation_id="C1", thread_id="2.2"))
    again = take_in(store, inbound(platform="slack", conversation_id="C1", thread_id="1.1"))
    no_thread_again = take_in(store, inbound(platform="slack", conversation_id="C1"))
    telegram = take_in(store, inbound(platform="telegram", conversation_id="C1"))
    conversations = {plain.conversation_pk, thread_a.conversation_pk, thread_b.conversation_pk}
    assert len(conversations) == 3
    assert again.conversation_pk == thread_a.conversation_pk
    assert no_thread_again.conversation_pk == plain.conversation_pk
    assert telegram.conversation_pk not in conversations
    # The same user id on another platform is another person.
    assert telegram.customer_pk != plain.customer_pk


def test_edited_message_updates_instead_of_inserting(store: Store, engine: Engine) -> None:
    original = take_in(store, inbound("Je veux un moka", platform_message_id="42"))
    take_in(store, inbound("Et un latte", platform_message_id="43"))
    edit = store.take_in(inbound("Je veux deux mokas", platform_message_id="42"))
    assert edit.recorded.edited
    assert edit.recorded.message_pk == original.message_pk
    assert count(engine, MessageRow) == 2
    with engine.connect() as conn:
        row = conn.execute(
            select(MessageRow.text, MessageRow.edited_at).where(
                MessageRow.id == original.message_pk
            )
        ).one()
    assert row.text == "Je veux deux mokas"
    assert row.edited_at is not None
    assert edit.profile.earlier_messages == ("Je veux deux mokas",)


def test_messages_without_platform_id_are_never_merged(store: Store, engine: Engine) -> None:
    first = take_in(store, inbound("Salut"))
    second = take_in(store, inbound("Salut"))
    assert first.message_pk != second.message_pk
    assert not second.edited
    assert count(engine, MessageRow) == 2


def test_a_delivered_reply_is_recorded_once_as_an_outbound_message(store: Store) -> None:
    recorded, ids = conversation_with_drafts(store, "Bonjour !")
    sent = store.decide(ids[0], action=ReviewAction.SEND, reviewer="console")
    assert sent.outbox_id is not None
    assert store.outbox_counts() == {"pending": 1}
    assert outbound_texts(store, recorded.conversation_pk) == []

    assert deliver(store, sent.outbox_id, platform_message_id="9")
    # A retried delivery of the same reply stores nothing more.
    assert not store.mark_delivered(sent.outbox_id, platform_message_id="9")
    assert outbound_texts(store, recorded.conversation_pk) == ["Bonjour !"]
    row = outbox_row(store, sent.outbox_id)
    assert (row.draft_id, row.status, row.attempts, row.platform_message_id) == (
        ids[0],
        "delivered",
        1,
        "9",
    )
    assert store.outbox_counts() == {"delivered": 1}
    assert store.next_outbox_due() is None
    assert not store.mark_delivered(999_999, platform_message_id=None)


def test_outbox_retries_and_failures_are_kept_on_the_row(store: Store) -> None:
    recorded, ids = conversation_with_drafts(store, "A")
    queued = store.decide(ids[0], action=ReviewAction.SEND, reviewer="console", at=T0)
    assert queued.outbox_id is not None
    assert store.next_outbox_due() == T0

    claimed = store.claim_outbox(now=T0, lease=LEASE)
    assert [(item.id, item.status, item.attempts, item.text) for item in claimed] == [
        (queued.outbox_id, "sending", 1, "A")
    ]
    # Leased: nobody else takes it until the lease runs out.
    assert store.claim_outbox(now=T0 + timedelta(minutes=1), lease=LEASE) == []
    store.retry_outbox(queued.outbox_id, at=T0 + timedelta(minutes=2), error="HTTP 502")
    row = outbox_row(store, queued.outbox_id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 502")
    assert store.next_outbox_due() == T0 + timedelta(minutes=2)

    again = store.claim_outbox(now=T0 + timedelta(minutes=2), lease=LEASE)
    assert [item.attempts for item in again] == [2]
    store.fail_outbox(queued.outbox_id, error="chat not found")
    row = outbox_row(store, queued.outbox_id)
    assert (row.status, row.attempts, row.last_error) == ("failed", 2, "chat not found")
    assert store.outbox_counts() == {"failed": 1}
    assert not store.mark_delivered(queued.outbox_id, platform_message_id="1")
    assert outbound_texts(store, recorded.conversation_pk) == []


# -- profile ---------------------------------------------------------------------------------------


def test_profile_greeted_only_once_a_reply_went_out(store: Store) -> None:
    recorded, ids = conversation_with_drafts(store, "Bonjour !", "Salut !")
    assert not profile_of(store, recorded).greeted
    store.decide(ids[1], action=ReviewAction.DISCARD, reviewer="console")
    assert not profile_of(store, recorded).greeted
    store.decide(ids[0], action=ReviewAction.SEND, reviewer="console")
    assert profile_of(store, recorded).greeted
    # Greeted in one conversation is not greeted in another one of the same customer.
    elsewhere = take_in(store, inbound(conversation_id="chat-2"))
    assert elsewhere.customer_pk == recorded.customer_pk
    assert not profile_of(store, elsewhere).greeted


def test_profile_greeted_after_an_edited_draft_or_an_outbound_message(
    store: Store, engine: Engine
) -> None:
    recorded, ids = conversation_with_drafts(store, "Bonjour !")
    store.decide(ids[0], action=ReviewAction.EDIT, reviewer="console", edited_text="Bonsoir !")
    assert profile_of(store, recorded).greeted

    other = take_in(store, inbound(conversation_id="chat-2"))
    assert not profile_of(store, other).greeted
    # A reply stored as gone out with no draft behind it (as an earlier Réplique recorded them).
    with engine.begin() as conn:
        conn.execute(
            insert(MessageRow).values(
                conversation_id=other.conversation_pk,
                direction="outbound",
                text="Bonjour",
                received_at=T0,
            )
        )
    assert profile_of(store, other).greeted


def test_profile_earlier_messages_oldest_first_without_the_newest(store: Store) -> None:
    texts = [f"message {i}" for i in range(8)]
    recorded = None
    # Delivered out of order: the store orders by received_at, not by arrival.
    for i in [0, 2, 1, 3, 4, 5, 7, 6]:
        recorded = take_in(
            store,
            inbound(texts[i], received_at=T0 + timedelta(minutes=i), platform_message_id=str(i)),
        )
    assert recorded is not None
    send_reply(store, recorded, "a reply is not a customer message")
    assert outbound_texts(store, recorded.conversation_pk) == ["a reply is not a customer message"]
    # The last five before the newest.
    assert profile_of(store, recorded).earlier_messages == (
        "message 2",
        "message 3",
        "message 4",
        "message 5",
        "message 6",
    )


def test_profile_past_intents_newest_first_distinct_at_most_ten(store: Store) -> None:
    intents = ["greeting", "pricing", "greeting", *[f"intent_{i}" for i in range(11)], "pricing"]
    customer = 0
    for minute, intent in enumerate(intents):
        # Two conversations of the same customer: past intents span both.
        recorded = take_in(
            store,
            inbound(
                intent,
                conversation_id=f"chat-{minute % 2}",
                received_at=T0 + timedelta(minutes=minute),
            ),
        )
        store.save_drafting(recorded, analysis=analysis(intent), drafts=[])
        customer = recorded.customer_pk
    unanalysed = take_in(store, inbound("no analysis", received_at=T0 + timedelta(hours=1)))
    assert unanalysed.customer_pk == customer
    someone_else = take_in(store, inbound(customer_id="222", conversation_id="chat-9"))
    store.save_drafting(someone_else, analysis=analysis("complaint"), drafts=[])

    past = profile_of(store, unanalysed).past_intents
    assert past == ("pricing", *[f"intent_{i}" for i in range(10, 1, -1)])
    assert len(past) == 10


def test_profile_of_unknown_customer_raises(store: Store) -> None:
    nobody = RecordedMessage(customer_pk=424242, conversation_pk=1, message_pk=1, edited=False)
    with pytest.raises(LookupError, match="No customer 424242"):
        store.intake_of(nobody)


def test_save_drafting_upserts_the_analysis_by_message(store: Store, engine: Engine) -> None:
    recorded = take_in(store)
    store.save_drafting(recorded, analysis=analysis("pricing", 0.4), drafts=[])
    store.save_drafting(recorded, analysis=analysis("purchase_intent", 0.8), drafts=[])
    assert count(engine, AnalysisRow) == 1
    with engine.connect() as conn:
        row = conn.execute(select(AnalysisRow)).one()
    assert (row.intent, row.intent_confidence, row.language) == ("purchase_intent", 0.8, "fr")
    assert row.payload["intent"] == {"name": "purchase_intent", "confidence": 0.8}
    assert row.payload["entities"][0]["value"] == "Moka"
    assert row.payload["formality"] == "vous"
    assert profile_of(store, recorded).past_intents == ("purchase_intent",)


def test_an_analysis_round_trips_through_the_review_card(store: Store) -> None:
    recorded = take_in(store, inbound("Où en est ma commande #1234 ? Livrée demain ?"))
    understood = Analysis(
        language="fr",
        language_confidence=0.97,
        intent=IntentScore("other", 0.41),
        alternatives=(IntentScore("order_status", 0.41), IntentScore("complaint", 0.2)),
        sentiment="negative",
        sentiment_confidence=0.66,
        entities=(
            Entity("ORDER_NUMBER", "#1234", 24, 29, value="1234"),
            Entity("DATE", "demain", 39, 45, value="2024-05-02"),
            Entity("PRODUCT", "moka", 0, 4),
        ),
        formality="tu",
        is_question=True,
        is_urgent=True,
        handoff_reason=HandoffReason(
            "unsure", intent="order_status", confidence=0.41, threshold=0.6
        ),
        predicted_intent=IntentScore("order_status", 0.41),
    )
    made = drafts("A", "B")
    saved = store.save_drafting(recorded, analysis=understood, drafts=made)
    assert saved.card is not None
    assert not saved.card_was_posted
    assert saved.superseded_cards == ()
    for card in (saved.card, store.card_view(saved.card.card_id)):
        assert card is not None
        assert card.analysis == understood
        assert card.analysis.handoff
        assert card.message_pk == recorded.message_pk
        assert card.draft.id == saved.saved.draft_ids[0]
        assert card.sibling_ids == saved.saved.draft_ids
        assert [as_draft(s) for s in card.siblings] == made
    # What Réplique can draft on its own reads back with no hand-off reason.
    plain = take_in(store, inbound("Un moka", conversation_id="chat-2"))
    again = store.save_drafting(plain, analysis=analysis("purchase_intent"), drafts=drafts("C"))
    assert again.card is not None
    assert again.card.analysis == analysis("purchase_intent")
    assert again.card.analysis.handoff_reason is None
    assert again.card.analysis.predicted_intent is None


# -- customer settings ---------------------------------------------------------------------------


def test_language_opt_out_and_offers(store: Store, engine: Engine) -> None:
    recorded = take_in(store)
    store.save_drafting(recorded, analysis=analysis("greeting"), drafts=[], language="en")
    assert profile_of(store, recorded).language == "en"
    # Left out, the language stays as it was.
    store.save_drafting(recorded, analysis=analysis("greeting"), drafts=[])
    assert profile_of(store, recorded).language == "en"
    assert not profile_of(store, recorded).opted_out

    toronto = timezone(timedelta(hours=-4))
    store.save_drafting(
        recorded,
        analysis=analysis("opt_out"),
        drafts=[],
        opted_out_at=datetime(2024, 5, 1, 8, 0, tzinfo=toronto),
    )
    assert profile_of(store, recorded).opted_out
    with engine.connect() as conn:
        opted_out_at = conn.execute(
            select(CustomerRow.opted_out_at).where(CustomerRow.id == recorded.customer_pk)
        ).scalar_one()
    assert opted_out_at == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

    offer = store.save_drafting(
        recorded, analysis=analysis("pricing"), drafts=drafts("-10 %", promotional=True)
    )
    store.decide(
        offer.saved.draft_ids[0],
        action=ReviewAction.SEND,
        reviewer="console",
        at=datetime(2024, 5, 2, 8, 30, tzinfo=toronto),
    )
    offered = profile_of(store, recorded).last_offer_at
    # Any zone in, aware UTC out.
    assert offered == datetime(2024, 5, 2, 12, 30, tzinfo=UTC)
    assert offered is not None
    assert offered.tzinfo == UTC

    later = store.save_drafting(
        recorded, analysis=analysis("pricing"), drafts=drafts("-20 %", promotional=True)
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        store.decide(
            later.saved.draft_ids[0],
            action=ReviewAction.SEND,
            reviewer="console",
            at=datetime(2024, 5, 2, 8, 30),
        )


def test_sending_a_promotional_draft_records_the_offer(store: Store) -> None:
    recorded, ids = conversation_with_drafts(store, "-10 % avec MERCI10", promotional=True)
    assert profile_of(store, recorded).last_offer_at is None
    store.decide(ids[0], action=ReviewAction.SEND, reviewer="console", at=T0)
    assert profile_of(store, recorded).last_offer_at == T0


def test_discarding_a_promotional_draft_records_no_offer(store: Store) -> None:
    recorded, ids = conversation_with_drafts(store, "-10 % avec MERCI10", promotional=True)
    store.decide(ids[0], action=ReviewAction.DISCARD, reviewer="console", at=T0)
    assert profile_of(store, recorded).last_offer_at is None


# -- drafts and decisions ------------------------------------------------------------------------


def test_save_drafting_supersedes_pending_ones(store: Store) -> None:
    first, first_ids = conversation_with_drafts(store, "A", "B", "C")
    conversation = first.conversation_pk
    first_card = store.card_of_draft(first_ids[0])
    assert first_card is not None
    store.decide(first_ids[2], action=ReviewAction.DISCARD, reviewer="console")
    newer = store.take_in(inbound("Autre chose"))
    # The first message still waits for its reply: the new drafts answer both.
    assert newer.answers_earlier
    saved = store.save_drafting(
        newer.recorded, analysis=analysis("question"), drafts=drafts("D", "E")
    )
    assert saved.saved.superseded_ids == tuple(first_ids[:2])
    assert saved.superseded_cards == (first_card,)
    assert pending_ids(store, conversation) == list(saved.saved.draft_ids)
    fresh = [store.get_draft(pk) for pk in saved.saved.draft_ids]
    assert [(d.text, d.rank, d.status) for d in fresh if d] == [
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
    other = take_in(store, inbound(conversation_id="chat-2"))
    elsewhere = store.save_drafting(other, analysis=analysis("greeting"), drafts=drafts("F"))
    assert elsewhere.saved.superseded_ids == ()
    assert pending_ids(store, conversation) == list(saved.saved.draft_ids)


def test_stored_draft_round_trips(store: Store) -> None:
    recorded = take_in(store)
    made = [
        Draft(
            text="Bonjour Camille, -10 % sur le moka avec MERCI10",
            template="fr/pricing/offer",
            promotional=True,
            why=Why(
                intent="pricing",
                confidence=0.93,
                sentiment="positive",
                uses=("first_name", "product"),
                formality="vous",
                promotional=True,
            ),
            rank=1,
            language="fr",
        ),
        Draft(
            text="Bonjour Camille, voici nos prix.",
            template="fr/pricing/plain",
            promotional=False,
            why=Why(
                intent="other",
                confidence=0.38,
                sentiment="negative",
                model_intent="pricing",
                uses=("first_name",),
                formality="vous",
                held_offer=HeldOffer(
                    "offer.already_sent", intent="pricing", last_offer_on="2024-04-28"
                ),
                urgent=True,
            ),
            rank=2,
            language="fr",
            offer_blocked="offer.already_sent",
        ),
    ]
    saved = store.save_drafting(recorded, analysis=analysis("pricing"), drafts=made)
    for draft_id, draft in zip(saved.saved.draft_ids, made, strict=True):
        stored = store.get_draft(draft_id)
        assert isinstance(stored, StoredDraft)
        assert (stored.conversation_pk, stored.customer_pk, stored.message_pk) == (
            recorded.conversation_pk,
            recorded.customer_pk,
            recorded.message_pk,
        )
        assert as_draft(stored) == draft
        assert (stored.status, stored.version, stored.decided_at, stored.final_text) == (
            DraftStatus.PENDING,
            1,
            None,
            None,
        )
        assert stored.created_at.tzinfo == UTC
    assert store.get_draft(999_999) is None


def test_a_why_stored_as_a_sentence_still_reads(store: Store, engine: Engine) -> None:
    # Drafts stored before migration 0003 kept their "why" as a sentence and no reasons.
    _recorded, ids = conversation_with_drafts(store, "Bonjour")
    sentence = "greeting 90% · neutral · pas d'offre"
    with engine.begin() as conn:
        conn.execute(
            update(DraftRow).where(DraftRow.id == ids[0]).values(why=sentence, reasons=None)
        )
    stored = store.get_draft(ids[0])
    assert stored is not None
    assert stored.why.legacy_text == sentence


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
    _recorded, ids = conversation_with_drafts(store, "Bonjour !")
    result = store.decide(
        ids[0], action=action, reviewer="slack:U1", edited_text=edited_text, at=T0
    )
    assert result.applied
    assert result.refusal is None
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
    # A reply that goes out is queued with the decision; a discarded one is not.
    if final_text is None:
        assert result.outbox_id is None
        assert count(engine, OutboxRow) == 0
    else:
        assert result.outbox_id is not None
        row = outbox_row(store, result.outbox_id)
        assert (row.draft_id, row.text, row.status, row.attempts) == (
            ids[0],
            final_text,
            "pending",
            0,
        )


def test_decide_is_compare_and_set(store: Store, engine: Engine) -> None:
    _recorded, ids = conversation_with_drafts(store, "Bonjour !")
    first = store.decide(ids[0], action=ReviewAction.SEND, reviewer="slack:U1", at=T0)
    second = store.decide(ids[0], action=ReviewAction.DISCARD, reviewer="telegram:111")
    assert first.applied
    assert not second.applied
    assert second.refusal == Refusal(DraftStatus.SENT, by="slack:U1", at=T0)
    assert second.outbox_id is None
    assert second.draft is not None
    assert (second.draft.status, second.draft.version) == (DraftStatus.SENT, 2)
    assert count(engine, DecisionRow) == 1
    assert count(engine, OutboxRow) == 1

    missing = store.decide(999_999, action=ReviewAction.SEND, reviewer="console")
    assert (missing.applied, missing.draft, missing.refusal) == (False, None, Refusal(None))


def test_sending_one_draft_supersedes_its_siblings(store: Store) -> None:
    recorded, ids = conversation_with_drafts(store, "A", "B", "C")
    conversation = recorded.conversation_pk
    # Discarding leaves the others open; sending closes them.
    assert store.decide(ids[2], action=ReviewAction.DISCARD, reviewer="console").applied
    assert pending_ids(store, conversation) == ids[:2]
    assert store.decide(ids[0], action=ReviewAction.SEND, reviewer="slack:U1", at=T0).applied
    assert pending_ids(store, conversation) == []
    sibling = store.get_draft(ids[1])
    assert sibling is not None
    assert (sibling.status, sibling.decided_at) == (DraftStatus.SUPERSEDED, T0)
    late = store.decide(ids[1], action=ReviewAction.SEND, reviewer="slack:U2")
    assert not late.applied
    assert late.refusal == Refusal(DraftStatus.SUPERSEDED, at=T0)
    discarded = store.get_draft(ids[2])
    assert discarded is not None
    assert discarded.status is DraftStatus.DISCARDED


def test_decide_refuses_what_is_not_a_decision(store: Store) -> None:
    _recorded, ids = conversation_with_drafts(store, "A")
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
            _recorded, ids = conversation_with_drafts(one, "Bonjour !")
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
            assert count(engine, OutboxRow, OutboxRow.draft_id == ids[0]) == 1
            with engine.connect() as conn:
                decision = conn.execute(
                    select(DecisionRow.reviewer, DecisionRow.decided_at).where(
                        DecisionRow.draft_id == ids[0]
                    )
                ).one()
            refusal = losers[0].refusal
            assert refusal is not None
            assert winners[0].draft is not None
            assert refusal.status is winners[0].draft.status
            assert refusal.status in (DraftStatus.SENT, DraftStatus.EDITED)
            assert refusal.by == decision.reviewer
            assert refusal.at == winners[0].draft.decided_at
            final = one.get_draft(ids[0])
            assert final is not None
            assert final.version == 2


def test_two_reviewers_sending_sibling_drafts_send_one(store_url: str) -> None:
    with Store.open(store_url) as one, Store.open(store_url) as two:
        for _round in range(5):
            recorded, ids = conversation_with_drafts(one, "A", "B")
            results = run_together(
                partial(one.decide, ids[0], action=ReviewAction.SEND, reviewer="slack:U1"),
                partial(two.decide, ids[1], action=ReviewAction.SEND, reviewer="slack:U2"),
            )
            assert sorted(r.applied for r in results) == [False, True]
            statuses = sorted(d.status for d in (one.get_draft(i) for i in ids) if d)
            assert statuses == [DraftStatus.SENT, DraftStatus.SUPERSEDED]
            assert pending_ids(one, recorded.conversation_pk) == []
            # One reply queued for the message, not two.
            assert [r.outbox_id is not None for r in results] == [r.applied for r in results]


def test_expire_pending(store: Store) -> None:
    recorded, ids = conversation_with_drafts(store, "A", "B")
    store.decide(ids[1], action=ReviewAction.DISCARD, reviewer="console")
    assert store.expire_pending(datetime.now(UTC) - timedelta(hours=1)) == ()
    assert store.expire_pending(datetime.now(UTC) + timedelta(seconds=1)) == (ids[0],)
    expired = store.get_draft(ids[0])
    assert expired is not None
    assert (expired.status, expired.version) == (DraftStatus.EXPIRED, 2)
    assert pending_ids(store, recorded.conversation_pk) == []
    late = store.decide(ids[0], action=ReviewAction.SEND, reviewer="console")
    assert not late.applied
    assert late.refusal == Refusal(DraftStatus.EXPIRED, at=expired.decided_at)


# -- events and corrections ----------------------------------------------------------------------


def _work(message: InboundMessage, event_id: str) -> NewWork:
    """A customer message as the desk queues it (``ReviewDesk.accept``)."""
    return NewWork(
        lane="inbound",
        platform=message.platform,
        payload={"text": message.text},
        event_id=event_id,
        conversation_key=f"{message.platform}:{message.conversation_id}",
    )


def test_a_platform_event_is_stored_once(store: Store, engine: Engine) -> None:
    hello = inbound("bonjour")
    assert store.enqueue(_work(hello, "update-1")) is not None
    assert store.enqueue(_work(hello, "update-1")) is None  # redelivered: nothing stored
    assert store.enqueue(_work(replace(hello, platform="slack"), "update-1")) is not None
    assert store.enqueue(_work(hello, "update-2")) is not None
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM work_items")).scalar_one() == 3


def test_storing_an_event_is_race_safe(store_url: str, engine: Engine) -> None:
    stores = [Store.open(store_url) for _ in range(4)]
    try:
        for event in range(5):
            message = inbound(f"message {event}")
            stored = run_together(
                *[partial(s.enqueue, _work(message, f"Ev{event}")) for s in stores]
            )
            assert sum(result is not None for result in stored) == 1
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM work_items")).scalar_one() == 5
    finally:
        for opened in stores:
            opened.close()


def test_record_intent_correction(store: Store, engine: Engine) -> None:
    recorded = take_in(store, inbound("c'est combien ?"))
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
    first = take_in(store, inbound(body, platform_message_id="1"))
    following = store.take_in(inbound("next", platform_message_id="2"))
    assert following.profile.earlier_messages == (body,)

    # In a draft, in its "why" (JSON) and in what the analyser found.
    reasons = why(uses=(body,), held_offer=HeldOffer("offer.unhappy", intent=body))
    found = replace(analysis("question"), entities=(Entity("PRODUCT", body, 0, len(body)),))
    saved = store.save_drafting(
        first,
        analysis=found,
        drafts=[Draft(text=body, template="t", promotional=False, why=reasons)],
    )
    assert saved.card is not None
    assert saved.card.message_text == body
    assert saved.card.analysis == found
    stored = store.get_draft(saved.saved.draft_ids[0])
    assert stored is not None
    assert (stored.text, stored.why) == (body, reasons)
    edited = store.decide(
        saved.saved.draft_ids[0],
        action=ReviewAction.EDIT,
        reviewer="console",
        edited_text=body + "!",
    )
    assert edited.draft is not None
    assert edited.draft.final_text == body + "!"
    assert edited.outbox_id is not None
    assert outbox_row(store, edited.outbox_id).text == body + "!"


def test_nul_characters_become_replacement_characters(store: Store) -> None:
    # PostgreSQL text cannot hold NUL; both backends store the same visible substitute.
    take_in(store, inbound("a\x00b", platform_message_id="1"))
    following = store.take_in(inbound("next", platform_message_id="2"))
    assert following.profile.earlier_messages == ("a\ufffdb",)


def test_datetimes_come_back_aware_in_utc(store: Store) -> None:
    paris = timezone(timedelta(hours=2))
    recorded = take_in(store, inbound(received_at=datetime(2024, 5, 1, 14, 0, tzinfo=paris)))
    saved = store.save_drafting(recorded, analysis=analysis("greeting"), drafts=drafts("A"))
    assert saved.card is not None
    assert saved.card.received_at == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    result = store.decide(
        saved.saved.draft_ids[0],
        action=ReviewAction.SEND,
        reviewer="console",
        at=datetime(2024, 5, 1, 16, 30, tzinfo=paris),
    )
    assert result.draft is not None
    assert result.draft.decided_at == datetime(2024, 5, 1, 14, 30, tzinfo=UTC)
    assert result.draft.decided_at.utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="timezone-aware"):
        store.take_in(inbound(received_at=datetime(2024, 5, 1, 14, 0)))


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
    assert caught.value.key == "store.cannot_open"
    message = str(caught.value)
    assert message.startswith("Cannot open the database at ")
    assert message.endswith(". Check DATABASE_URL.")
    assert "s3cr3t-Pa55" not in message
    assert "s3cr3t-Pa55" not in repr(caught.value.words)
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
        assert caught.value.key == "store.cannot_open"
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
        recorded, ids = conversation_with_drafts(store, "A")
        results = run_together(
            partial(store.decide, ids[0], action=ReviewAction.SEND, reviewer="a"),
            partial(store.decide, ids[0], action=ReviewAction.SEND, reviewer="b"),
        )
        assert sorted(r.applied for r in results) == [False, True]
        assert pending_ids(store, recorded.conversation_pk) == []


def test_sqlite_file_gets_its_folder_wal_and_foreign_keys(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        take_in(store)
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
    recorded = take_in(
        store, InboundMessage(platform="web", conversation_id="r", customer_id="r", text="hello")
    )
    ranked = [
        Draft(text=f"d{r}", template=f"t/{r}", promotional=False, why=why(), rank=r)
        for r in (1, 2, 3)
    ]
    same = [Draft(text=f"s{i}", template=f"s/{i}", promotional=False, why=why()) for i in range(3)]
    for made in (ranked, same):
        saved = store.save_drafting(recorded, analysis=analysis("greeting"), drafts=made)
        assert [store.get_draft(pk).text for pk in saved.saved.draft_ids] == [  # type: ignore[union-attr]
            d.text for d in made
        ]
