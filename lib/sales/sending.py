"""Sending an open upload's batches to PleasureStock, each stored before and after its request.

``send_upload`` sends the pending batches one by one, paced by the client's rate
limiter; each batch is marked ``sending`` (committed) before its request and
``accepted``, ``refused`` or ``unknown`` (committed, with the ledger) after it:

- accepted: stored by PleasureStock; the ledger adds its rows;
- refused (400): nothing stored; the API's per-row errors are kept;
- unknown (timeout, dropped connection, 5xx): maybe stored. Never resent
  automatically (NOTES.md point 3): a person checks PleasureStock, then marks it
  stored or sends it again (``lib.sales.resolution``);
- not delivered, or refused before storing (network, 429 after retries, bad key):
  back to pending, and sending stops so the user can resume later.

A batch found ``sending`` when a send starts was cut off by a crash or a closed
browser: it becomes unknown, never resent. Running ``send_upload`` again resumes an
interrupted upload with the batches still pending.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy.orm import Session, sessionmaker

from lib.db import BatchRecord, BatchState, UnitOfWork, UploadRecord
from lib.pleasurestock import (
    OutcomeUnknownError,
    PleasureStockClient,
    PleasureStockError,
    ValidationError,
)
from lib.pleasurestock.models import SaleRow
from lib.pleasurestock.ratelimit import STANDARD

# Three unknown outcomes in a row mean PleasureStock is failing: stop rather than turn
# every remaining batch into one a person has to check.
UNKNOWN_IN_A_ROW_LIMIT = 3
INTERRUPTED = (
    "StockDesk stopped while this batch was being sent (closed browser, restart or crash), "
    "so it may or may not have been stored."
)
CHECK_ADVICE = (
    "Check in PleasureStock whether these sales arrived: if they did, mark the batch as "
    "stored; if not, send it again."
)

ProgressCallback = Callable[["SendProgress"], None]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current moment in UTC: the clock the sales actions use unless given another."""
    return datetime.now(UTC)


class UploadBusyError(RuntimeError):
    """The upload is already being sent by this process."""


@dataclass(frozen=True)
class SendProgress:
    """Where an upload stands after a batch: batches finished, rows accepted, time left (s)."""

    batches_done: int
    batches_total: int
    rows_sent: int
    rows_total: int
    seconds_left: float

    @property
    def batches_left(self) -> int:
        """Batches not finished yet."""
        return self.batches_total - self.batches_done


@dataclass(frozen=True)
class SendReport:
    """What one ``send_upload`` run did and how the upload stands afterwards."""

    upload: UploadRecord
    accepted: int
    refused: int
    unknown: int
    stopped: str | None = None
    error: PleasureStockError | None = None


# Which uploads this process is sending now. Pages send through a job, single-flight per
# upload in the database (``lib.sales.background``); this also stops a direct call beside it.
_sending: set[int] = set()
_sending_lock = threading.Lock()


@contextmanager
def _sending_guard(upload_id: int) -> Iterator[None]:
    """Mark the upload as being sent by this process for the duration of the block."""
    with _sending_lock:
        if upload_id in _sending:
            raise UploadBusyError(
                f"Upload {upload_id} is already being sent; wait for it to finish."
            )
        _sending.add(upload_id)
    try:
        yield
    finally:
        with _sending_lock:
            _sending.discard(upload_id)


def estimate_seconds_left(
    batches_left: int,
    *,
    seconds_per_batch: float,
    room: dict[float, int],
    limits: dict[float, int],
) -> float:
    """Seconds to send ``batches_left`` batches, one request each, given the requests that
    still fit (``room``) and the limits, per window length (1, 60 and 3600 s).

    What still fits in the current minute goes at the per-second pace; the rest waits
    for minute windows to free up, and beyond the hour's budget for hour windows (so the
    estimate errs by at most one window, on the long side). Never faster than the
    batches so far went.
    """
    burst = min(batches_left, max(room[60.0], 0))
    by_minute = burst / limits[1.0] + math.ceil((batches_left - burst) / limits[60.0]) * 60.0
    over_hour = max(batches_left - max(room[3600.0], 0), 0)
    by_hour = math.ceil(over_hour / limits[3600.0]) * 3600.0
    return max(by_minute, by_hour, batches_left * seconds_per_batch)


def send_upload(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    upload_id: int,
    *,
    on_progress: ProgressCallback | None = None,
    now: Clock = utc_now,
    unknown_limit: int = UNKNOWN_IN_A_ROW_LIMIT,
) -> SendReport:
    """Send the upload's pending batches in order; resumes an interrupted upload.

    ``on_progress`` is called after each batch's outcome is committed, so stopping
    the caller there (a Streamlit rerun) loses nothing. Raises ``UploadBusyError``
    while this process is sending the upload already.
    """
    with _sending_guard(upload_id):
        with UnitOfWork(session_factory) as uow:
            uow.sales_batches.move_all(
                upload_id, "sending", "unknown", at=now(), error=f"{INTERRUPTED} {CHECK_ADVICE}"
            )
            uow.sales_uploads.close_if_done(upload_id, at=now())
            uow.commit()
            record = uow.sales_uploads.get(upload_id)
        tally = {"accepted": 0, "refused": 0, "unknown": 0}
        counts = record.batches
        done = counts.accepted + counts.refused + counts.unknown + counts.cancelled
        rows_sent = counts.rows_accepted
        started = time.monotonic()
        unknown_in_a_row = 0
        stopped: str | None = None
        error: PleasureStockError | None = None
        while True:
            with UnitOfWork(session_factory) as uow:
                batch = uow.sales_batches.claim_next(upload_id, at=now())
                uow.commit()
            if batch is None:
                break
            outcome, error = _send_batch(client, session_factory, batch, now)
            if outcome == "pending":
                stopped = (
                    f"Sending stopped at batch {batch.seq}: {error} Nothing of that batch was "
                    "stored; resume when the problem is solved."
                )
                break
            tally[outcome] += 1
            done += 1
            rows_sent += batch.row_count if outcome == "accepted" else 0
            unknown_in_a_row = unknown_in_a_row + 1 if outcome == "unknown" else 0
            if on_progress:
                on_progress(
                    _progress(client, record, done, rows_sent, tally, time.monotonic() - started)
                )
            if unknown_in_a_row >= unknown_limit:
                stopped = (
                    f"Sending stopped after {unknown_in_a_row} batches in a row whose outcome "
                    "is unknown: PleasureStock seems to be failing. The remaining batches "
                    "are kept; resume later."
                )
                break
        with UnitOfWork(session_factory) as uow:
            uow.sales_uploads.close_if_done(upload_id, at=now())
            uow.commit()
            final = uow.sales_uploads.get(upload_id)
    return SendReport(upload=final, stopped=stopped, error=error, **tally)


def _send_batch(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    batch: BatchRecord,
    now: Clock,
) -> tuple[Literal["accepted", "refused", "unknown", "pending"], PleasureStockError | None]:
    """Send one claimed batch and commit its outcome: accepted, refused, unknown or pending."""
    rows = [SaleRow.model_validate(row) for row in batch.rows]
    try:
        client.submit_sales(rows)
    except ValidationError as refused:
        row_errors = [e.model_dump(mode="json") for e in refused.row_errors]
        _finish(session_factory, batch, "refused", now, error=str(refused), row_errors=row_errors)
        return "refused", None
    except OutcomeUnknownError as unknown:
        _finish(session_factory, batch, "unknown", now, error=f"{unknown} {CHECK_ADVICE}")
        return "unknown", None
    except PleasureStockError as failure:
        _finish(session_factory, batch, "pending", now, error=str(failure), claimed_at=None)
        return "pending", failure
    _finish(session_factory, batch, "accepted", now, error=None)
    return "accepted", None


def _finish(
    session_factory: sessionmaker[Session],
    batch: BatchRecord,
    state: BatchState,
    now: Clock,
    **values: object,
) -> None:
    """Commit a sent batch's outcome; an accepted batch's rows go into the ledger with it."""
    at = now()
    with UnitOfWork(session_factory) as uow:
        moved = uow.sales_batches.move(batch.id, ("sending",), state, at=at, **values)
        if moved and state == "accepted":
            uow.sales_ledger.record_sent(batch.rows, at=at)
        uow.commit()


def _progress(
    client: PleasureStockClient,
    record: UploadRecord,
    done: int,
    rows_sent: int,
    tally: dict[str, int],
    elapsed: float,
) -> SendProgress:
    total = record.batches.total
    sent_now = sum(tally.values())
    usage = [u for u in client.rate_limit_usage() if u.rate_class == STANDARD]
    left = estimate_seconds_left(
        total - done,
        seconds_per_batch=elapsed / sent_now if sent_now else 0.0,
        room={u.window_seconds: u.limit - u.used for u in usage},
        limits={u.window_seconds: u.limit for u in usage},
    )
    return SendProgress(
        batches_done=done,
        batches_total=total,
        rows_sent=rows_sent,
        rows_total=record.rows_to_send,
        seconds_left=left,
    )
