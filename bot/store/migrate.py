"""Alembic wiring of the store: a ``Config`` built in code, and the upgrade ``Store.open`` runs.

There is no alembic.ini: the migrations ship inside the package (``bot/store/migrations``), so an
installed Réplique migrates its database with nothing but a URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

__all__ = [
    "MIGRATIONS_DIR",
    "Migration",
    "alembic_config",
    "current_revision",
    "head_revision",
    "upgrade",
]

#: Alembic's script location: env.py, script.py.mako and versions/.
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: Key of the PostgreSQL advisory lock that lets one process at a time migrate (arbitrary constant).
_MIGRATION_LOCK_KEY = 0x5245504C  # "REPL"


def alembic_config(connection: Connection | None = None, *, url: str | None = None) -> Config:
    """An Alembic ``Config`` for the store's migrations, bound to ``connection`` or ``url``.

    With neither, it still serves commands that need no database (``revision``, ``history``).
    """
    config = Config()
    # ConfigParser interpolates "%": a path containing one must be escaped.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@dataclass(frozen=True, slots=True)
class Migration:
    """What an upgrade did: the schema revision before (None: an empty database) and after."""

    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def head_revision() -> str | None:
    """The newest revision the installed Réplique knows (None only without any revision)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision the database behind ``connection`` is at (None: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> Migration:
    """Bring the database behind ``connection`` to ``revision``, inside its current transaction."""
    if connection.dialect.name == "postgresql":
        # Two workers starting together would both try to create the tables; the lock makes the
        # second wait and then find the database already at head. It ends with the transaction.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
    before = current_revision(connection)
    command.upgrade(alembic_config(connection), revision)
    return Migration(before=before, after=current_revision(connection))
