"""Connecting the store to its database: URLs, engines, SQLite pragmas and locking, errors.

Everything here is about the connection, not the data: which URLs are accepted (``postgres://``
means psycopg 3), how SQLite is set up for several threads (WAL, foreign keys, ``BEGIN IMMEDIATE``
for writers), PostgreSQL timeouts, which failures are worth retrying, and how a failure is told to
the user without ever showing a password.
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import Any, Final

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from bot.errors import Words

__all__ = [
    "WRITE_OPTION",
    "create_store_engine",
    "failure_reason",
    "is_sqlite_memory",
    "is_transient",
    "normalise_url",
    "password_of",
    "redact_url",
]

#: Execution option that marks an engine whose transactions write (SQLite: BEGIN IMMEDIATE).
WRITE_OPTION: Final = "replique_write"
#: SQLSTATEs of serialization_failure and deadlock_detected: safe to run the transaction again.
_TRANSIENT_SQLSTATES: Final = frozenset({"40001", "40P01"})
#: Seconds a SQLite connection waits for another writer before giving up ("database is locked").
_SQLITE_BUSY_TIMEOUT: Final = 30.0
#: Seconds PostgreSQL connection attempts wait, unless the URL says otherwise.
_PG_CONNECT_TIMEOUT: Final = 10
#: Seconds a pooled PostgreSQL connection may sit unused before it is checked at checkout.
_PING_AFTER_IDLE: Final = 1.0


def redact_url(url: str) -> str:
    """``url`` with its password hidden, fit for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError):
        # Not a URL SQLAlchemy can parse, so where the password ends is a guess: hide everything
        # between the scheme and the last "@".
        head, at, host = url.rpartition("@")
        if not at:
            return url
        scheme, separator, _credentials = head.partition("://")
        return f"{scheme}{separator}***@{host}" if separator else f"***@{host}"


def password_of(url: str) -> str | None:
    try:
        password = make_url(url).password
    except (SQLAlchemyError, ValueError):
        return None
    return str(password) if password else None


def failure_reason(exc: BaseException, password: str | None) -> str:
    """One line saying what went wrong, from the driver's own message when there is one."""
    origin = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = " ".join(str(origin).split()) or type(origin).__name__
    if password:
        text = text.replace(password, "***")
    return text.rstrip(".")


def is_transient(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in _TRANSIENT_SQLSTATES


def normalise_url(url: URL) -> URL:
    """Accept the URLs people paste: ``postgres://`` and ``postgresql://`` mean psycopg 3."""
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("postgresql", "sqlite"):
        # Caught by Store.open, which shows it to the user inside its StoreError.
        raise ValueError(Words("store.unsupported", backend=url.get_backend_name()))
    return url


def is_sqlite_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def create_store_engine(url: URL) -> Engine:
    """An engine configured for the store: SQLite pragmas and locking, PostgreSQL timeouts.

    ``hide_parameters``: a statement's values are customer text, and SQLAlchemy puts them in the
    message of every database error, which ends up in logs.
    """
    if url.get_backend_name() == "postgresql":
        connect_args: dict[str, Any] = {}
        if "connect_timeout" not in url.query:
            connect_args["connect_timeout"] = _PG_CONNECT_TIMEOUT
        engine = create_engine(url, hide_parameters=True, connect_args=connect_args)
        # A long-running service outlives server restarts and idle-connection reaping, so a
        # connection that sat in the pool is checked before use. Not one used a moment ago: under
        # load, pool_pre_ping's extra round trip per transaction was an eighth of the hot path.
        event.listen(engine, "checkin", _note_checkin)
        event.listen(engine, "checkout", _ping_if_idle)
        return engine
    memory = is_sqlite_memory(url)
    if memory:
        # One connection for everyone, or each session would see its own empty database.
        engine = create_engine(
            url,
            poolclass=StaticPool,
            hide_parameters=True,
            connect_args={"check_same_thread": False},
        )
    else:
        if url.database and not url.query.get("uri"):
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, hide_parameters=True, connect_args={"timeout": _SQLITE_BUSY_TIMEOUT}
        )
    event.listen(engine, "connect", partial(_sqlite_on_connect, wal=not memory))
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _note_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
    """Check a connection that was idle for a while; a dead one makes the pool connect anew."""
    idle = time.monotonic() - record.info.get("checked_in", 0.0)
    if idle < _PING_AFTER_IDLE:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
    except Exception as exc:
        # The documented way to tell the pool: it discards this connection and opens another.
        raise DisconnectionError() from exc


def _sqlite_on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry, *, wal: bool) -> None:
    """Enforce foreign keys, zero deleted content, use WAL, and let SQLAlchemy (not sqlite3)
    emit BEGIN."""
    # sqlite3's own transaction handling skips BEGIN before SELECT and DDL; _sqlite_on_begin takes
    # over so that every transaction, migrations included, is real.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        # Erased customer text must not linger in the file's free pages (replique forget).
        cursor.execute("PRAGMA secure_delete=ON")
        if wal:
            # Readers no longer block the writer, which the bot's several threads rely on.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    """Start write transactions with BEGIN IMMEDIATE, so writers queue instead of failing.

    A deferred transaction that reads and then writes cannot wait for a concurrent writer in WAL
    mode (SQLITE_BUSY at once); taking the write lock up front makes it wait for the busy timeout.
    """
    writes = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
