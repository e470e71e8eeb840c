"""The customer's data on both stores: export, forget, retention and the audit log."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, insert, select, text

from bot.domain import InboundMessage, ReviewAction
from bot.store import NewWork, Store
from bot.store.models import Base, CustomerRow, MessageRow, OutboxRow, ProcessedEventRow
from bot.store.privacy import CUSTOMER_TABLES, parse_customer_key
from tests.integration.test_store import LEASE, analysis, drafts

_updates = itertools.count(1)
SECRET = "Zéphyrine-7Q4X"  # appears nowhere but in this customer's rows
EMAIL = "zephyrine.7q4x@example.org"


def message(customer: str, text_: str, *, name: str = "Camille", **more: object) -> InboundMessage:
    return InboundMessage(
        platform="telegram",
        conversation_id=f"chat-{customer}",
        customer_id=customer,
        text=text_,
        customer_name=name,
        **more,  # type: ignore[arg-type]
    )


def full_history(
    store: Store,
    customer: str,
    *,
    received_at: datetime | None = None,
    secret: str = SECRET,
    email: str = EMAIL,
) -> int:
    """A customer with every kind of row: message, analysis, drafts, a card posted twice, an
    intent fix, an edited reply delivered (outbox + outbound message), an event id. Returns the
    card id."""
    written = message(
        customer,
        f"My order #{customer}88 never came, write to {email} — {secret}",
        name=f"{secret} Dubois",
        platform_message_id="m1",
        received_at=received_at,
    )
    # As the desk does: the platform's event is stored with the queued message, then drafted.
    queued = store.enqueue(
        NewWork(
            lane="inbound",
            platform=written.platform,
            payload={"text": written.text},
            event_id=f"tg:update-{next(_updates)}",  # Telegram's update_id says nothing of who
            conversation_key=f"{written.platform}:{written.conversation_id}",
        )
    )
    assert queued is not None
    intake = store.take_in(written)
    saved = store.save_drafting(
        intake.recorded, analysis=analysis("order_status"), drafts=drafts("Hello", "Hi")
    )
    assert saved.card is not None
    card_id = saved.card.card_id
    store.add_card_post(card_id, desk="slack", chat_id="C_DESK", message_id=f"ts-{customer}")
    store.add_card_post(card_id, desk="telegram", chat_id="-100", message_id=f"7{customer}")
    store.record_intent_correction(
        intake.recorded.message_pk, predicted="order_status", corrected="complaint", reviewer="x"
    )
    decided = store.decide(
        saved.saved.draft_ids[0],
        action=ReviewAction.EDIT,
        reviewer="slack:U_REVIEWER",
        edited_text=f"Sorry {secret}, refund on its way",
    )
    assert decided.outbox_id is not None
    assert decided.outbox_id in [item.id for item in store.claim_outbox(lease=LEASE)]
    assert store.mark_delivered(decided.outbox_id, platform_message_id="out-1")
    return card_id


def rows(store: Store, table: str) -> int:
    with store._engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def all_counts(store: Store) -> dict[str, int]:
    return {name: rows(store, name) for name in sorted(Base.metadata.tables)}


def test_customer_keys_are_platform_and_id() -> None:
    assert parse_customer_key("slack:U0123ABCD") == ("slack", "U0123ABCD")
    assert parse_customer_key("telegram:5550001") == ("telegram", "5550001")
    assert parse_customer_key("web:a:b") == ("web", "a:b")
    for bad in ("", "slack", "slack:", ":U01", "  "):
        assert parse_customer_key(bad) is None


def test_export_holds_every_row_of_the_customer_and_none_of_others(store: Store) -> None:
    card_id = full_history(store, "5550001")
    full_history(store, "5550002")
    store.record_audit(
        actor="telegram:5550001", platform="telegram", action="send", outcome="not_reviewer"
    )
    exported = store.export_customer("telegram", "5550001")
    assert exported is not None
    json.dumps(exported)  # JSON as it is
    assert exported["customer"] == "telegram:5550001"
    tables = exported["tables"]
    assert set(tables) == set(CUSTOMER_TABLES)
    assert {name for name, found in tables.items() if not found} == set()
    assert tables["customers"][0]["platform_user_id"] == "5550001"
    assert tables["customers"][0]["display_name"] == f"{SECRET} Dubois"
    assert [m["direction"] for m in tables["messages"]] == ["inbound", "outbound"]
    assert SECRET in tables["messages"][0]["text"]
    assert tables["decisions"][0]["edited_text"] == f"Sorry {SECRET}, refund on its way"
    assert [c["id"] for c in tables["review_cards"]] == [card_id]
    assert len(tables["card_posts"]) == 2
    assert tables["audit_log"][0]["outcome"] == "not_reviewer"
    assert "5550002" not in json.dumps(exported)
    assert store.export_customer("telegram", "nobody") is None
    assert store.export_customer("slack", "5550001") is None  # the platform is part of the key


def test_forget_erases_every_row_about_the_customer_and_only_theirs(store: Store) -> None:
    full_history(store, "5550001")
    before_other = all_counts(store)
    full_history(store, "5550002")
    store.record_audit(
        actor="telegram:5550002", platform="telegram", action="send", outcome="not_reviewer"
    )
    store.record_audit(actor="slack:U_REVIEWER", platform="slack", action="edit", outcome="applied")

    erased = store.forget_customer("telegram", "5550002", by="cli:ops")

    assert erased is not None
    assert erased["customers"] == 1
    assert erased["messages"] == 2
    assert erased["audit_log"] == 1
    assert erased.total == sum(erased.values())
    assert erased.scrubbed
    assert store.export_customer("telegram", "5550002") is None
    after = all_counts(store)
    for table in CUSTOMER_TABLES:
        if table != "audit_log":
            assert after[table] == before_other[table], table  # as if they had never written
    assert after["processed_events"] == 2  # event ids hold nothing about anyone
    # The reviewer's entry stays; the forget leaves one entry naming the platform, not the person.
    entries = store.audit_entries()
    assert [(e.action, e.actor) for e in entries] == [
        ("forget", "cli:ops"),
        ("edit", "slack:U_REVIEWER"),
    ]
    forget = entries[0]
    assert forget.platform == "telegram"
    assert forget.reason == f"rows={erased.total}"
    assert "5550002" not in json.dumps(forget.as_json())
    # The other customer is untouched.
    assert store.export_customer("telegram", "5550001") is not None
    assert store.forget_customer("telegram", "5550002", by="cli:ops") is None


def test_a_forgotten_customer_who_writes_again_starts_afresh(store: Store) -> None:
    full_history(store, "5550003")
    assert store.forget_customer("telegram", "5550003", by="cli:ops") is not None
    intake = store.take_in(message("5550003", "Bonjour"))
    assert intake.profile.name == "Camille"
    assert intake.profile.past_intents == ()


def _forget_and_read_the_file(sqlite_url: str, *, secure_delete: bool) -> list[bytes]:
    """Forget one customer among many; return which of their texts the raw files still hold."""
    path = Path(sqlite_url.removeprefix("sqlite:///"))

    def on_disk() -> bytes:
        # The database file with its free pages, and the write-ahead log beside it.
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    store = Store.open(sqlite_url)
    if not secure_delete:
        # What a SQLite built without SQLITE_SECURE_DELETE would do, were the store not to ask.
        event.listen(
            store._engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA secure_delete=OFF")
        )
        store._engine.dispose()
    try:
        for n in range(30):  # enough rows for several pages, so some become free pages
            full_history(store, f"77{n:02d}", secret=f"other-{n}", email=f"o{n}@example.org")
        full_history(store, "5550009")
        needles = [SECRET.encode(), EMAIL.encode(), b"5550009"]
        assert all(needle in on_disk() for needle in needles)  # the test can see the text

        assert store.forget_customer("telegram", "5550009", by="cli:ops") is not None

        assert b"other-17" in on_disk()  # the other customers are still there
    finally:
        store.close()
    disk = on_disk()
    return [needle for needle in needles if needle in disk]


def test_forget_leaves_no_customer_text_in_the_sqlite_file(sqlite_url: str) -> None:
    assert _forget_and_read_the_file(sqlite_url, secure_delete=True) == []
    with Store.open(sqlite_url) as store, store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar_one() == 1


def test_without_secure_delete_the_text_would_stay_in_free_pages(sqlite_url: str) -> None:
    # Why the store turns secure_delete on: deleted rows otherwise stay readable in the file.
    assert _forget_and_read_the_file(sqlite_url, secure_delete=False) != []


def test_retention_erases_old_data_and_keeps_recent_and_waiting_replies(store: Store) -> None:
    now = datetime.now(UTC)
    full_history(store, "5550010", received_at=now - timedelta(days=100))
    # A recent customer, and an old message whose approved reply has not gone out yet.
    full_history(store, "5550011")
    waiting = store.take_in(
        message("5550012", "old but waiting", received_at=now - timedelta(days=90))
    )
    saved = store.save_drafting(
        waiting.recorded, analysis=analysis("greeting"), drafts=drafts("Hi")
    )
    pending = store.decide(saved.saved.draft_ids[0], action=ReviewAction.SEND, reviewer="console")
    store.record_audit(
        actor="telegram:5550010",
        platform="telegram",
        action="send",
        outcome="not_reviewer",
        at=now - timedelta(days=40),
    )

    counts = store.apply_retention(now, 30)

    assert counts["messages"] == 1  # 5550010's inbound message; its reply went out today
    assert counts["drafts"] == 2
    assert counts["outbox"] == 1
    assert counts["audit_log"] == 1
    assert counts["card_posts"] == 2
    assert counts["decisions"] == counts["review_cards"] == counts["analyses"] == 1
    texts = [m["text"] for m in store.export_customer("telegram", "5550010")["tables"]["messages"]]  # type: ignore[index]
    assert texts == [f"Sorry {SECRET}, refund on its way"]  # the reply sent today stays
    assert store.export_customer("telegram", "5550011")["tables"]["drafts"]  # type: ignore[index]
    with store._engine.connect() as conn:
        assert (
            conn.execute(
                select(OutboxRow.status).where(OutboxRow.id == pending.outbox_id)
            ).scalar_one()
            == "pending"
        )
        assert (
            conn.execute(
                select(func.count())
                .select_from(MessageRow)
                .where(MessageRow.text == "old but waiting")
            ).scalar_one()
            == 1
        )
    # The sweep records what it did, without saying about whom.
    entry = store.audit_entries(limit=1)[0]
    assert (entry.action, entry.actor) == ("retention", "service")
    assert "messages=1" in (entry.reason or "")
    assert store.apply_retention(now, 30) == {}  # nothing left to do: nothing recorded either
    with pytest.raises(ValueError, match="at least 1"):
        store.apply_retention(now, 0)


def test_retention_long_after_erases_customers_but_remembers_opt_outs(store: Store) -> None:
    full_history(store, "5550020")
    opted = store.take_in(message("5550021", "STOP"))
    store.save_drafting(
        opted.recorded,
        analysis=analysis("opt_out"),
        drafts=[],
        opted_out_at=datetime.now(UTC),
    )
    later = datetime.now(UTC) + timedelta(days=400)

    first = store.apply_retention(later, 30, batch=1)
    assert first["messages"] == 1  # one message per call with batch=1
    while store.apply_retention(later, 30).get("messages"):
        pass

    left = all_counts(store)
    assert left["customers"] == 1
    assert left["audit_log"] >= 1  # the retention entries themselves
    assert {
        name: n for name, n in left.items() if n and name not in ("customers", "audit_log")
    } == {}
    with store._engine.connect() as conn:
        kept = conn.execute(
            select(CustomerRow.platform_user_id, CustomerRow.display_name, CustomerRow.opted_out)
        ).one()
        assert tuple(kept) == ("5550021", None, True)
        assert conn.execute(select(func.count()).select_from(ProcessedEventRow)).scalar_one() == 0


def test_audit_entries_newest_first_filtered_and_never_longer_than_kept(store: Store) -> None:
    t0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    store.record_audit(
        actor="slack:U1", platform="slack", action="send", outcome="applied", card_id=3, at=t0
    )
    store.record_audit(
        actor="telegram:9",
        platform="telegram",
        action="discard",
        outcome="not_reviewer",
        card_id=3,
        at=t0 + timedelta(minutes=1),
    )
    store.record_audit(
        actor="x" * 1000,
        platform="web",
        action="edit",
        outcome="refused",
        reason="not_pending",
        at=t0 + timedelta(minutes=2),
    )
    entries = store.audit_entries()
    assert [e.action for e in entries] == ["edit", "discard", "send"]
    assert len(entries[0].actor) == 200
    assert entries[2].at == t0
    assert entries[2].card_id == 3
    assert [e.action for e in store.audit_entries(limit=1)] == ["edit"]
    assert [e.action for e in store.audit_entries(actor="telegram:9")] == ["discard"]
    assert [
        e.action for e in store.audit_entries(since=t0 + timedelta(seconds=30), limit=None)
    ] == [
        "edit",
        "discard",
    ]
    with pytest.raises(ValueError, match="outcome"):
        store.record_audit(actor="a", platform="slack", action="send", outcome="maybe")


def test_a_database_error_never_shows_customer_text(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    log = logging.getLogger("replique.test")

    def broken(session: object) -> None:
        # A message pointing at no conversation: the foreign key refuses it.
        session.execute(  # type: ignore[attr-defined]
            insert(MessageRow).values(
                conversation_id=999_999, direction="inbound", text=f"{SECRET} {EMAIL}"
            )
        )

    with pytest.raises(Exception) as raised:  # noqa: PT011 - IntegrityError's class differs per driver
        store._write(broken)
    log.error("store failed: %s", raised.value, exc_info=raised.value)
    assert "IntegrityError" in caplog.text or "ForeignKeyViolation" in caplog.text
    assert SECRET not in caplog.text
    assert EMAIL not in caplog.text
    assert "hide_parameters" in caplog.text  # SQLAlchemy says the values were left out


def test_retention_days_is_read_from_the_configuration(tmp_path: Path) -> None:
    from bot.config import AppConfig, load_config
    from bot.errors import ConfigError

    assert AppConfig().privacy.retention_days == 0  # kept until forgotten, by default
    config = tmp_path / "replique.yml"
    config.write_text("privacy:\n  retention_days: 365\n", encoding="utf-8")
    assert load_config(config).privacy.retention_days == 365
    config.write_text("privacy:\n  retention_days: -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="retention_days"):
        load_config(config)
