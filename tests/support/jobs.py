"""Jobs in tests: huey's immediate mode, where a task runs at once inside ``start_job``."""

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
