"""Jobs as rows: single-flight starts, a sales send run as a job, failures and recovery."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import time, timedelta

import pytest

from lib.db import UnitOfWork
from lib.jobs.runs import JobResult, Runtime, bind_runtime, run_job, utc_now
from lib.jobs.schedules import Schedule
from lib.jobs.service import (
    ORPHAN_AFTER,
    jobs_overview,
    latest_job,
    recover_orphans,
    start_due,
    start_job,
)
from lib.jobs.tasks import CATALOG_SYNC, SALES_SEND, TRY_RATES
from lib.sales.upload import start_upload
from tests.integration.sales.uploads import (
    MAPPING,
    MakeClient,
    MakeSandbox,
    SessionFactory,
    batches_of,
    shop_file,
    stored,
    totals_through_the_pipeline,
    unseeded,
    upload_info,
)


def an_upload(session_factory: SessionFactory, sandbox, products: int, days: int) -> int:
    """Store an upload of ``products`` × ``days`` product-days; its id."""
    frame = shop_file(unseeded(sandbox, products), days=days)
    totals = totals_through_the_pipeline(frame, sandbox)
    started = start_upload(
        session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=365
    )
    return started.upload_id


@pytest.mark.usefixtures("queued")
def test_a_second_start_returns_the_active_job_and_a_finished_one_frees_the_key(
    session_factory: SessionFactory,
) -> None:
    first = start_job(session_factory, SALES_SEND, "7", by="ayse")
    second = start_job(session_factory, SALES_SEND, "7", by="mehmet")
    other = start_job(session_factory, SALES_SEND, "8", by="mehmet")
    assert second.id == first.id and second.created_by == "ayse"
    assert other.id != first.id
    bind_runtime(Runtime(session_factory=session_factory, client=None))  # type: ignore[arg-type]
    assert run_job(first.id, lambda job, runtime, progress: JobResult("done")) == "done"
    assert run_job(first.id, lambda job, runtime, progress: JobResult("done")) is None
    again = start_job(session_factory, SALES_SEND, "7", by="mehmet")
    assert again.id != first.id and again.state == "pending"


@pytest.mark.usefixtures("queued")
def test_an_exception_fails_the_job_with_its_error_as_text(session_factory: SessionFactory) -> None:
    job = start_job(session_factory, SALES_SEND, "9", by="test")
    bind_runtime(Runtime(session_factory=session_factory, client=None))  # type: ignore[arg-type]

    def boom(job, runtime, progress):
        progress(1, 4, "one of four")
        raise ValueError("**not** markdown")

    assert run_job(job.id, boom) == "failed"
    failed = latest_job(session_factory, SALES_SEND, "9")
    assert failed is not None
    assert (failed.state, failed.progress_done, failed.progress_total) == ("failed", 1, 4)
    assert failed.last_error == "ValueError: **not** markdown"
    assert [j.id for j in jobs_overview(session_factory).failed] == [job.id]


@pytest.mark.usefixtures("immediate")
def test_a_send_job_sends_every_batch_and_records_its_progress(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    bind_runtime(Runtime(session_factory=session_factory, client=make_client(sandbox.base_url)))
    upload_id = an_upload(session_factory, sandbox, products=50, days=60)  # 3 batches

    job = start_job(session_factory, SALES_SEND, str(upload_id), by="test")

    finished = latest_job(session_factory, SALES_SEND, str(upload_id))
    assert finished is not None and finished.id == job.id
    assert (finished.state, finished.progress_done, finished.progress_total) == ("done", 3, 3)
    assert finished.message == "3,000 of 3,000 rows are stored."
    assert finished.last_error is None and finished.worker_id
    assert {b.state for b in batches_of(session_factory, upload_id)} == {"accepted"}


@pytest.mark.usefixtures("immediate")
def test_a_lost_answer_leaves_the_job_and_the_batch_unknown(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(fault_drop=1.0)
    bind_runtime(Runtime(session_factory=session_factory, client=make_client(sandbox.base_url)))
    upload_id = an_upload(session_factory, sandbox, products=10, days=30)  # 1 batch

    start_job(session_factory, SALES_SEND, str(upload_id), by="test")

    job = latest_job(session_factory, SALES_SEND, str(upload_id))
    assert job is not None and job.state == "unknown"
    assert "1 batch(es) have an unknown outcome" in (job.message or "")
    assert [b.state for b in batches_of(session_factory, upload_id)] == ["unknown"]


@pytest.mark.usefixtures("immediate")
def test_a_refused_key_fails_the_job_and_keeps_the_batches_pending(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url, api_key="pk_test_WrongKey000000")
    bind_runtime(Runtime(session_factory=session_factory, client=client))
    upload_id = an_upload(session_factory, sandbox, products=10, days=30)

    start_job(session_factory, SALES_SEND, str(upload_id), by="test")

    job = latest_job(session_factory, SALES_SEND, str(upload_id))
    assert job is not None and job.state == "failed"
    assert "Sending stopped at batch 1" in (job.last_error or "")
    assert [b.state for b in batches_of(session_factory, upload_id)] == ["pending"]


@pytest.mark.usefixtures("immediate")
def test_a_job_whose_worker_died_is_restarted_and_its_batch_in_flight_becomes_unknown(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    bind_runtime(Runtime(session_factory=session_factory, client=make_client(sandbox.base_url)))
    upload_id = an_upload(session_factory, sandbox, products=50, days=60)  # 3 batches
    long_ago = utc_now() - ORPHAN_AFTER - timedelta(seconds=1)
    with UnitOfWork(session_factory) as uow:
        # A worker took the job and claimed batch 1, then was killed (kill -9).
        dead = uow.jobs.add(SALES_SEND, str(upload_id), by="test", at=long_ago)
        uow.jobs.start(dead.id, worker_id="host:1:dead", at=long_ago)
        uow.workers.beat("host:1:dead", at=long_ago, embedded=False)
        cut_off = uow.sales_batches.claim_next(upload_id, at=long_ago)
        uow.commit()
    assert cut_off is not None

    restarted = recover_orphans(session_factory)

    assert len(restarted) == 1
    with UnitOfWork(session_factory) as uow:
        interrupted = uow.jobs.get(dead.id)
        rerun = uow.jobs.get(restarted[0].id)
    assert interrupted is not None and interrupted.state == "interrupted"
    assert "host:1:dead" in (interrupted.last_error or "")
    assert rerun is not None and rerun.state == "unknown"
    states = {b.seq: b.state for b in batches_of(session_factory, upload_id)}
    assert states == {1: "unknown", 2: "accepted", 3: "accepted"}
    first = batches_of(session_factory, upload_id)[0]
    assert stored(sandbox, first.rows[0]) is None  # never sent, never resent by itself
    assert recover_orphans(session_factory) == []


@pytest.mark.usefixtures("queued")
def test_a_job_whose_worker_process_on_this_host_is_gone_is_recovered_without_waiting(
    session_factory: SessionFactory,
) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    killed = f"{socket.gethostname()}:{finished.stdout.strip()}:0dead000"
    elsewhere = "another-host:1:0ffline0"
    now = utc_now()
    with UnitOfWork(session_factory) as uow:
        # Both beat a moment ago; only the local one is known to be dead.
        jobs = [uow.jobs.add(CATALOG_SYNC, "", by="test", at=now),
                uow.jobs.add(TRY_RATES, "", by="test", at=now)]  # fmt: skip
        for job, worker in zip(jobs, [killed, elsewhere], strict=True):
            uow.jobs.start(job.id, worker_id=worker, at=now)
            uow.workers.beat(worker, at=now, embedded=False)
        uow.commit()

    restarted = recover_orphans(session_factory)

    assert [job.kind for job in restarted] == [CATALOG_SYNC]
    overview = jobs_overview(session_factory)
    assert [w.worker_id for w in overview.workers] == [elsewhere]
    assert [j.state for j in overview.failed] == ["interrupted"]


@pytest.mark.usefixtures("queued")
def test_two_catalog_syncs_started_together_are_one_job(session_factory: SessionFactory) -> None:
    first = start_job(session_factory, CATALOG_SYNC, by="ayse")
    second = start_job(session_factory, CATALOG_SYNC, by="mehmet")
    assert second.id == first.id and first.subject == ""


@pytest.mark.usefixtures("immediate")
def test_a_catalog_sync_job_stores_the_snapshot_and_a_refused_key_keeps_the_old_one(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    bind_runtime(Runtime(session_factory=session_factory, client=make_client(sandbox.base_url)))
    done = start_job(session_factory, CATALOG_SYNC, by="ayse")
    synced = latest_job(session_factory, CATALOG_SYNC)
    assert synced is not None and synced.id == done.id and synced.state == "done"
    assert synced.message == f"Stored {len(sandbox.store.products):,} products"
    assert synced.progress_done == synced.progress_total > 0

    bad = make_client(sandbox.base_url, api_key="pk_test_WrongKey000000")
    bind_runtime(Runtime(session_factory=session_factory, client=bad))
    start_job(session_factory, CATALOG_SYNC, by="ayse")
    failed = latest_job(session_factory, CATALOG_SYNC)
    assert failed is not None and failed.state == "failed" and failed.last_error
    with UnitOfWork(session_factory) as uow:
        assert uow.catalog.snapshot_info().product_count == len(sandbox.store.products)


@pytest.mark.usefixtures("queued")
def test_a_due_schedule_starts_once_however_many_ticks_ask(
    session_factory: SessionFactory,
) -> None:
    midnight = Schedule(kind=CATALOG_SYNC, at=time(0, 0))
    later = Schedule(kind=TRY_RATES, at=time(23, 59, 59, 999999))
    bind_runtime(Runtime(session_factory=session_factory, client=None))  # type: ignore[arg-type]

    first = start_due(session_factory, [midnight, later])
    assert [(j.kind, j.slot) for j in first] == [
        (CATALOG_SYNC, f"{CATALOG_SYNC}:{utc_now().date().isoformat()}")
    ]
    assert start_due(session_factory, [midnight, later]) == []  # another worker's tick
    run_job(first[0].id, lambda job, runtime, progress: JobResult("done"))
    assert start_due(session_factory, [midnight]) == []  # done today: not again until tomorrow
