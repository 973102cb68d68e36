"""The batches of a sales upload: stored before sending, claimed once, moved state by state.

Like every repository this works inside the unit of work's session and never commits.
State changes are conditional updates (``… WHERE state = 'pending'``), so two senders
can never both claim one batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import select, update
from sqlalchemy.orm import Session, defer

from lib.db.models import SalesUploadBatchRow
from lib.db.state_moves import move_state

BatchState = Literal["pending", "sending", "accepted", "refused", "unknown", "cancelled"]


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


class SalesBatchRepository:
    """The batches of the sales uploads, in sending order."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, upload_id: int, batches: Sequence[Sequence[Mapping[str, Any]]]) -> None:
        """Store the upload's batches of ``POST /sales`` rows, all pending, numbered from 1."""
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

    def of_upload(
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

    def get(self, batch_id: int) -> BatchRecord:
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
                return self.get(batch_id)

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
