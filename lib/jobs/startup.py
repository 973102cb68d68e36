"""What every worker does before it takes jobs, embedded or standalone."""

from __future__ import annotations

import logging

from lib.jobs import tick  # noqa: F401  (registers the periodic task with the queue)
from lib.jobs.heartbeat import Heartbeat
from lib.jobs.queue import configure
from lib.jobs.runs import Runtime, bind_runtime
from lib.jobs.service import recover_orphans, requeue_pending

log = logging.getLogger(__name__)


def prepare_worker(database_url: str, runtime: Runtime, *, embedded: bool) -> Heartbeat:
    """Bind the runtime, point the queue at its storage, start beating, recover orphaned
    jobs and queue pending ones again; the running heartbeat, for ``stop`` at the end."""
    bind_runtime(runtime)
    configure(database_url)
    heartbeat = Heartbeat(runtime.session_factory, embedded=embedded)
    heartbeat.start()
    restarted = recover_orphans(runtime.session_factory)
    queued = requeue_pending(runtime.session_factory)
    log.info("worker ready: %d orphaned job(s) restarted, %d queued", len(restarted), queued)
    return heartbeat
