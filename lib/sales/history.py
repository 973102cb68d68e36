"""Upload history, read and as tables: who sent which file when, batch results, row errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import BatchRecord, UnitOfWork, UploadRecord

STATUS_LABELS = ("sending", "outcome unknown", "interrupted", "refusals", "cancelled", "sent")


@dataclass(frozen=True)
class UploadBatches:
    """An upload's batches without their rows, and its refused batches with them."""

    batches: list[BatchRecord]
    refused: list[BatchRecord]


def recent_uploads(session_factory: sessionmaker[Session], limit: int = 50) -> list[UploadRecord]:
    """The newest ``limit`` uploads, newest first, with their batch counts."""
    with UnitOfWork(session_factory) as uow:
        return uow.sales_uploads.recent(limit=limit)


def upload_batches(session_factory: sessionmaker[Session], upload_id: int) -> UploadBatches:
    """The batches of one upload for its history, refused ones with the rows their errors name."""
    with UnitOfWork(session_factory) as uow:
        return UploadBatches(
            batches=uow.sales_batches.of_upload(upload_id, with_rows=False),
            refused=uow.sales_batches.of_upload(upload_id, states=("refused",)),
        )


def upload_status(upload: UploadRecord, *, sending_now: bool) -> str:
    """One word or two for where an upload stands (one of ``STATUS_LABELS``)."""
    batches = upload.batches
    if sending_now:
        return "sending"
    if batches.unknown:
        return "outcome unknown"
    if batches.pending or batches.sending:
        return "interrupted"
    if batches.refused:
        return "refusals"
    if batches.cancelled:
        return "cancelled"
    return "sent"


def history_table(
    uploads: Sequence[UploadRecord], *, sending_now: Callable[[int], bool]
) -> pd.DataFrame:
    """One line per upload, newest first, for the history table."""
    return pd.DataFrame(
        [
            {
                "Upload": u.id,
                "When": u.uploaded_at,
                "Uploaded by": u.uploaded_by,
                "File": u.file_name,
                "Rows in file": u.rows_in_file,
                "Bad rows": u.bad_rows,
                "Rows to send": u.rows_to_send,
                "Rows sent": u.batches.rows_accepted,
                "Batches sent": f"{u.batches.accepted} of {u.batches.total}",
                "Refused": u.batches.refused,
                "Unknown": u.batches.unknown,
                "Status": upload_status(u, sending_now=sending_now(u.id)),
            }
            for u in uploads
        ],
        columns=[
            "Upload", "When", "Uploaded by", "File", "Rows in file", "Bad rows",
            "Rows to send", "Rows sent", "Batches sent", "Refused", "Unknown", "Status",
        ],
    )  # fmt: skip


def batch_table(batches: Sequence[BatchRecord]) -> pd.DataFrame:
    """One line per batch: state, size, when it finished, and the error or the resolution."""
    return pd.DataFrame(
        [
            {
                "Batch": b.seq,
                "State": b.state,
                "Rows": b.row_count,
                "Quantity": b.quantity_total,
                "Finished": b.finished_at,
                "Note": " ".join(text for text in (b.error, b.resolution) if text),
            }
            for b in batches
        ],
        columns=["Batch", "State", "Rows", "Quantity", "Finished", "Note"],
    )


def row_error_table(batches: Sequence[BatchRecord]) -> pd.DataFrame:
    """The API's per-row errors of refused batches, with the row each one is about."""
    lines = []
    for batch in batches:
        for problem in batch.row_errors:
            index = problem.get("index")
            row = (
                batch.rows[index] if isinstance(index, int) and 0 <= index < batch.row_count else {}
            )
            lines.append(
                {
                    "Batch": batch.seq,
                    "Row": index + 1 if isinstance(index, int) else None,
                    "Product": row.get("internal_id"),
                    "Date": row.get("date"),
                    "Quantity": row.get("quantity"),
                    "Error": problem.get("error"),
                    "Expected": problem.get("expected"),
                    "Received": None
                    if problem.get("received") is None
                    else str(problem["received"]),
                }
            )
    return pd.DataFrame(
        lines,
        columns=["Batch", "Row", "Product", "Date", "Quantity", "Error", "Expected", "Received"],
    )
