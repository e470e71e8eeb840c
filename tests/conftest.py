"""Shared fixtures.

Store fixtures: every test that asks for ``store`` (or ``store_url``) runs twice, on a SQLite file
and on the PostgreSQL server named by ``REPLIQUE_TEST_POSTGRES_URL``. The session creates its own
PostgreSQL database and drops it at the end; each test gets a fresh schema in it (through the
connection's ``search_path``), so tests never see each other's rows and leave nothing behind.
An unreachable PostgreSQL fails the postgres tests — it never skips them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import URL, make_url

from bot.config import RESOURCES, AppConfig, load_config
from bot.drafting.replier import Replier
from bot.drafting.session import DraftSession
from bot.nlp import french
from bot.nlp.analyser import Analyser
from bot.store import Store, redact_url

# Réplique speaks the reader's language (bot/i18n/): the tests read English whatever the
# machine's locale, and the commands they start as subprocesses inherit this.
os.environ["REPLIQUE_LANG"] = "en"

# Tests build blank French pipelines directly (spacy.blank("fr")): give them spaCy's French data
# the way the analyser and the trainer load it (bot/nlp/french.py), so they tokenize alike.
french.prepare("fr")

POSTGRES_URL_ENV = "REPLIQUE_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

STORE_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _psycopg_args(url: URL) -> dict[str, Any]:
    """Keyword arguments of ``psycopg.connect`` for a SQLAlchemy URL."""
    args: dict[str, Any] = url.translate_connect_args(username="user", database="dbname")
    args.update({key: value for key, value in url.query.items() if isinstance(value, str)})
    args.setdefault("connect_timeout", 5)
    return args


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[URL]:
    """A PostgreSQL database created for this test session, dropped when it ends."""
    server = make_url(os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL))
    name = f"replique_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    problem: str | None = None
    try:
        admin = psycopg.connect(**_psycopg_args(server), autocommit=True)
    except psycopg.Error as exc:
        problem = " ".join(str(exc).split())
    if problem is not None:
        # Outside the except block, so the report is this one message, not a chained traceback.
        pytest.fail(
            f"PostgreSQL is unreachable at {redact_url(server.render_as_string())} ({problem}). "
            f"Start it, or point {POSTGRES_URL_ENV} at a server where this user may "
            "CREATE DATABASE: postgres tests fail, they never skip.",
            pytrace=False,
        )
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield server.set(database=name)
        finally:
            # FORCE: a test that failed before closing its store must not keep the database alive.
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def postgres_url(postgres_database: URL) -> Iterator[str]:
    """URL of an empty schema of the session database, private to one test."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**_psycopg_args(postgres_database), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    url = postgres_database.update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with psycopg.connect(**_psycopg_args(postgres_database), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a SQLite file that does not exist yet, in a folder that does not exist either."""
    return f"sqlite:///{tmp_path / 'var' / 'replique.db'}"


@pytest.fixture(params=STORE_BACKENDS)
def store_backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgres``: the backend of this run of a store test."""
    return str(request.param)


@pytest.fixture
def store_url(store_backend: str, request: pytest.FixtureRequest) -> str:
    """URL of an empty database of the current backend, private to one test."""
    return str(request.getfixturevalue(f"{store_backend}_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated, empty store on the current backend."""
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()


# --- Analyser and drafter fixtures: loading spaCy pipelines costs seconds, so once a session. ---


@pytest.fixture(scope="session")
def app_config() -> AppConfig:
    """The bundled demo brand (Café Boréal), as a fresh clone runs it."""
    return load_config(RESOURCES / "replique.yml")


@pytest.fixture(scope="session")
def analyser(app_config: AppConfig) -> Analyser:
    return Analyser(app_config)


@pytest.fixture(scope="session")
def session(app_config: AppConfig, analyser: Analyser) -> DraftSession:
    return DraftSession(app_config, replier=Replier(app_config, analyser=analyser))
