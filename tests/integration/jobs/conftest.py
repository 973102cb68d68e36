"""Fixtures for job tests: the sales fixtures (database on every backend, sandboxes, clients)
and the queue in immediate mode, where a task runs inside ``start_job``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from huey.storage import MemoryStorage

from lib.jobs import queue
from lib.jobs.queue import huey
from tests.integration.sales.conftest import (  # noqa: F401  (fixtures used by these tests)
    make_client,
    make_sandbox,
    session_factory,
)
from tests.support.jobs import jobs_run_at_once


@pytest.fixture(autouse=True)
def in_memory_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts on a fresh in-memory queue, whatever an earlier test configured."""
    monkeypatch.setattr(huey, "storage_class", MemoryStorage)
    monkeypatch.setattr(huey, "storage_kwargs", {})
    monkeypatch.setattr(huey, "storage", MemoryStorage(huey.name))
    monkeypatch.setattr(queue, "_configured", None)


@pytest.fixture
def immediate() -> Iterator[None]:
    """Tasks run at once, in the caller's thread, on an in-memory queue."""
    with jobs_run_at_once():
        yield


@pytest.fixture
def queued() -> Iterator[None]:
    """Tasks wait in an in-memory queue that nothing consumes (emptied afterwards)."""
    yield
    huey.storage.flush_queue()
