"""Running one job: mark it running, call its work with a progress callback, store the outcome.

A task is ``run_job(job_id, work)``; ``work`` gets the job, what the process runs jobs
with (``Runtime``) and a callback that writes progress to the job's row.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from lib.db import JobRecord, JobState, UnitOfWork
from lib.pleasurestock import PleasureStockClient
from lib.sales.channel_pull import ChannelRules
from lib.settings import Settings
from lib.sources.namespaces import Namespace
from lib.sources.source import Source

log = logging.getLogger(__name__)

# The shop's time zone when no channel rules are bound (tests): STOCK2SHOP_TIME_ZONE's
# default.
SHOP_TIME_ZONE = ZoneInfo(Settings.model_fields["stock2shop_time_zone"].default)

# Names this process in ``jobs.worker_id`` and ``workers``: host, pid and a random part, so
# a restarted process with a reused pid is a new worker.
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"


def died_on_this_host(worker_id: str) -> bool:
    """Whether ``worker_id`` names a process of this host that no longer runs (killed,
    crashed): its jobs need not wait for the heartbeat to go stale. A worker of another
    host, or a pid some process uses again, is left to the heartbeat."""
    host, _, rest = worker_id.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, run by another user
        return False
    return False


Progress = Callable[[int, int, str | None], None]


def utc_now() -> datetime:
    """The current moment in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Runtime:
    """What this process runs jobs with: the database's sessions, the API client, the
    schedules (``lib.jobs.schedules.Schedule``) its tick starts, the other configured
    sources, the code namespaces declared equal for link proposals, and the channel
    pull's rules (the shop's time zone among them)."""

    session_factory: sessionmaker[Session]
    client: PleasureStockClient
    schedules: tuple[Any, ...] = ()
    sources: tuple[Source, ...] = ()
    link_namespaces: tuple[frozenset[Namespace], ...] = ()
    channel_rules: ChannelRules | None = None
    # Demo mode forecasts from the sandbox's seeded sales history, live from the ledger.
    demo_mode: bool = False

    def source(self, key: str) -> Source | None:
        """The configured source ``key``, or None."""
        return next((s for s in self.sources if s.key == key), None)

    @property
    def time_zone(self) -> tzinfo:
        """The shop's time zone (``STOCK2SHOP_TIME_ZONE``, through the channel rules the
        frame builds from the settings): the day a stock snapshot belongs to."""
        return self.channel_rules.time_zone if self.channel_rules else SHOP_TIME_ZONE


@dataclass(frozen=True)
class JobResult:
    """How a job ended: its final state, a message for people, and the error if any."""

    state: JobState
    message: str | None = None
    error: str | None = None


Work = Callable[[JobRecord, Runtime, Progress], JobResult]

_runtime: Runtime | None = None
_runtime_lock = threading.Lock()


def bind_runtime(runtime: Runtime) -> None:
    """Give this process's tasks their database and client (the app or the worker does)."""
    global _runtime
    with _runtime_lock:
        _runtime = runtime


def current_runtime() -> Runtime:
    """The runtime bound by ``bind_runtime``; raises RuntimeError before that."""
    if _runtime is None:
        raise RuntimeError("lib.jobs.runs.bind_runtime() was not called in this process")
    return _runtime


def run_job(job_id: int, work: Work) -> JobState | None:
    """Run job ``job_id`` with ``work`` unless another worker took it; its final state.

    An exception from ``work`` fails the job with the error as its ``last_error`` (the
    queue would only log it). Returns None when the job was not pending any more.
    """
    runtime = current_runtime()
    with UnitOfWork(runtime.session_factory) as uow:
        started = uow.jobs.start(job_id, worker_id=WORKER_ID, at=utc_now())
        uow.commit()
        job = uow.jobs.get(job_id)
    if not started or job is None:
        return None

    def progress(done: int, total: int, message: str | None) -> None:
        with UnitOfWork(runtime.session_factory) as uow:
            uow.jobs.progress(job_id, done, total, message)
            uow.commit()

    try:
        result = work(job, runtime, progress)
    except Exception as failure:  # the job's row is where a person reads what went wrong
        log.exception("job %s (%s) failed", job_id, job.kind)
        result = JobResult("failed", error=f"{type(failure).__name__}: {failure}")
    with UnitOfWork(runtime.session_factory) as uow:
        uow.jobs.finish(
            job_id, result.state, at=utc_now(), message=result.message, error=result.error
        )
        uow.commit()
    return result.state
