"""The worker inside the app's process: one consumer per process, in daemon threads.

``make run`` stays one command: the first page run starts it (``lib.ui.shell``), when
``STOCKDESK_EMBEDDED_WORKER`` is true. Replicas that leave the work to ``make worker``
turn it off. Only this worker can reach the demo sandbox, which lives in this process.
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass

from lib.jobs.heartbeat import Heartbeat
from lib.jobs.queue import MAX_POLL_DELAY, EmbeddedConsumer, configure, huey
from lib.jobs.runs import Runtime, bind_runtime
from lib.jobs.startup import prepare_worker

# Jobs mostly wait (on a pacer, an answer, the budget), so threads are cheap; with four
# sources, two threads could both be held for minutes by paced source syncs while a
# user's send or catalog sync waited behind them.
WORKERS = 4
# A graceful stop waits this long (s) for the job in flight; past it the job is cut off
# and found again through its heartbeat.
SHUTDOWN_TIMEOUT = 10


@dataclass
class _Running:
    consumer: EmbeddedConsumer
    thread: threading.Thread
    heartbeat: Heartbeat


_lock = threading.Lock()
_running: _Running | None = None


def attach_app(database_url: str, runtime: Runtime, *, embedded_worker: bool) -> None:
    """Let this app process queue jobs on the shared queue, and run them too when
    ``embedded_worker``; cheap to call on every page run."""
    bind_runtime(runtime)  # the newest client, should the key have changed
    configure(database_url)
    if embedded_worker:
        ensure_worker(database_url, runtime)


def ensure_worker(database_url: str, runtime: Runtime) -> None:
    """Start this process's embedded worker unless it runs already."""
    global _running
    with _lock:
        if _running is not None:
            return
        heartbeat = prepare_worker(database_url, runtime, embedded=True)
        consumer = EmbeddedConsumer(
            huey,
            workers=WORKERS,
            worker_type="thread",
            shutdown_timeout=SHUTDOWN_TIMEOUT,
            max_delay=MAX_POLL_DELAY,
        )
        thread = threading.Thread(target=consumer.run, name="stockdesk-jobs", daemon=True)
        thread.start()
        _running = _Running(consumer=consumer, thread=thread, heartbeat=heartbeat)
        atexit.register(stop_worker)


def stop_worker() -> None:
    """Stop the embedded worker gracefully (the job in flight gets ``SHUTDOWN_TIMEOUT`` s)."""
    global _running
    with _lock:
        running, _running = _running, None
    if running is None:
        return
    running.consumer.stop(graceful=True)
    running.thread.join(timeout=SHUTDOWN_TIMEOUT)
    running.heartbeat.stop()
