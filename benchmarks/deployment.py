"""A throwaway StockDesk deployment for the jobs benchmark: a database, its API, workers.

The database is a SQLite file in a temporary folder, or a PostgreSQL database created for
the run (from ``STOCKDESK_TEST_POSTGRES_URL``) and dropped afterwards, connections and all.
Workers are real ``python -m lib.jobs.worker`` processes; whatever is started here is
stopped when its ``with`` block ends, Ctrl-C included.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.observed_sandbox import ObservedSandbox, observed_sandbox
from benchmarks.timing import PROJECT_ROOT
from lib.currency import CONVERTIBLE_CURRENCIES
from lib.db import UnitOfWork, make_engine, make_session_factory, upgrade_to_head
from lib.sandbox.embedded import DEMO_API_KEY
from lib.sandbox.routes_sales import RATES_TO_TRY

POSTGRES_URL_VARIABLE = "STOCKDESK_TEST_POSTGRES_URL"
# The daily catalog sync stays out of the run (a run in the last minute of a UTC day would
# see it start); the apps' two syncs are the ones measured.
CATALOG_SYNC_TIME = "23:59"
# A graceful stop lets the job in flight finish; past this (s) the worker is killed.
STOP_TIMEOUT = 15


@contextmanager
def throwaway_database(postgres_url: str | None) -> Iterator[str]:
    """The URL of an empty database: a SQLite file, or a new PostgreSQL database on the
    server ``postgres_url`` names (dropped afterwards, whoever is still connected)."""
    if postgres_url is None:
        with tempfile.TemporaryDirectory(prefix="stockdesk-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'stockdesk.db'}"
        return
    name = f"stockdesk_bench_{uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def migrated(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on the database, migrated to the latest revision, with today's TRY rates
    stored as a deployment past 00:10 UTC has them (so the rates schedule sends nothing)."""
    engine = make_engine(database_url)
    upgrade_to_head(engine)
    session_factory = make_session_factory(engine)
    now = datetime.now(UTC)
    with UnitOfWork(session_factory) as uow:
        for currency in CONVERTIBLE_CURRENCIES:
            uow.rates.add(currency, RATES_TO_TRY[currency], now, now)
        uow.commit()
    try:
        yield session_factory
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Deployment:
    """One deployment: its database, an observed sandbox as its API, and the environment
    every app replica and worker of it runs with."""

    database_url: str
    session_factory: sessionmaker[Session]
    sandbox: ObservedSandbox
    env: dict[str, str]


@contextmanager
def deployment(postgres_url: str | None, today: date) -> Iterator[Deployment]:
    """A fresh deployment (``throwaway_database``, ``migrated``) whose sandbox's data is
    relative to ``today``; everything is gone after the ``with`` block."""
    with (
        throwaway_database(postgres_url) as url,
        migrated(url) as session_factory,
        observed_sandbox("--today", today.isoformat()) as sandbox,
    ):
        env = {
            "STOCKDESK_DATABASE_URL": url,
            "PLEASURESTOCK_BASE_URL": sandbox.base_url,
            "PLEASURESTOCK_API_KEY": DEMO_API_KEY,
            "STOCKDESK_EMBEDDED_WORKER": "false",
            "STOCKDESK_CATALOG_SYNC_TIME": CATALOG_SYNC_TIME,
        }
        yield Deployment(url, session_factory, sandbox, env)


def worker_id_prefix(pid: int) -> str:
    """How ``lib.jobs.runs.WORKER_ID`` starts for the process ``pid`` on this host."""
    return f"{socket.gethostname()}:{pid}:"


class Workers:
    """Standalone workers started as processes, each logging to a file of its own."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self._env = {**os.environ, **env}
        self._folder = folder
        self._running: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        """Start one ``python -m lib.jobs.worker``."""
        log = self._folder / f"worker-{len(self._running) + 1}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "lib.jobs.worker"],
                cwd=PROJECT_ROOT,
                env=self._env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self._running.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """``kill -9`` the worker and reap it."""
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

    def logs(self) -> str:
        """The last lines of every worker's log, for a failed run's report."""
        tails = [
            f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:])
            for log in sorted(self._folder.glob("worker-*.log"))
        ]
        return "\n".join(tails)

    def stop(self) -> None:
        """Stop every worker still running: SIGTERM (graceful), then SIGKILL."""
        for process in self._running:
            if process.poll() is None:
                process.terminate()
        for process in self._running:
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def workers(env: dict[str, str]) -> Iterator[Workers]:
    """Workers for the ``with`` block, stopped at its end."""
    with tempfile.TemporaryDirectory(prefix="stockdesk-workers-") as folder:
        running = Workers(env, Path(folder))
        try:
            yield running
        except Exception:  # a failed run shows what the workers said; Ctrl-C does not
            print(running.logs(), file=sys.stderr)
            raise
        finally:
            running.stop()


def wait_for(what: str, check: Callable[[], bool], *, timeout: float, every: float = 0.2) -> float:
    """Poll ``check`` until it is true; seconds it took. Raises TimeoutError after ``timeout``."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{what}: not after {timeout:.0f} s")
        time.sleep(every)
    return time.monotonic() - started
