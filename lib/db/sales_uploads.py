"""Sales uploads, their batches and the remembered column mapping.

Like every repository these work inside the unit of work's session and never commit.
Batch state changes are conditional updates (``… WHERE state = 'pending'``), so two
senders can never both claim one batch; a unique open slot lets only one upload be
open at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from lib.db.models import SalesUploadBatchRow, SalesUploadPreferencesRow, SalesUploadRow
from lib.db.state_moves import move_state

BatchState = Literal["pending", "sending", "accepted", "refused", "unknown", "cancelled"]
_PREFERENCES_ID = 1


class UploadAlreadyOpenError(RuntimeError):
    """Another upload still has batches to send or to resolve."""


@dataclass(frozen=True)
class NewUpload:
    """What is known about an upload when it starts: who, which file, what the check found."""

    uploaded_by: str
    file_name: str
    file_sha256: str
    rows_in_file: int
    good_rows: int
    bad_rows: int


@dataclass(frozen=True)
class BatchCounts:
    """Batches of an upload per state, and the rows of the accepted ones."""

    pending: int = 0
    sending: int = 0
    accepted: int = 0
    refused: int = 0
    unknown: int = 0
    cancelled: int = 0
    rows_accepted: int = 0

    @property
    def total(self) -> int:
        """Every batch of the upload."""
        states = (self.pending, self.sending, self.accepted, self.refused, self.unknown)
        return sum(states) + self.cancelled


@dataclass(frozen=True)
class UploadRecord:
    """A stored upload with its batch counts."""

    id: int
    uploaded_at: datetime
    uploaded_by: str
    file_name: str
    file_sha256: str
    rows_in_file: int
    good_rows: int
    bad_rows: int
    product_days: int
    rows_to_send: int
    unchanged: int
    corrections: int
    is_open: bool
    finished_at: datetime | None
    batches: BatchCounts = field(default_factory=BatchCounts)


@dataclass(frozen=True)
class BatchRecord:
    """One batch: its ``rows`` as sent (``POST /sales`` rows) and the API's ``row_errors``."""

    id: int
    upload_id: int
    seq: int
    state: BatchState
    rows: list[dict[str, Any]]
    row_count: int
    quantity_total: int
    error: str | None
    row_errors: list[dict[str, Any]]
    claimed_at: datetime | None
    finished_at: datetime | None
    resolution: str | None


@dataclass(frozen=True)
class SalesPreferences:
    """The column mapping (role → header) and oldest-date limit used last."""

    columns: dict[str, str]
    max_age_days: int
    saved_by: str
    saved_at: datetime


class SalesUploadRepository:
    """Uploads and their batches; only one upload is open at a time."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def open(self, upload: NewUpload, *, at: datetime) -> int:
        """Start an upload and take the open slot; raises ``UploadAlreadyOpenError`` if taken."""
        row = SalesUploadRow(
            uploaded_at=at,
            uploaded_by=upload.uploaded_by,
            file_name=upload.file_name,
            file_sha256=upload.file_sha256,
            rows_in_file=upload.rows_in_file,
            good_rows=upload.good_rows,
            bad_rows=upload.bad_rows,
            product_days=0,
            rows_to_send=0,
            unchanged=0,
            corrections=0,
            open_slot=1,
        )
        self._session.add(row)
        try:
            self._session.flush()
        except IntegrityError as exc:
            raise UploadAlreadyOpenError(
                "Another sales upload is still open; finish or resolve it first."
            ) from exc
        return row.id

    def add_batches(
        self,
        upload_id: int,
        batches: Sequence[Sequence[Mapping[str, Any]]],
        *,
        product_days: int,
        unchanged: int,
        corrections: int,
    ) -> None:
        """Store the upload's batches (all pending) and the plan's counts."""
        self._session.execute(
            SalesUploadBatchRow.__table__.insert(),
            [
                {
                    "upload_id": upload_id,
                    "seq": seq,
                    "state": "pending",
                    "rows": [dict(r) for r in rows],
                    "row_count": len(rows),
                    "quantity_total": sum(int(r["quantity"]) for r in rows),
                }
                for seq, rows in enumerate(batches, start=1)
            ],
        )
        self._session.execute(
            update(SalesUploadRow)
            .where(SalesUploadRow.id == upload_id)
            .values(
                product_days=product_days,
                rows_to_send=sum(len(rows) for rows in batches),
                unchanged=unchanged,
                corrections=corrections,
            )
        )

    def open_upload(self) -> UploadRecord | None:
        """The upload that still has batches to send or resolve, if any."""
        row = self._session.scalars(
            select(SalesUploadRow).where(SalesUploadRow.open_slot.is_not(None))
        ).first()
        return None if row is None else self._records([row])[0]

    def get(self, upload_id: int) -> UploadRecord:
        """One upload; raises ``LookupError`` when there is none with this id."""
        row = self._session.get(SalesUploadRow, upload_id)
        if row is None:
            raise LookupError(f"no sales upload {upload_id}")
        return self._records([row])[0]

    def recent(self, limit: int = 50) -> list[UploadRecord]:
        """The newest uploads, newest first."""
        rows = self._session.scalars(
            select(SalesUploadRow)
            .order_by(SalesUploadRow.uploaded_at.desc(), SalesUploadRow.id.desc())
            .limit(limit)
        )
        return self._records(list(rows))

    def with_file(self, file_sha256: str) -> list[UploadRecord]:
        """Earlier uploads of a file with the same content, newest first."""
        rows = self._session.scalars(
            select(SalesUploadRow)
            .where(SalesUploadRow.file_sha256 == file_sha256)
            .order_by(SalesUploadRow.uploaded_at.desc(), SalesUploadRow.id.desc())
        )
        return self._records(list(rows))

    def batches(
        self,
        upload_id: int,
        *,
        states: Iterable[BatchState] | None = None,
        with_rows: bool = True,
    ) -> list[BatchRecord]:
        """The upload's batches (only those in ``states`` if given), in sending order;
        ``with_rows=False`` leaves ``rows`` empty, which is much faster for big uploads."""
        query = (
            select(SalesUploadBatchRow)
            .where(SalesUploadBatchRow.upload_id == upload_id)
            .order_by(SalesUploadBatchRow.seq)
        )
        if states is not None:
            query = query.where(SalesUploadBatchRow.state.in_(list(states)))
        if not with_rows:
            query = query.options(defer(SalesUploadBatchRow.rows))
        return [_batch_record(row, with_rows=with_rows) for row in self._session.scalars(query)]

    def batch(self, batch_id: int) -> BatchRecord:
        """One batch; raises ``LookupError`` when there is none with this id."""
        row = self._session.get(SalesUploadBatchRow, batch_id)
        if row is None:
            raise LookupError(f"no sales upload batch {batch_id}")
        return _batch_record(row)

    def claim_next(self, upload_id: int, *, at: datetime) -> BatchRecord | None:
        """Move the first pending batch to ``sending`` and return it; None when none is left."""
        while True:
            batch_id = self._session.scalars(
                select(SalesUploadBatchRow.id)
                .where(
                    SalesUploadBatchRow.upload_id == upload_id,
                    SalesUploadBatchRow.state == "pending",
                )
                .order_by(SalesUploadBatchRow.seq)
                .limit(1)
            ).first()
            if batch_id is None:
                return None
            if self.move(batch_id, ("pending",), "sending", at=at, claimed_at=at):
                return self.batch(batch_id)

    def move(
        self,
        batch_id: int,
        from_states: Iterable[BatchState],
        to_state: BatchState,
        *,
        at: datetime,
        **values: Any,
    ) -> bool:
        """Change a batch's state if it is in one of ``from_states``; True when it changed.

        ``values`` sets other columns too (``error``, ``row_errors``, ``resolution``,
        ``claimed_at``); ``finished_at`` is set to ``at`` for final states.
        """
        if to_state in ("accepted", "refused", "unknown", "cancelled"):
            values.setdefault("finished_at", at)
        return move_state(
            self._session, SalesUploadBatchRow, batch_id, from_states, to_state, values
        )

    def move_all(
        self,
        upload_id: int,
        from_state: BatchState,
        to_state: BatchState,
        *,
        at: datetime,
        **values: Any,
    ) -> int:
        """Change every batch of an upload in ``from_state``; returns how many changed."""
        result = self._session.execute(
            update(SalesUploadBatchRow)
            .where(
                SalesUploadBatchRow.upload_id == upload_id,
                SalesUploadBatchRow.state == from_state,
            )
            .values(state=to_state, finished_at=at, **values)
            .execution_options(synchronize_session=False)
        )
        self._session.expire_all()
        return cast(int, result.rowcount)  # type: ignore[attr-defined]

    def close_if_done(self, upload_id: int, *, at: datetime) -> bool:
        """Free the open slot when no batch is pending, sending or unknown; True if closed now."""
        unfinished: ColumnElement[bool] = SalesUploadBatchRow.state.in_(
            ["pending", "sending", "unknown"]
        )
        left = self._session.scalar(
            select(func.count())
            .select_from(SalesUploadBatchRow)
            .where(SalesUploadBatchRow.upload_id == upload_id, unfinished)
        )
        if left:
            return False
        result = self._session.execute(
            update(SalesUploadRow)
            .where(SalesUploadRow.id == upload_id, SalesUploadRow.open_slot.is_not(None))
            .values(open_slot=None, finished_at=at)
            .execution_options(synchronize_session=False)
        )
        self._session.expire_all()
        return cast(int, result.rowcount) == 1  # type: ignore[attr-defined]

    def _records(self, rows: list[SalesUploadRow]) -> list[UploadRecord]:
        counts = self._batch_counts([row.id for row in rows])
        return [
            UploadRecord(
                id=row.id,
                uploaded_at=row.uploaded_at,
                uploaded_by=row.uploaded_by,
                file_name=row.file_name,
                file_sha256=row.file_sha256,
                rows_in_file=row.rows_in_file,
                good_rows=row.good_rows,
                bad_rows=row.bad_rows,
                product_days=row.product_days,
                rows_to_send=row.rows_to_send,
                unchanged=row.unchanged,
                corrections=row.corrections,
                is_open=row.open_slot is not None,
                finished_at=row.finished_at,
                batches=counts.get(row.id, BatchCounts()),
            )
            for row in rows
        ]

    def _batch_counts(self, upload_ids: list[int]) -> dict[int, BatchCounts]:
        if not upload_ids:
            return {}
        batch = SalesUploadBatchRow
        result = self._session.execute(
            select(batch.upload_id, batch.state, func.count(), func.sum(batch.row_count))
            .where(batch.upload_id.in_(upload_ids))
            .group_by(batch.upload_id, batch.state)
        )
        tallies: dict[int, dict[str, int]] = {}
        for upload_id, state, count, rows in result:
            tally = tallies.setdefault(upload_id, {})
            tally[state] = count
            if state == "accepted":
                tally["rows_accepted"] = int(rows or 0)
        return {upload_id: BatchCounts(**tally) for upload_id, tally in tallies.items()}


class SalesPreferencesRepository:
    """The column mapping and date limit remembered from the last upload."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def load(self) -> SalesPreferences | None:
        """What was saved last, or None before the first upload."""
        row = self._session.get(SalesUploadPreferencesRow, _PREFERENCES_ID)
        if row is None:
            return None
        return SalesPreferences(
            columns=dict(row.columns),
            max_age_days=row.max_age_days,
            saved_by=row.saved_by,
            saved_at=row.saved_at,
        )

    def save(self, columns: Mapping[str, str], *, max_age_days: int, by: str, at: datetime) -> None:
        """Remember a mapping (role → header) and limit, replacing the previous ones."""
        self._session.merge(
            SalesUploadPreferencesRow(
                id=_PREFERENCES_ID,
                columns=dict(columns),
                max_age_days=max_age_days,
                saved_by=by,
                saved_at=at,
            )
        )
        self._session.flush()


def _batch_record(row: SalesUploadBatchRow, *, with_rows: bool = True) -> BatchRecord:
    return BatchRecord(
        id=row.id,
        upload_id=row.upload_id,
        seq=row.seq,
        state=cast(BatchState, row.state),
        rows=list(row.rows) if with_rows else [],
        row_count=row.row_count,
        quantity_total=row.quantity_total,
        error=row.error,
        row_errors=list(row.row_errors or []),
        claimed_at=row.claimed_at,
        finished_at=row.finished_at,
        resolution=row.resolution,
    )
