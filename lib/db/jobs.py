"""Jobs and workers: background work's state and the heartbeats of the processes running it.

Like every repository it works inside the unit of work's session and never commits.
State changes are conditional updates, so two workers can never both start one job.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, cast

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lib.db.models import ACTIVE_JOB_STATES, JobRow, WorkerRow
from lib.db.state_moves import move_state

JobState = Literal["pending", "running", "done", "failed", "unknown", "interrupted"]
FINISHED_STATES: tuple[JobState, ...] = ("done", "failed", "unknown", "interrupted")


class JobTakenError(RuntimeError):
    """Another active job holds this (kind, subject), or another run took this slot."""


@dataclass(frozen=True)
class JobRecord:
    """One job: what it does (kind, subject), where it stands and what went wrong last."""

    id: int
    kind: str
    subject: str
    state: JobState
    progress_done: int
    progress_total: int
    message: str | None
    last_error: str | None
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    worker_id: str | None
    slot: str | None

    @property
    def active(self) -> bool:
        """True while pending or running."""
        return self.state in ACTIVE_JOB_STATES


@dataclass(frozen=True)
class WorkerRecord:
    """A worker process and its last heartbeat."""

    worker_id: str
    started_at: datetime
    last_seen: datetime
    embedded: bool


def _job(row: JobRow) -> JobRecord:
    return JobRecord(
        id=row.id, kind=row.kind, subject=row.subject, state=cast(JobState, row.state),
        progress_done=row.progress_done, progress_total=row.progress_total, message=row.message,
        last_error=row.last_error, created_by=row.created_by, created_at=row.created_at,
        started_at=row.started_at, finished_at=row.finished_at, worker_id=row.worker_id,
        slot=row.slot,
    )  # fmt: skip


class JobRepository:
    """Jobs: added pending, moved to running by one worker, finished with an outcome."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, kind: str, subject: str, *, by: str, at: datetime, slot: str | None = None
    ) -> JobRecord:
        """A new pending job; raises ``JobTakenError`` when an active one holds (kind, subject)
        or the slot is taken, after rolling the session back (nothing else should be in it)."""
        row = JobRow(
            kind=kind, subject=subject, state="pending", progress_done=0, progress_total=0,
            created_by=by, created_at=at, slot=slot,
        )  # fmt: skip
        self._session.add(row)
        try:
            self._session.flush()
        except IntegrityError as taken:
            self._session.rollback()
            raise JobTakenError(f"a {kind} job for {subject!r} is already active") from taken
        return _job(row)

    def get(self, job_id: int) -> JobRecord | None:
        """The job, or None."""
        row = self._session.get(JobRow, job_id)
        return None if row is None else _job(row)

    def active(self, kind: str, subject: str) -> JobRecord | None:
        """The pending or running job of (kind, subject), if any."""
        row = self._session.scalar(
            select(JobRow).where(
                JobRow.kind == kind,
                JobRow.subject == subject,
                JobRow.state.in_(ACTIVE_JOB_STATES),
            )
        )
        return None if row is None else _job(row)

    def latest(self, kind: str, subject: str) -> JobRecord | None:
        """The newest job of (kind, subject), whatever its state."""
        row = self._session.scalar(
            select(JobRow)
            .where(JobRow.kind == kind, JobRow.subject == subject)
            .order_by(JobRow.id.desc())
            .limit(1)
        )
        return None if row is None else _job(row)

    def latest_slot(self, kind: str) -> str | None:
        """The slot of the newest scheduled job of ``kind``, if any."""
        return self._session.scalar(
            select(JobRow.slot)
            .where(JobRow.kind == kind, JobRow.slot.is_not(None))
            .order_by(JobRow.id.desc())
            .limit(1)
        )

    def in_states(
        self, states: Sequence[JobState], *, kind: str | None = None, limit: int = 100
    ) -> list[JobRecord]:
        """Jobs in ``states`` (of ``kind``, if given), newest first."""
        query = select(JobRow).where(JobRow.state.in_(states))
        if kind is not None:
            query = query.where(JobRow.kind == kind)
        rows = self._session.scalars(query.order_by(JobRow.id.desc()).limit(limit))
        return [_job(row) for row in rows]

    def active_subjects(self, kind: str) -> set[str]:
        """The subjects that a job of ``kind`` is pending or running for (all of them)."""
        query = select(JobRow.subject).where(
            JobRow.kind == kind, JobRow.state.in_(ACTIVE_JOB_STATES)
        )
        return set(self._session.scalars(query))

    def start(self, job_id: int, *, worker_id: str, at: datetime) -> bool:
        """Pending → running on ``worker_id``; False when another worker took it first."""
        values = {"worker_id": worker_id, "started_at": at}
        return move_state(self._session, JobRow, job_id, ("pending",), "running", values)

    def progress(self, job_id: int, done: int, total: int, message: str | None) -> None:
        """Record how far a running job got."""
        self._session.execute(
            update(JobRow)
            .where(JobRow.id == job_id)
            .values(progress_done=done, progress_total=total, message=message)
        )

    def finish(
        self,
        job_id: int,
        state: JobState,
        *,
        at: datetime,
        message: str | None = None,
        error: str | None = None,
    ) -> bool:
        """Running → ``state`` with its message and last error; False if it was not running."""
        values = {"finished_at": at, "message": message, "last_error": error}
        return move_state(self._session, JobRow, job_id, ("running",), state, values)

    def orphaned(self, *, seen_before: datetime, gone: Collection[str] = ()) -> list[JobRecord]:
        """Running jobs whose worker is gone: no heartbeat since ``seen_before``, none at
        all, or one of the workers ``gone`` (known dead)."""
        alive = select(WorkerRow.worker_id).where(
            WorkerRow.last_seen >= seen_before, WorkerRow.worker_id.not_in(list(gone))
        )
        rows = self._session.scalars(
            select(JobRow).where(
                JobRow.state == "running",
                or_(JobRow.worker_id.is_(None), JobRow.worker_id.not_in(alive)),
            )
        )
        return [_job(row) for row in rows]


class WorkerRepository:
    """Worker processes and their heartbeats."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def beat(self, worker_id: str, *, at: datetime, embedded: bool) -> None:
        """Record that ``worker_id`` is alive at ``at`` (registering it the first time)."""
        row = self._session.get(WorkerRow, worker_id)
        if row is None:
            self._session.add(
                WorkerRow(worker_id=worker_id, started_at=at, last_seen=at, embedded=embedded)
            )
        else:
            row.last_seen = at

    def remove(self, worker_id: str) -> None:
        """Forget a worker that stopped cleanly."""
        self._session.execute(delete(WorkerRow).where(WorkerRow.worker_id == worker_id))

    def all(self) -> list[WorkerRecord]:
        """Every known worker, the most recently seen first."""
        rows = self._session.scalars(select(WorkerRow).order_by(WorkerRow.last_seen.desc()))
        return [WorkerRecord(r.worker_id, r.started_at, r.last_seen, r.embedded) for r in rows]
