"""The process's database: one engine per URL, migrated to the latest revision once.

Pages (through ``lib.ui``) and the HTTP routes beside the UI (health check,
webhooks) share it, so whichever runs first migrates and nobody opens a second pool.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lib.db.engine import make_engine, make_session_factory
from lib.db.migrate import upgrade_to_head


@dataclass(frozen=True)
class Database:
    """An engine and its session factory."""

    engine: Engine
    session_factory: sessionmaker[Session]


_lock = threading.Lock()


@functools.cache
def _open(url: str) -> Database:
    engine = make_engine(url)
    upgrade_to_head(engine)
    return Database(engine=engine, session_factory=make_session_factory(engine))


def open_database(url: str) -> Database:
    """The migrated database at ``url``, created on first use and shared afterwards."""
    with _lock:  # one migration at a time, even when pages and routes start together
        return _open(url)
