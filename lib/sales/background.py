"""Sending as a background job: the page starts it and watches the job's row, so closing the
tab, clicking or switching pages changes nothing. One sender per upload (the job's subject)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import JobRecord, NewUpload
from lib.jobs.service import active_subjects, latest_job, start_job
from lib.jobs.tasks import SALES_SEND
from lib.sales.mapping import ColumnMapping
from lib.sales.resolution import reopen_batch
from lib.sales.upload import start_upload


def start_sending(session_factory: sessionmaker[Session], upload_id: int, *, by: str) -> JobRecord:
    """Start (or join, when one runs already) the job that sends the upload's pending batches."""
    return start_job(session_factory, SALES_SEND, str(upload_id), by=by)


def upload_and_start_sending(
    session_factory: sessionmaker[Session],
    totals: pd.DataFrame,
    upload: NewUpload,
    *,
    mapping: ColumnMapping,
    max_age_days: int,
) -> JobRecord | None:
    """Store the upload (``start_upload``) and start sending it; None when nothing was new
    any more, so nothing was stored or sent."""
    started = start_upload(
        session_factory, totals, upload, mapping=mapping, max_age_days=max_age_days
    )
    if started.upload_id is None:
        return None
    return start_sending(session_factory, started.upload_id, by=upload.uploaded_by)


def resend_in_background(
    session_factory: sessionmaker[Session], batch_id: int, *, by: str
) -> JobRecord:
    """The unknown batch was not stored: make it pending again and start sending the upload.

    Raises ``BatchStateError`` when the batch is no longer of unknown outcome.
    """
    upload_id = reopen_batch(session_factory, batch_id, by=by)
    return start_sending(session_factory, upload_id, by=by)


def sending_job(session_factory: sessionmaker[Session], upload_id: int) -> JobRecord | None:
    """The newest send job of the upload, whatever its state."""
    return latest_job(session_factory, SALES_SEND, str(upload_id))


def uploads_being_sent(session_factory: sessionmaker[Session]) -> set[int]:
    """Ids of the uploads a send job is pending or running for, in any process."""
    return {int(subject) for subject in active_subjects(session_factory, SALES_SEND)}
