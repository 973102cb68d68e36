"""Engines and session factories; nothing is connected at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

_SQLITE_PRAGMAS = (
    # WAL lets the app read while a catalog sync writes.
    "PRAGMA journal_mode=WAL",
    # SQLite ignores foreign keys unless asked, per connection.
    "PRAGMA foreign_keys=ON",
    # Wait up to 5 s for another writer instead of failing with "database is locked".
    "PRAGMA busy_timeout=5000",
    # With WAL, NORMAL is still crash-safe (only the last commits can be lost on power
    # failure) and skips an fsync per commit.
    "PRAGMA synchronous=NORMAL",
)


def make_engine(url: str) -> Engine:
    """An engine for ``url``: SQLite with WAL and foreign keys, others with pre-ping."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    # Pre-ping replaces connections a server restart or idle timeout has closed.
    return create_engine(parsed, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine`` whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def _sqlite_engine(url: URL) -> Engine:
    """A SQLite engine whose file's folder exists and whose every connection is tuned."""
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _apply_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            for pragma in _SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    return engine
