"""A real embedded consumer, in threads of this process, on the queue beside the database."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from lib.db import JobRecord, UnitOfWork
from lib.jobs.embedded import ensure_worker, stop_worker
from lib.jobs.queue import huey
from lib.jobs.runs import WORKER_ID, Runtime
from lib.jobs.service import latest_job, start_job
from lib.jobs.tasks import SALES_SEND
from tests.integration.sales.uploads import MakeClient, MakeSandbox, SessionFactory, batches_of

from .test_jobs_service import an_upload


@pytest.fixture
def stopped_afterwards() -> Iterator[None]:
    """Stop the embedded worker after the test, whatever happened."""
    try:
        yield
    finally:
        stop_worker()


def wait_until_finished(session_factory: SessionFactory, subject: str) -> JobRecord:
    """The job of ``subject`` once it has finished (at most 30 s)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job = latest_job(session_factory, SALES_SEND, subject)
        if job is not None and not job.active:
            return job
        time.sleep(0.1)
    raise AssertionError(f"the job is still {job}")


@pytest.mark.usefixtures("stopped_afterwards")
def test_the_embedded_worker_sends_an_upload_and_says_it_is_alive(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    url = session_factory.kw["bind"].url.render_as_string(hide_password=False)
    runtime = Runtime(session_factory=session_factory, client=make_client(sandbox.base_url))
    upload_id = an_upload(session_factory, sandbox, products=50, days=40)  # 2 batches

    ensure_worker(url, runtime)
    ensure_worker(url, runtime)  # once per process
    start_job(session_factory, SALES_SEND, str(upload_id), by="test")

    job = wait_until_finished(session_factory, str(upload_id))
    assert (job.state, job.progress_done, job.progress_total) == ("done", 2, 2)
    assert job.worker_id == WORKER_ID
    assert {b.state for b in batches_of(session_factory, upload_id)} == {"accepted"}
    with UnitOfWork(session_factory) as uow:
        assert [w.worker_id for w in uow.workers.all()] == [WORKER_ID]
    assert type(huey.storage).__name__ in ("SqliteStorage", "PostgresStorage")
    stop_worker()
    with UnitOfWork(session_factory) as uow:
        assert uow.workers.all() == []
