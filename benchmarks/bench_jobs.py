"""Background jobs across processes, against a sandbox with the documented limits, on one key.

Run on SQLite (a temporary file) and on PostgreSQL (a database made for the run, when
``STOCKDESK_TEST_POSTGRES_URL`` is set); each part gets a fresh sandbox process
(``benchmarks.observed_sandbox``, which records its answers and lists the sales it stores).

1. Shared budget under load: two dashboard replicas (``benchmarks.replica``) and two
   standalone workers (``python -m lib.jobs.worker``) on one database and one budget.
   Replica 1 stores a 200,000-row upload and starts its send; then both start the catalog
   sync at the same moment and check the connection now and then on the pages' client.
   Rows a minute are measured on the sandbox's clock over whole rate-limit windows: from
   its answer to the first batch to its answer to the first batch after the last wait for
   the budget, counting the batches in between (those after it only start a window).
2. ``kill -9`` mid-send: one worker sends an upload; it is killed while batches go out,
   a new worker is started, and the send is followed until it ends.

Every figure is checked against the sandbox's own record: what it answered (429s
included) and the sales it stores, compared product-day by product-day with the upload.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import statistics
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.deployment import (
    POSTGRES_URL_VARIABLE,
    Workers,
    deployment,
    wait_for,
    worker_id_prefix,
    workers,
)
from benchmarks.observed_sandbox import Answer, changed_days, times_stored
from benchmarks.replica import Check, Outcome, Plan, run, store_and_send, upload_totals
from lib.db import BatchCounts, BatchRecord, JobRecord, UnitOfWork
from lib.db.models import JOB_STATES
from lib.jobs.queue import configure
from lib.jobs.service import ORPHAN_AFTER, latest_job
from lib.jobs.tasks import CATALOG_SYNC, SALES_SEND
from lib.pleasurestock import DOCUMENTED_LIMITS
from lib.pleasurestock.ratelimit import STANDARD
from lib.sales.upload import BATCH_ROWS
from lib.sandbox.ratelimit import endpoint_class

UPLOAD_BATCHES = 200
SALES_ACCEPTED = ("POST", "/api/v1/sales", 200)
# The kill -9 upload: 90 batches, ~55 s at the steady 100 a minute (the first minute's
# burst sends them faster); the worker dies after KILL_AFTER of them are accepted.
KILL_BATCHES = 90
KILL_AFTER = 30
# A pause between two batches longer than this (s) is a wait for the minute's budget.
WAIT_GAP = 5.0
# When (s after the replicas meet) each replica checks the connection.
CHECKS = {"replica 1": (20.0, 50.0, 85.0), "replica 2": (35.0, 65.0, 100.0)}
PART_TIMEOUT = 420


def main() -> None:
    """Print both parts' figures on SQLite, then on PostgreSQL (or why it is skipped)."""
    # A plain `kill` of the benchmark cleans up as Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _run_all()
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _run_all() -> None:
    backends: list[tuple[str, str | None]] = [("SQLite", None)]
    postgres_url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if postgres_url:
        backends.append(("PostgreSQL", postgres_url))
    limit = DOCUMENTED_LIMITS[STANDARD]
    print(
        f"  sandbox with the documented limits ({limit.per_second}/s, {limit.per_minute}/min, "
        f"{limit.per_hour}/h standard); one key; ORPHAN_AFTER {ORPHAN_AFTER.total_seconds():.0f} s"
    )
    for name, url in backends:
        print(f"\n  [{name}]")
        shared_budget(url)
        kill_mid_send(url)
    if not postgres_url:
        print(f"\n  [PostgreSQL] skipped: {POSTGRES_URL_VARIABLE} is not set")


def shared_budget(postgres_url: str | None) -> None:
    """Part 1: two replicas and two workers share one budget; print throughput and checks."""
    today = date.today()
    totals = upload_totals(UPLOAD_BATCHES * BATCH_ROWS, today)
    with deployment(postgres_url, today) as deployed:
        with workers(deployed.env) as running:
            for _ in range(2):
                _start_worker(running, deployed.session_factory)
            before = deployed.sandbox.sales()
            plans = [
                Plan("replica 1", totals, CHECKS["replica 1"]),
                Plan("replica 2", None, CHECKS["replica 2"]),
            ]
            outcomes = _run_replicas(plans, deployed.env)
        with UnitOfWork(deployed.session_factory) as uow:
            jobs = uow.jobs.in_states(JOB_STATES, limit=1000)
        answers, after = deployed.sandbox.answers(), deployed.sandbox.sales()

    sent = sorted(a.at for a in answers if (a.method, a.path, a.status) == SALES_ACCEPTED)
    counted, span = whole_windows([at - sent[0] for at in sent])
    others = [
        a
        for a in answers
        if sent[0] < a.at <= sent[0] + span
        and endpoint_class(a.method, a.path) == STANDARD
        and a.path != SALES_ACCEPTED[1]
        and a.status != 429
    ]
    ceiling = DOCUMENTED_LIMITS[STANDARD].per_minute
    rows_per_minute = counted * BATCH_ROWS / span * 60
    requests_per_minute = (counted + len(others)) / span * 60
    print(
        f"  1. shared budget: 2 replicas + 2 workers, {len(totals):,}-row upload "
        f"({len(sent)} batches accepted) + 2 catalog syncs started at once\n"
        f"     send: {counted} batches in {span:.1f} s over whole windows (the sandbox's "
        f"clock) = {rows_per_minute:,.0f} rows/min = {rows_per_minute / ceiling / BATCH_ROWS:.1%} "
        f"of the {ceiling * BATCH_ROWS:,} rows/min ceiling (all {len(sent)} in "
        f"{sent[-1] - sent[0]:.1f} s)\n"
        f"     standard class in the same span: those {counted} + {len(others)} other requests "
        f"(catalog pages, connection checks) = {requests_per_minute:.1f}/min = "
        f"{requests_per_minute / ceiling:.1%} of its {ceiling}/min"
    )
    _print_answers(answers)
    times = times_stored(_upload_rows(totals), before, after)
    twice = sum(n for t, n in times.items() if t > 1)
    stray = len(changed_days(before, after)) - len(totals)
    print(
        f"     stored in the sandbox: {times[1]:,} of {len(totals):,} product-days exactly "
        f"once; {twice:,} more than once, {times[0]:,} missing, "
        f"{len(totals) - times[1] - twice - times[0]:,} off by a part of their quantity; "
        f"{stray:,} product-days changed that the upload does not have"
    )
    _print_catalog_syncs(jobs, outcomes)
    _print_checks([check for outcome in outcomes for check in outcome.checks])
    print(f"     jobs: {_job_summary(jobs)}")


def kill_mid_send(postgres_url: str | None) -> None:
    """Part 2: kill -9 the sending worker, start another; print what became of the send."""
    today = date.today()
    totals = upload_totals(KILL_BATCHES * BATCH_ROWS, today)
    with deployment(postgres_url, today) as deployed:
        session_factory = deployed.session_factory
        configure(deployed.database_url)  # this process starts the send on the shared queue
        with workers(deployed.env) as running:
            sender, sender_up = _start_worker(running, session_factory)
            before = deployed.sandbox.sales()
            upload_id = int(store_and_send(session_factory, totals, by="bench").subject)
            takeover = _kill_and_replace(running, sender, session_factory, upload_id)
            wait_for(
                "the send's end",
                lambda: not _send_active(session_factory, upload_id),
                timeout=PART_TIMEOUT,
            )
        with UnitOfWork(session_factory) as uow:
            jobs = uow.jobs.in_states(JOB_STATES, kind=SALES_SEND, limit=100)
            batches = uow.sales_batches.of_upload(upload_id)
        answers, after = deployed.sandbox.answers(), deployed.sandbox.sales()

    accepted = [b for b in batches if b.state == "accepted"]
    unknown = [b for b in batches if b.state == "unknown"]
    twice = [b for b in accepted if set(times_stored(_batch_rows(b), before, after)) != {1}]
    print(
        f"  2. kill -9 mid-send: {len(batches)} batches; worker killed with "
        f"{takeover.at_kill.accepted} accepted and {takeover.at_kill.sending} being sent\n"
        f"     upload complete: {len(accepted)} of {len(batches)} batches accepted, "
        f"{len(unknown)} unknown, {sum(b.state == 'pending' for b in batches)} pending\n"
        f"     accepted batches stored other than once in the sandbox: {len(twice)}"
    )
    for batch in unknown:
        stored = set(times_stored(_batch_rows(batch), before, after))
        had = {frozenset({0}): "had not stored it", frozenset({1}): "had stored it"}
        print(
            f"     unknown: batch {batch.seq}, the one in flight at the kill (the sandbox "
            f"{had.get(frozenset(stored), f'stored it {sorted(stored)} times')}); "
            "it waits for a person's check"
        )
    if not unknown:
        print("     unknown: none; the worker died between two batches (none was being sent)")
    print(
        f"     takeover: the send ran again on the new worker {takeover.took_over:.1f} s "
        f"after the kill, {takeover.worker_up:.1f} s of it the new process starting (to its "
        f"first heartbeat; the first worker took {sender_up:.1f} s), "
        f"{takeover.took_over - takeover.worker_up:.1f} s finding the dead worker and "
        "starting the send again"
    )
    _print_answers(answers)
    print(f"     jobs: {_job_summary(jobs)}")


@dataclass(frozen=True)
class Takeover:
    """The batches when the worker was killed, and how long (s after the kill) until the
    new worker's first heartbeat and until it ran the send."""

    at_kill: BatchCounts
    worker_up: float
    took_over: float


def _kill_and_replace(
    running: Workers,
    sender: subprocess.Popen[bytes],
    session_factory: sessionmaker[Session],
    upload_id: int,
) -> Takeover:
    """Kill -9 ``sender`` once ``KILL_AFTER`` batches are accepted and one is being sent,
    start a new worker and wait until the send runs on it."""

    def mid_batch() -> bool:
        counts = _batch_counts(session_factory, upload_id)
        return counts.accepted >= KILL_AFTER and counts.sending > 0

    wait_for("a batch in flight", mid_batch, timeout=PART_TIMEOUT, every=0.01)
    running.kill(sender)
    killed = datetime.now(UTC)
    at_kill = _batch_counts(session_factory, upload_id)
    prefix = worker_id_prefix(running.start().pid)

    def successor() -> JobRecord | None:
        newest = latest_job(session_factory, SALES_SEND, str(upload_id))
        on_new_worker = newest is not None and (newest.worker_id or "").startswith(prefix)
        return newest if on_new_worker else None

    wait_for("the takeover", lambda: successor() is not None, timeout=PART_TIMEOUT)
    with UnitOfWork(session_factory) as uow:
        [worker] = [w for w in uow.workers.all() if w.worker_id.startswith(prefix)]
    job = successor()
    assert job is not None and job.started_at is not None
    return Takeover(
        at_kill=at_kill,
        worker_up=(worker.started_at - killed).total_seconds(),
        took_over=(job.started_at - killed).total_seconds(),
    )


def whole_windows(finished: list[float]) -> tuple[int, float]:
    """Batches and seconds over whole windows, from sorted end times (s): from the first
    batch to the first one after the last wait (a gap over ``WAIT_GAP``), or to the last."""
    waits = [i for i in range(1, len(finished)) if finished[i] - finished[i - 1] > WAIT_GAP]
    end = waits[-1] if waits else len(finished) - 1
    return end, finished[end] - finished[0]


def _upload_rows(totals: pd.DataFrame) -> list[tuple[str, str, int]]:
    days = totals["date"].dt.strftime("%Y-%m-%d")
    return list(zip(totals["ps_id"], days, totals["quantity"].astype(int), strict=True))


def _batch_rows(batch: BatchRecord) -> list[tuple[str, str, int]]:
    return [(row["internal_id"], row["date"], int(row["quantity"])) for row in batch.rows]


def _start_worker(
    running: Workers, session_factory: sessionmaker[Session]
) -> tuple[subprocess.Popen[bytes], float]:
    """Start a worker and wait for its first heartbeat (it is then about to take jobs);
    the process and the seconds that took."""
    process = running.start()
    prefix = worker_id_prefix(process.pid)

    def beating() -> bool:
        with UnitOfWork(session_factory) as uow:
            return any(w.worker_id.startswith(prefix) for w in uow.workers.all())

    return process, wait_for(f"worker {process.pid} to start", beating, timeout=60)


def _run_replicas(plans: list[Plan], env: dict[str, str]) -> list[Outcome]:
    """Run each plan in a replica process of its own; their outcomes, in plan order."""
    context = multiprocessing.get_context("spawn")
    meeting, results = context.Barrier(len(plans)), context.Queue()
    processes = [
        context.Process(target=run, args=(plan, env, meeting, results), daemon=True)
        for plan in plans
    ]
    try:
        for process in processes:
            process.start()
        outcomes = {o.name: o for o in (results.get(timeout=PART_TIMEOUT) for _ in plans)}
        for process in processes:
            process.join(timeout=30)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
    failures = [o.failure for o in outcomes.values() if o.failure]
    if failures:
        raise RuntimeError("a replica failed:\n" + "\n".join(failures))
    return [outcomes[plan.name] for plan in plans]


def _batch_counts(session_factory: sessionmaker[Session], upload_id: int) -> BatchCounts:
    with UnitOfWork(session_factory) as uow:
        return uow.sales_uploads.get(upload_id).batches


def _send_active(session_factory: sessionmaker[Session], upload_id: int) -> bool:
    job = latest_job(session_factory, SALES_SEND, str(upload_id))
    return job is not None and job.active


def _print_answers(answers: list[Answer]) -> None:
    counts = Counter((a.method, a.path.removeprefix("/api/v1"), a.status) for a in answers)
    shown = ", ".join(f"{m} {p} {status} ×{n}" for (m, p, status), n in sorted(counts.items()))
    too_many = sum(n for (_, _, status), n in counts.items() if status == 429)
    print(f"     sandbox answered: {shown}; 429s: {too_many}")


def _print_catalog_syncs(jobs: list[JobRecord], outcomes: list[Outcome]) -> None:
    syncs = [j for j in jobs if j.kind == CATALOG_SYNC]
    returned = {o.name: o.catalog_job for o in outcomes}
    joined = len(set(returned.values())) == 1
    print(
        f"     catalog syncs: {len(syncs)} job(s) ({_job_summary(syncs)}); start_job returned "
        f"{', '.join(f'job {j} to {n}' for n, j in returned.items())}"
        f" ({'one sync: the later call joined it' if joined else 'NOT joined'})"
    )


def _print_checks(checks: list[Check]) -> None:
    busy = [c for c in checks if c.error]
    waits = [c.seconds for c in checks]
    print(
        f"     connection checks on the pages' client: {len(checks) - len(busy)} answered, "
        f"{len(busy)} failed; median {statistics.median(waits):.2f} s, slowest "
        f"{max(waits):.2f} s"
    )
    for check in busy:
        print(f"       at {check.at:.0f} s, after {check.seconds:.2f} s: {check.error}")


def _job_summary(jobs: list[JobRecord]) -> str:
    counts = Counter((j.kind, j.state) for j in jobs)
    return ", ".join(f"{kind} {state} ×{n}" for (kind, state), n in sorted(counts.items()))
