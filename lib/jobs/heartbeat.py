"""A worker's heartbeat: a daemon thread that says every few seconds that the worker is alive."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.jobs.runs import WORKER_ID, utc_now
from lib.jobs.service import HEARTBEAT

log = logging.getLogger(__name__)


class Heartbeat:
    """Beats for ``WORKER_ID`` until stopped; ``stop`` removes the worker's row."""

    def __init__(self, session_factory: sessionmaker[Session], *, embedded: bool) -> None:
        self._session_factory = session_factory
        self._embedded = embedded
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stockdesk-heartbeat", daemon=True)

    def start(self) -> None:
        """Beat once now (so the worker is known before its first job), then in a thread."""
        self.beat()
        self._thread.start()

    def beat(self) -> None:
        """Record that this worker is alive now."""
        with UnitOfWork(self._session_factory) as uow:
            uow.workers.beat(WORKER_ID, at=utc_now(), embedded=self._embedded)
            uow.commit()

    def stop(self) -> None:
        """Stop beating and forget this worker (its jobs have ended)."""
        self._stopped.set()
        self._thread.join(timeout=5)
        with UnitOfWork(self._session_factory) as uow:
            uow.workers.remove(WORKER_ID)
            uow.commit()

    def _run(self) -> None:
        while not self._stopped.wait(HEARTBEAT.total_seconds()):
            try:
                self.beat()
            except Exception:  # a database blip must not end the heartbeat for good
                log.exception("heartbeat of %s failed", WORKER_ID)
