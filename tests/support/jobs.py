"""Jobs in tests: huey's immediate mode, where a task runs at once inside ``start_job``,
or a queue that no worker takes from."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from lib.jobs.queue import huey


@contextmanager
def jobs_run_at_once() -> Iterator[None]:
    """Tasks run in the caller's thread, on an in-memory queue, until the block ends."""
    huey.immediate = True
    try:
        yield
    finally:
        huey.immediate = False


@contextmanager
def jobs_wait_in_the_queue() -> Iterator[None]:
    """Inside ``jobs_run_at_once``: tasks queued in the block wait (no worker takes them)
    and are dropped at its end, as if a worker held them the whole time."""
    huey.immediate = False
    try:
        yield
    finally:
        huey.storage.flush_queue()
        huey.immediate = True
