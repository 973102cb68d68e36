"""Starting jobs (single-flight per kind and subject), recovering orphaned ones, reading them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from lib.db import JobRecord, JobTakenError, UnitOfWork, WorkerRecord
from lib.jobs.runs import died_on_this_host, utc_now
from lib.jobs.schedules import Schedule, due, next_run
from lib.jobs.tasks import RESTARTED_AFTER_A_CRASH, TASKS

# A worker beats every HEARTBEAT; one silent for ORPHAN_AFTER is gone, and so are its jobs.
HEARTBEAT = timedelta(seconds=10)
ORPHAN_AFTER = timedelta(seconds=60)
RECOVERY_ACTOR = "StockDesk (recovery)"
SCHEDULE_ACTOR = "StockDesk (schedule)"


def start_job(
    session_factory: sessionmaker[Session],
    kind: str,
    subject: str = "",
    *,
    by: str,
    slot: str | None = None,
) -> JobRecord:
    """Store a pending job and queue it; if one is active for (kind, subject) already,
    return that one instead (single-flight). Raises ``JobTakenError`` only for a slot
    another run has taken."""
    for _ in range(3):  # the active job may finish between our insert and our look-up
        with UnitOfWork(session_factory) as uow:
            try:
                job = uow.jobs.add(kind, subject, by=by, at=utc_now(), slot=slot)
            except JobTakenError:
                active = uow.jobs.active(kind, subject)
                if active is not None:
                    return active
                if slot is not None:
                    raise
                continue
            uow.commit()
        queue_jobs([job])
        return job
    raise JobTakenError(f"could not start a {kind} job for {subject!r}")


def queue_jobs(jobs: Sequence[JobRecord]) -> None:
    """Hand stored jobs to the queue: only after their rows are committed, so the worker
    always finds them (a service function that stores jobs with its own rows calls this)."""
    for job in jobs:
        TASKS[job.kind](job.id)


def requeue_pending(session_factory: sessionmaker[Session]) -> int:
    """Queue every pending job again (at worker start: the queue may have lost them);
    a job already taken is skipped by its task. Returns how many were queued."""
    with UnitOfWork(session_factory) as uow:
        pending = uow.jobs.in_states(["pending"], limit=1000)
    queue_jobs(pending)
    return len(pending)


def recover_orphans(session_factory: sessionmaker[Session]) -> list[JobRecord]:
    """Mark running jobs whose worker stopped beating (or, on this host, whose process is
    gone) as interrupted, and start again those of a kind that resumes safely; the new
    jobs. A sales send then turns its batch in flight into outcome unknown; an order
    request is left for a person to check."""
    now = utc_now()
    with UnitOfWork(session_factory) as uow:
        gone = [w.worker_id for w in uow.workers.all() if died_on_this_host(w.worker_id)]
        orphans = uow.jobs.orphaned(seen_before=now - ORPHAN_AFTER, gone=gone)
        for worker_id in gone:
            uow.workers.remove(worker_id)
        for job in orphans:
            after = (
                "the job was started again."
                if job.kind in RESTARTED_AFTER_A_CRASH
                else "its outcome is unknown until someone checks it."
            )
            uow.jobs.finish(
                job.id,
                "interrupted",
                at=now,
                message=job.message,
                error=f"Its worker ({job.worker_id}) stopped; {after}",
            )
        uow.commit()
    return [
        start_job(session_factory, j.kind, j.subject, by=RECOVERY_ACTOR)
        for j in orphans
        if j.kind in RESTARTED_AFTER_A_CRASH
    ]


def start_due(
    session_factory: sessionmaker[Session], schedules: Sequence[Schedule]
) -> list[JobRecord]:
    """Start each schedule's run once it is due; the jobs this call started. Another
    worker's tick may win a slot: then nothing starts here."""
    now = utc_now()
    started = []
    for schedule in schedules:
        with UnitOfWork(session_factory) as uow:
            slot = due(
                schedule,
                uow.jobs.latest_slot(schedule.kind),
                now,
                done_at=_done_at(uow.jobs.latest(schedule.kind, schedule.subject)),
            )
        if slot is None:
            continue
        try:
            started.append(
                start_job(
                    session_factory,
                    schedule.kind,
                    schedule.subject,
                    by=SCHEDULE_ACTOR,
                    slot=slot,
                )
            )
        except JobTakenError:
            continue
    return started


def get_job(session_factory: sessionmaker[Session], job_id: int) -> JobRecord | None:
    """The job ``job_id``, or None."""
    with UnitOfWork(session_factory) as uow:
        return uow.jobs.get(job_id)


def latest_job(
    session_factory: sessionmaker[Session], kind: str, subject: str = ""
) -> JobRecord | None:
    """The newest job of (kind, subject), whatever its state: what a page shows."""
    with UnitOfWork(session_factory) as uow:
        return uow.jobs.latest(kind, subject)


def active_subjects(session_factory: sessionmaker[Session], kind: str) -> set[str]:
    """The subjects that a job of ``kind`` is pending or running for."""
    with UnitOfWork(session_factory) as uow:
        return uow.jobs.active_subjects(kind)


@dataclass(frozen=True)
class ScheduledRun:
    """A daily schedule as the Jobs view shows it: its latest job and when it runs next."""

    schedule: Schedule
    latest: JobRecord | None
    next_at: datetime


def scheduled_runs(
    session_factory: sessionmaker[Session], schedules: Sequence[Schedule], *, now: datetime
) -> list[ScheduledRun]:
    """Each schedule with the newest job of its kind (scheduled or started by hand) and
    its next run."""
    runs = []
    with UnitOfWork(session_factory) as uow:
        for schedule in schedules:
            latest = uow.jobs.latest(schedule.kind, schedule.subject)
            last_slot = uow.jobs.latest_slot(schedule.kind)
            runs.append(
                ScheduledRun(
                    schedule=schedule,
                    latest=latest,
                    next_at=next_run(schedule, last_slot, now, done_at=_done_at(latest)),
                )
            )
    return runs


def _done_at(job: JobRecord | None) -> datetime | None:
    """When ``job`` started, if it did its work (a failed run leaves the schedule due)."""
    return job.created_at if job is not None and job.state == "done" else None


@dataclass(frozen=True)
class JobsOverview:
    """What the Jobs view shows: active and failed jobs, and the workers."""

    active: list[JobRecord]
    failed: list[JobRecord]
    workers: list[WorkerRecord]


def jobs_overview(session_factory: sessionmaker[Session], *, limit: int = 50) -> JobsOverview:
    """Running and pending jobs, the latest failed or interrupted ones, and every worker."""
    with UnitOfWork(session_factory) as uow:
        return JobsOverview(
            active=uow.jobs.in_states(["running", "pending"], limit=limit),
            failed=uow.jobs.in_states(["failed", "unknown", "interrupted"], limit=limit),
            workers=uow.workers.all(),
        )
