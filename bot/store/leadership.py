"""A role one process holds at a time among all that share the database: the leader, which polls
Telegram and runs the sweeps while the others answer webhooks and do queued work.

PostgreSQL: a session advisory lock held on a connection of its own. When the leader dies its
connection closes, the server releases the lock, and the next process that tries takes it.
SQLite (one machine): a row in ``leases`` that the holder renews; a holder that stops renewing
loses it when ``until`` passes.
"""

from __future__ import annotations

import contextlib
import logging
import zlib
from datetime import timedelta

from sqlalchemy import Connection, delete, func, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.store.base import StoreBase
from bot.store.models import LeaseRow, utcnow
from bot.store.queries import insert_for

__all__ = ["Leadership", "LeadershipStore"]

log = logging.getLogger(__name__)


class Leadership:
    """Holds (or tries to hold) the role ``name`` for ``holder``; call ``hold()`` regularly."""

    def __init__(self, store: LeadershipStore, *, name: str, holder: str, ttl: timedelta) -> None:
        self._store = store
        self.name = name
        self.holder = holder
        self._ttl = ttl
        self._connection: Connection | None = None
        self._key: int | None = None

    def hold(self) -> bool:
        """Take or keep the role; True while this process holds it."""
        try:
            if self._store.dialect == "postgresql":
                return self._hold_lock()
            return self._hold_lease()
        except SQLAlchemyError:
            log.warning("leadership %s: the database did not answer; not leading", self.name)
            self._drop_connection()
            return False

    def release(self) -> None:
        """Give the role up (at a clean stop), so another process takes it at once."""
        if self._connection is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._connection.execute(select(func.pg_advisory_unlock(self._key or 0)))
            self._drop_connection()
        elif self._store.dialect != "postgresql":
            self._store.release_lease(self.name, holder=self.holder)

    def _hold_lock(self) -> bool:
        if self._connection is not None:
            try:
                # The lock lives as long as this connection: check that it is still alive.
                self._connection.execute(text("SELECT 1"))
                return True
            except DBAPIError:
                self._drop_connection()
        connection = self._store.raw_connection()
        try:
            if self._key is None:
                # Advisory locks are per database: two deployments in two schemas of one
                # database each have their own leader.
                schema = connection.execute(select(func.current_schema())).scalar_one()
                self._key = zlib.crc32(f"replique:{schema}:{self.name}".encode()) & 0x7FFFFFFF
            won = bool(
                connection.execute(select(func.pg_try_advisory_lock(self._key))).scalar_one()
            )
            connection.commit()
        except SQLAlchemyError:
            connection.close()
            raise
        if not won:
            connection.close()
            return False
        self._connection = connection
        log.info("leadership %s: taken by %s", self.name, self.holder)
        return True

    def _hold_lease(self) -> bool:
        return self._store.hold_lease(self.name, holder=self.holder, ttl=self._ttl)

    def _drop_connection(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._connection.close()
            self._connection = None


class LeadershipStore(StoreBase):
    """The ``leases`` rows behind ``Leadership`` on SQLite."""

    def hold_lease(self, name: str, *, holder: str, ttl: timedelta) -> bool:
        """Take the lease ``name``, or renew it, unless another holder's lease still runs."""
        now = utcnow()

        def work(session: Session) -> bool:
            rows = session.execute(
                insert_for(session, LeaseRow)
                .values(name=name, holder=holder, until=now + ttl)
                .on_conflict_do_update(
                    index_elements=[LeaseRow.name],
                    set_={"holder": holder, "until": now + ttl},
                    where=(LeaseRow.holder == holder) | (LeaseRow.until < now),
                )
                .returning(LeaseRow.holder)
            ).all()
            return bool(rows) and rows[0].holder == holder

        return self._write(work)

    def release_lease(self, name: str, *, holder: str) -> None:
        """End the lease ``name`` if ``holder`` has it."""
        self._write(
            lambda session: session.execute(
                delete(LeaseRow).where(LeaseRow.name == name, LeaseRow.holder == holder)
            )
        )
