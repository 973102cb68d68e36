"""When the Catalog page syncs by itself: stale snapshot, but not right after a failure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lib.catalog.snapshot import AUTO_SYNC_RETRY, CatalogStatus
from lib.db import SnapshotInfo, SyncRecord

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


def status(fetched_ago: timedelta | None, attempt_ago: timedelta | None) -> CatalogStatus:
    fetched = None if fetched_ago is None else NOW - fetched_ago
    attempt = None
    if attempt_ago is not None:
        started = NOW - attempt_ago
        attempt = SyncRecord(1, started, started, "failed", 0, "PleasureStock is down")
    return CatalogStatus(SnapshotInfo(0 if fetched is None else 5, fetched), attempt)


@pytest.mark.parametrize(
    ("fetched_ago", "attempt_ago", "expected"),
    [
        (None, None, True),  # never fetched
        (timedelta(hours=23), None, False),  # fresh enough
        (timedelta(hours=25), None, True),  # stale
        (timedelta(hours=25), timedelta(minutes=2), False),  # just failed: do not hammer
        (timedelta(hours=25), AUTO_SYNC_RETRY + timedelta(seconds=1), True),
        (None, timedelta(minutes=2), False),
    ],
)
def test_needs_auto_sync(
    fetched_ago: timedelta | None, attempt_ago: timedelta | None, expected: bool
) -> None:
    assert status(fetched_ago, attempt_ago).needs_auto_sync(DAY, now=NOW) is expected
