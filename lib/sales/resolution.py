"""A person's decisions about an open upload: a batch of unknown outcome stored or sent again,
the batches not sent yet cancelled. Each decision is written to the audit log."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.pleasurestock import PleasureStockClient
from lib.sales.sending import Clock, ProgressCallback, SendReport, send_upload, utc_now

STALE = "This batch is no longer of unknown outcome; reload the page."


class BatchStateError(RuntimeError):
    """The batch is no longer in the state the action needs (someone else acted first)."""


def mark_batch_stored(
    session_factory: sessionmaker[Session], batch_id: int, *, by: str, now: Clock = utc_now
) -> None:
    """A person checked PleasureStock: the unknown batch was stored. The ledger adds it.

    Raises ``BatchStateError`` when the batch is no longer of unknown outcome.
    """
    at = now()
    with UnitOfWork(session_factory) as uow:
        note = f"Marked as stored by {by} on {at:%Y-%m-%d %H:%M} UTC."
        if not uow.sales_batches.move(batch_id, ("unknown",), "accepted", at=at, resolution=note):
            raise BatchStateError(STALE)
        batch = uow.sales_batches.get(batch_id)
        uow.sales_ledger.record_sent(batch.rows, at=at)
        uow.sales_uploads.close_if_done(batch.upload_id, at=at)
        uow.audit.record(by, "sales.batch.mark_stored", "sales_upload_batch", str(batch_id))
        uow.commit()


def resend_batch(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    batch_id: int,
    *,
    by: str,
    on_progress: ProgressCallback | None = None,
    now: Clock = utc_now,
) -> SendReport:
    """A person checked PleasureStock: the unknown batch was not stored. It becomes pending
    again (``reopen_batch``) and the upload's pending batches are sent (``send_upload``)."""
    upload_id = reopen_batch(session_factory, batch_id, by=by, now=now)
    return send_upload(client, session_factory, upload_id, on_progress=on_progress, now=now)


def reopen_batch(
    session_factory: sessionmaker[Session], batch_id: int, *, by: str, now: Clock = utc_now
) -> int:
    """The unknown batch was not stored: make it pending again, to be sent with the upload's
    other pending batches; returns the upload's id.

    Raises ``BatchStateError`` when the batch is no longer of unknown outcome.
    """
    at = now()
    with UnitOfWork(session_factory) as uow:
        batch = uow.sales_batches.get(batch_id)
        note = f"Sent again by {by} on {at:%Y-%m-%d %H:%M} UTC after: {batch.error}"
        moved = uow.sales_batches.move(
            batch_id,
            ("unknown",),
            "pending",
            at=at,
            resolution=note,
            error=None,
            claimed_at=None,
            finished_at=None,
        )
        if not moved:
            raise BatchStateError(STALE)
        uow.audit.record(by, "sales.batch.resend", "sales_upload_batch", str(batch_id))
        uow.commit()
    return batch.upload_id


def cancel_pending(
    session_factory: sessionmaker[Session], upload_id: int, *, by: str, now: Clock = utc_now
) -> int:
    """Give up the batches not sent yet; returns how many. Unknown batches still need a decision."""
    at = now()
    with UnitOfWork(session_factory) as uow:
        note = f"Cancelled by {by} on {at:%Y-%m-%d %H:%M} UTC."
        cancelled = uow.sales_batches.move_all(
            upload_id, "pending", "cancelled", at=at, resolution=note
        )
        uow.sales_uploads.close_if_done(upload_id, at=at)
        uow.audit.record(
            by, "sales.upload.cancel", "sales_upload", str(upload_id), after={"batches": cancelled}
        )
        uow.commit()
    return cancelled
