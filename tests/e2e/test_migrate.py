"""``replique migrate`` as a deployment runs it: once before the replicas, again at every release.

Each test runs on a SQLite file and on PostgreSQL (``REPLIQUE_TEST_POSTGRES_URL``), through the
``store_url`` fixture of tests/conftest.py.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, inspect, make_url
from typer.testing import CliRunner

from bot.cli import app
from bot.store import Store, redact_url
from bot.store.engine import create_store_engine, normalise_url
from bot.store.migrate import head_revision, upgrade

runner = CliRunner()


def migrate(url: str, *args: str, lang: str = "en") -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["migrate", *args], env={"DATABASE_URL": url, "REPLIQUE_LANG": lang}
    )
    return result.exit_code, result.stdout, result.stderr


def at_revision(url: str, revision: str) -> None:
    """Leave the database at an older ``revision``, as an earlier release would have."""
    engine = create_store_engine(normalise_url(make_url(url)))
    try:
        with engine.begin() as connection:
            upgrade(connection, revision)
    finally:
        engine.dispose()


def tables_of(url: str) -> set[str]:
    engine = create_engine(normalise_url(make_url(url)))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrate_creates_the_schema_and_says_the_revision(store_url: str) -> None:
    head = head_revision()
    assert head is not None
    code, out, err = migrate(store_url)
    assert code == 0, err
    assert f"created at revision {head}, the newest" in out
    assert {"customers", "drafts", "outbox", "alembic_version"} <= tables_of(store_url)
    # The service opens the migrated database as it is: nothing left to do.
    with Store.open(store_url) as store:
        assert store.migration.before == head
        assert not store.migration.changed


def test_migrate_twice_changes_nothing_the_second_time(store_url: str) -> None:
    head = head_revision()
    assert migrate(store_url)[0] == 0
    code, out, err = migrate(store_url, "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "database": redact_url(store_url),
        "previous": head,
        "revision": head,
        "upgraded": False,
    }
    code, out, _ = migrate(store_url)
    assert code == 0
    assert f"already at revision {head}, the newest: nothing to do" in out


def test_migrate_upgrades_a_database_left_by_an_older_release(store_url: str) -> None:
    at_revision(store_url, "0001")
    assert "outbox" not in tables_of(store_url)
    code, out, err = migrate(store_url, "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["previous"] == "0001"
    assert answer["revision"] == head_revision()
    assert answer["upgraded"] is True
    assert "outbox" in tables_of(store_url)


def test_migrate_speaks_french() -> None:
    code, out, _ = migrate("sqlite://", lang="fr")
    assert code == 0
    assert f"créée à la révision {head_revision()}, la plus récente" in out


@pytest.mark.parametrize("as_json", [False, True])
def test_unreachable_database_is_one_line_without_the_password(as_json: bool) -> None:
    url = "postgresql+psycopg://replique:s3cr3t-Pa55@127.0.0.1:1/replique?connect_timeout=3"
    code, out, err = migrate(url, *(["--json"] if as_json else []))
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("replique: Cannot open the database at ")
    assert "127.0.0.1:1" in err
    assert "DATABASE_URL" in err
    assert "s3cr3t-Pa55" not in err
    assert "Traceback" not in err
