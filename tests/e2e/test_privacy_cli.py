"""``replique export``, ``forget`` and ``audit`` on both stores, as an operator runs them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.store import Store
from tests.integration.test_privacy import SECRET, full_history, message

runner = CliRunner()


@pytest.fixture
def filled(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The database the commands open (DATABASE_URL), with two customers in it."""
    monkeypatch.setenv("DATABASE_URL", store_url)
    monkeypatch.setenv("REPLIQUE_LANG", "en")
    with Store.open(store_url) as store:
        full_history(store, "5550001")
        full_history(store, "5550002", received_at=datetime.now(UTC) - timedelta(days=100))
        store.take_in(message("5550003", "[bold]not markup[/bold] Ça va ?", name="Léa"))
        yield store


def test_export_json_is_every_row_about_the_customer(filled: Store) -> None:
    result = runner.invoke(app, ["export", "telegram:5550001", "--json"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.stdout)
    assert exported["customer"] == "telegram:5550001"
    assert exported["tables"]["customers"][0]["display_name"] == f"{SECRET} Dubois"
    assert len(exported["tables"]["messages"]) == 2
    assert "5550002" not in result.stdout


def test_export_for_a_person_reads_the_conversation_literally(filled: Store) -> None:
    result = runner.invoke(app, ["export", "telegram:5550003"])
    assert result.exit_code == 0, result.output
    assert "telegram:5550003 (Léa)" in result.stdout
    assert "messages 1" in result.stdout
    assert "[bold]not markup[/bold] Ça va ?" in result.stdout  # customer text is never markup


def test_forget_erases_and_the_audit_log_keeps_only_that_it_happened(filled: Store) -> None:
    result = runner.invoke(app, ["forget", "telegram:5550001", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["found"] is True
    assert answer["rows"]["customers"] == 1
    assert answer["total"] == sum(answer["rows"].values())
    assert answer["file_scrubbed"] is True

    again = runner.invoke(app, ["export", "telegram:5550001", "--json"])
    assert again.exit_code == 3
    assert json.loads(again.stdout) == {"customer": "telegram:5550001", "found": False}

    audit = runner.invoke(app, ["audit", "--json"])
    assert audit.exit_code == 0, audit.output
    entries = [json.loads(line) for line in audit.stdout.splitlines()]
    assert entries[0]["action"] == "forget"
    assert entries[0]["actor"].startswith("cli")
    assert entries[0]["platform"] == "telegram"
    assert "5550001" not in audit.stdout
    table = runner.invoke(app, ["audit"])
    assert table.exit_code == 0
    assert "forget" in table.stdout


def test_forget_in_words(filled: Store) -> None:
    result = runner.invoke(app, ["forget", "telegram:5550003"])
    assert result.exit_code == 0, result.output
    assert "Forgot telegram:5550003:" in result.stdout
    assert "customers 1" in result.stdout


def test_forget_older_than_erases_only_old_data(filled: Store) -> None:
    result = runner.invoke(app, ["forget", "--older-than", "30", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["rows"]["messages"] == 1  # 5550002's message of 100 days ago
    assert answer["older_than_days"] == 30
    assert filled.export_customer("telegram", "5550001") is not None
    nothing = runner.invoke(app, ["forget", "--older-than", "30"])
    assert "Nothing is older than 30 day(s)" in nothing.stdout


@pytest.mark.parametrize(
    ("args", "status", "said"),
    [
        (["export", "telegram:9999"], 3, "nothing is held about telegram:9999"),
        (["forget", "slack:5550001"], 3, "nothing is held about slack:5550001"),
        (["export", "5550001"], 1, "'5550001' is not a customer"),
        (["forget"], 1, "say whom to forget"),
        (["forget", "telegram:1", "--older-than", "3"], 1, "not both"),
        (["forget", "--older-than", "0"], 1, "at least 1"),
    ],
)
def test_mistakes_get_one_line_and_a_status(
    filled: Store, args: list[str], status: int, said: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == status
    assert said in result.output
    assert "Traceback" not in result.output
    assert filled.export_customer("telegram", "5550001") is not None  # nothing was erased


def test_the_words_are_french_for_a_french_reader(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLIQUE_LANG", "fr")
    result = runner.invoke(app, ["forget", "telegram:424242"])
    assert result.exit_code == 3
    assert "rien n'est conservé sur telegram:424242" in result.output
