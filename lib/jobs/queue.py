"""The task queue (huey), configured at run time to live beside the app's database.

Importing this module does no I/O: the queue starts in memory and ``configure`` points it
at its storage. SQLite: a file beside the database (``stockdesk.db`` →
``stockdesk.jobs.db``); PostgreSQL: huey's own ``huey_*`` tables in the same database.
"""

from __future__ import annotations

import threading
from typing import Any

from huey import Huey
from huey.consumer import Consumer
from huey.storage import BaseStorage, MemoryStorage, PostgresStorage, SqliteStorage

from lib.settings import shared_store

# results=False: outcomes are rows of ``jobs``; huey's SQL storages would keep results forever.
huey = Huey("stockdesk", storage_class=MemoryStorage, results=False, utc=True)

_lock = threading.Lock()
_configured: str | None = None


def queue_storage(database_url: str) -> tuple[type[BaseStorage], dict[str, Any]]:
    """Which huey storage (class and arguments) goes with the app's ``database_url``."""
    store = shared_store(database_url, ".jobs.db")
    if store.postgres_dsn is not None:
        return PostgresStorage, {"dsn": store.postgres_dsn}
    if store.sqlite_file is not None:
        return SqliteStorage, {"filename": str(store.sqlite_file)}
    return MemoryStorage, {}


def configure(database_url: str) -> None:
    """Point the queue at the storage that goes with ``database_url`` (once per URL)."""
    global _configured
    with _lock:
        if _configured == database_url:
            return
        huey.storage_class, huey.storage_kwargs = queue_storage(database_url)
        # In immediate mode (tests) this stays the in-memory storage until it is turned off.
        huey.storage = huey.create_storage()
        _configured = database_url


# An idle huey worker polls less and less often, by default up to every 10 s: a send or
# sync someone starts after a quiet spell would wait that long to begin. At most 1 s.
MAX_POLL_DELAY = 1.0


class EmbeddedConsumer(Consumer):
    """A consumer that runs in a thread of a process whose signals belong to someone else
    (Streamlit): it sets no signal handlers, which only the main thread may do."""

    def _set_signal_handlers(self) -> None:
        return None
