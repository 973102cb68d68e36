"""Sales uploads: who sent which file when, what its plan held, and the one open slot.

Like every repository this works inside the unit of work's session and never commits.
A unique open slot lets only one upload be open at a time; the batches themselves are
in ``lib.db.sales_batches``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lib.db.models import SalesUploadBatchRow, SalesUploadRow


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


class SalesUploadRepository:
    """Uploads with their batch counts; only one upload is open at a time."""

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

    def record_plan(
        self,
        upload_id: int,
        *,
        product_days: int,
        rows_to_send: int,
        unchanged: int,
        corrections: int,
    ) -> None:
        """Store the counts of the upload's plan against the ledger."""
        self._session.execute(
            update(SalesUploadRow)
            .where(SalesUploadRow.id == upload_id)
            .values(
                product_days=product_days,
                rows_to_send=rows_to_send,
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
