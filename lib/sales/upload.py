"""Opening a sales upload: the plan against the ledger, stored as pending batches at once.

``start_upload`` opens an upload (only one can be open), compares the file's totals
with the ledger inside that same transaction and stores the rows to send as pending
batches of at most 1,000; ``lib.sales.sending`` then sends them. ``preview_upload``
shows the same plan without storing anything, and ``sales_page_state`` what the page
needs before a new file: the open upload and the remembered column mapping.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import (
    BatchRecord,
    NewUpload,
    SalesPreferences,
    UnitOfWork,
    UploadRecord,
)
from lib.pleasurestock import PleasureStockClient
from lib.pleasurestock.client import MAX_SALES_ROWS
from lib.sales.ledger import KEY, DeltaPlan, empty_sent, plan_delta
from lib.sales.mapping import ColumnMapping
from lib.sales.sending import Clock, ProgressCallback, SendReport, send_upload, utc_now
from lib.sales.validation import MAX_AGE_DAYS_LIMIT

BATCH_ROWS = MAX_SALES_ROWS


class UploadInputError(ValueError):
    """The upload cannot start as asked: the message says what to change."""


@dataclass(frozen=True)
class StartResult:
    """The plan computed against the ledger; ``upload_id`` None when there was nothing to send."""

    upload_id: int | None
    plan: DeltaPlan
    batches: int


@dataclass(frozen=True)
class UploadPreview:
    """What sending a checked file would do now, and the earlier uploads of the same file."""

    plan: DeltaPlan
    earlier: list[UploadRecord]


@dataclass(frozen=True)
class SalesPageState:
    """The open upload (None when none is), its batches of unknown outcome with their rows,
    and the column mapping and date limit remembered from the last upload."""

    open_upload: UploadRecord | None
    unknown_batches: list[BatchRecord]
    preferences: SalesPreferences | None


def sales_page_state(session_factory: sessionmaker[Session]) -> SalesPageState:
    """What the Sales upload page shows before a new file is chosen."""
    with UnitOfWork(session_factory) as uow:
        upload = uow.sales_uploads.open_upload()
        unknown = (
            uow.sales_batches.of_upload(upload.id, states=("unknown",))
            if upload is not None and upload.batches.unknown
            else []
        )
        return SalesPageState(upload, unknown, uow.sales_preferences.load())


def preview_upload(
    session_factory: sessionmaker[Session], totals: pd.DataFrame, file_sha256: str
) -> UploadPreview:
    """What would be sent now for these per-product-day totals (nothing is stored), and who
    uploaded a file with this SHA-256 before (newest first)."""
    with UnitOfWork(session_factory) as uow:
        return UploadPreview(
            plan=plan_delta(totals, _sent_for(uow, totals)),
            earlier=uow.sales_uploads.with_file(file_sha256),
        )


def _problems(totals: pd.DataFrame, upload: NewUpload, *, max_age_days: int) -> list[str]:
    """Why an upload of these totals cannot start (empty when it can), one sentence each."""
    problems: list[str] = []
    if not upload.uploaded_by.strip():
        problems.append("Say who uploads the sales: the audit log names them.")
    if not 1 <= max_age_days <= MAX_AGE_DAYS_LIMIT:
        problems.append(
            f"The oldest sales date must be 1 to {MAX_AGE_DAYS_LIMIT:,} days back, "
            f"not {max_age_days:,}."
        )
    repeats = 0 if totals.empty else int(totals.duplicated(KEY).sum())
    if repeats:
        # PleasureStock adds up what it receives, so a repeated product-day would count twice.
        problems.append(
            f"{repeats:,} product-day(s) appear more than once; sum the warehouses first "
            "(one row per product and day)."
        )
    return problems


def start_upload(
    session_factory: sessionmaker[Session],
    totals: pd.DataFrame,
    upload: NewUpload,
    *,
    mapping: ColumnMapping | None,
    max_age_days: int,
    now: Clock = utc_now,
) -> StartResult:
    """Open an upload, plan it against the ledger and store its batches, in one transaction.
    ``mapping`` (a file's columns) is remembered for the next file; None for sales that
    came from no file (channel orders).

    The open slot is taken first, so the ledger read after it cannot miss an upload
    that finished meanwhile. Raises ``UploadInputError`` (nothing stored) for inputs
    it cannot send, ``UploadAlreadyOpenError`` while another upload is open. With
    nothing to send, nothing is stored and ``upload_id`` is None.
    """
    problems = _problems(totals, upload, max_age_days=max_age_days)
    if problems:
        raise UploadInputError(" ".join(problems))
    at = now()
    if totals.empty:
        return StartResult(upload_id=None, plan=plan_delta(totals, empty_sent()), batches=0)
    with UnitOfWork(session_factory) as uow:
        upload_id = uow.sales_uploads.open(upload, at=at)
        plan = plan_delta(totals, _sent_for(uow, totals))
        payload = plan.payload()
        if not payload:
            return StartResult(upload_id=None, plan=plan, batches=0)
        batches = [payload[i : i + BATCH_ROWS] for i in range(0, len(payload), BATCH_ROWS)]
        uow.sales_batches.add(upload_id, batches)
        uow.sales_uploads.record_plan(
            upload_id,
            product_days=len(totals),
            rows_to_send=len(payload),
            unchanged=plan.count("unchanged"),
            corrections=plan.count("correction"),
        )
        if mapping is not None:  # a file's column mapping, remembered for the next file
            uow.sales_preferences.save(
                mapping.as_dict(), max_age_days=max_age_days, by=upload.uploaded_by, at=at
            )
        uow.audit.record(
            upload.uploaded_by,
            "sales.upload",
            "sales_upload",
            str(upload_id),
            after={"file": upload.file_name, "rows": len(payload), "batches": len(batches)},
        )
        uow.commit()
    return StartResult(upload_id=upload_id, plan=plan, batches=len(batches))


def upload_and_send(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    totals: pd.DataFrame,
    upload: NewUpload,
    *,
    mapping: ColumnMapping,
    max_age_days: int,
    on_progress: ProgressCallback | None = None,
    now: Clock = utc_now,
) -> SendReport | None:
    """Start the upload (``start_upload``) and send its batches (``send_upload``); None when
    nothing was new any more, so nothing was stored or sent."""
    started = start_upload(
        session_factory, totals, upload, mapping=mapping, max_age_days=max_age_days, now=now
    )
    if started.upload_id is None:
        return None
    return send_upload(client, session_factory, started.upload_id, on_progress=on_progress, now=now)


def _sent_for(uow: UnitOfWork, totals: pd.DataFrame) -> pd.DataFrame:
    """The ledger over the days of ``totals`` (nothing when there are none)."""
    if totals.empty:
        return empty_sent()
    return uow.sales_ledger.sent_between(totals["date"].min(), totals["date"].max())
