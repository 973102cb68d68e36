"""Upload status words, the API's row errors next to their rows, and the time-left estimate."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lib.db import BatchCounts, BatchRecord, UploadRecord
from lib.sales.history import row_error_table, upload_status
from lib.sales.sending import estimate_seconds_left

AT = datetime(2025, 11, 10, 9, 30, tzinfo=UTC)


def upload(**counts: int) -> UploadRecord:
    return UploadRecord(
        id=1, uploaded_at=AT, uploaded_by="Ayşe", file_name="satis.csv", file_sha256="0" * 64,
        rows_in_file=10, good_rows=10, bad_rows=0, product_days=5, rows_to_send=5, unchanged=0,
        corrections=0, is_open=False, finished_at=None, batches=BatchCounts(**counts),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("counts", "sending_now", "status"),
    [
        ({"accepted": 2}, False, "sent"),
        ({"accepted": 1, "pending": 1}, True, "sending"),
        ({"accepted": 1, "pending": 1}, False, "interrupted"),
        ({"accepted": 1, "sending": 1}, False, "interrupted"),
        ({"accepted": 1, "unknown": 1, "pending": 1}, False, "outcome unknown"),
        ({"accepted": 1, "refused": 1}, False, "refusals"),
        ({"accepted": 1, "cancelled": 1}, False, "cancelled"),
    ],
)
def test_upload_status(counts: dict[str, int], sending_now: bool, status: str) -> None:
    assert upload_status(upload(**counts), sending_now=sending_now) == status


def test_row_errors_are_shown_next_to_the_row_they_are_about() -> None:
    batch = BatchRecord(
        id=7, upload_id=1, seq=3, state="refused",
        rows=[
            {"internal_id": "ps_a", "date": "2025-11-03", "quantity": 1},
            {"internal_id": "bad", "date": "2025-11-03", "quantity": 2},
        ],
        row_count=2, quantity_total=3, error="1 row(s) were refused",
        row_errors=[{"index": 1, "error": "Invalid internal_id format", "expected": "ps_id",
                     "received": "bad"}],
        claimed_at=AT, finished_at=AT, resolution=None,
    )  # fmt: skip
    assert row_error_table([batch]).to_dict("records") == [
        {
            "Batch": 3,
            "Row": 2,
            "Product": "bad",
            "Date": "2025-11-03",
            "Quantity": 2,
            "Error": "Invalid internal_id format",
            "Expected": "ps_id",
            "Received": "bad",
        }
    ]


LIMITS = {1.0: 10, 60.0: 100, 3600.0: 1000}


def room(second: int = 10, minute: int = 100, hour: int = 1000) -> dict[float, int]:
    return {1.0: second, 60.0: minute, 3600.0: hour}


def test_time_left_uses_the_burst_then_minute_windows_then_hour_windows() -> None:
    # 250 batches, 40 still fit in this minute: 40 at 10/s (4 s), then 210 need three more
    # minute windows (180 s).
    left = estimate_seconds_left(250, seconds_per_batch=0.05, room=room(minute=40), limits=LIMITS)
    assert left == pytest.approx(184.0)
    # A fresh start with 30 batches: all within this minute's budget, at 10 a second.
    assert estimate_seconds_left(
        30, seconds_per_batch=0.0, room=room(), limits=LIMITS
    ) == pytest.approx(3.0)
    # 1,500 batches with 900 left in this hour: 600 wait for the next hour window.
    assert estimate_seconds_left(
        1500, seconds_per_batch=0.0, room=room(hour=900), limits=LIMITS
    ) == pytest.approx(3600.0)
    # A slow server is slower than the rate limit: 5 batches at 2 s each.
    assert estimate_seconds_left(
        5, seconds_per_batch=2.0, room=room(), limits=LIMITS
    ) == pytest.approx(10.0)
