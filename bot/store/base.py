"""The store's foundation: opening and migrating the database, and running transactions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Self, TypeVar

from alembic.util import CommandError
from sqlalchemy import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import StoreError
from bot.store import migrate
from bot.store.engine import (
    WRITE_OPTION,
    create_store_engine,
    failure_reason,
    is_sqlite_memory,
    is_transient,
    normalise_url,
    password_of,
    redact_url,
)
from bot.store.queries import ATTEMPTS

__all__ = ["StoreBase"]

T = TypeVar("T")


class StoreBase:
    """Connection, migrations and the transaction runner that the store's methods build on."""

    def __init__(self, engine: Engine, *, shown_url: str) -> None:
        """Wrap an engine already configured by ``Store.open`` (use that instead)."""
        self._engine = engine
        self._shown_url = shown_url
        #: What ``open`` found and left: the schema revision before and after its upgrade.
        self.migration = migrate.Migration(before=None, after=None)
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
        self._write_sessions = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}),
            expire_on_commit=False,
            autoflush=False,
        )
        # An in-memory SQLite database is one shared connection: transactions must take turns.
        self._serial: AbstractContextManager[object] = (
            threading.RLock() if is_sqlite_memory(engine.url) else nullcontext()
        )

    @classmethod
    def open(cls, url: str) -> Self:
        """Connect to ``url`` (SQLite or PostgreSQL) and migrate its schema to the latest revision.

        Raises StoreError, without the password, when the database cannot be reached or migrated.
        """
        shown = redact_url(url)
        engine: Engine | None = None
        try:
            parsed = normalise_url(make_url(url))
            engine = create_store_engine(parsed)
            store = cls(engine, shown_url=shown)
            with store._write_sessions() as session, session.begin():
                store.migration = migrate.upgrade(session.connection())
        except (SQLAlchemyError, CommandError, OSError, ValueError, ImportError) as exc:
            if engine is not None:
                engine.dispose()
            reason = failure_reason(exc, password_of(url))
            # "from None": the chained driver error could carry connection details into a log.
            raise StoreError("store.cannot_open", url=shown, reason=reason) from None
        return store

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    def raw_connection(self) -> Connection:
        """A connection of its own (for a lock held as long as it stays open); close it after."""
        return self._engine.connect()

    def close(self) -> None:
        """Close every pooled connection; the store must not be used afterwards."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._shown_url!r})"

    def _read(self, work: Callable[[Session], T]) -> T:
        return self._run(work, sessions=self._sessions)

    def _write(self, work: Callable[[Session], T]) -> T:
        return self._run(work, sessions=self._write_sessions)

    def _run(self, work: Callable[[Session], T], *, sessions: sessionmaker[Session]) -> T:
        """Run ``work`` in one transaction; retry deadlocks; a lost database becomes StoreError."""
        attempt = 1
        while True:
            try:
                with self._serial, sessions() as session, session.begin():
                    return work(session)
            except DBAPIError as exc:
                if attempt < ATTEMPTS and is_transient(exc):
                    attempt += 1
                    continue
                if isinstance(exc, OperationalError | InterfaceError):
                    raise StoreError(
                        "store.failed", url=self._shown_url, reason=failure_reason(exc, None)
                    ) from exc
                raise
