"""Catalog sync: fetch the whole catalog from PleasureStock and store it as one snapshot.

The fetch happens entirely before the database is touched, and the snapshot is
replaced in one transaction, so a failed sync (bad key, rate limit, server error,
a crash half-way) always leaves the previous snapshot in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from lib.db import SnapshotInfo, SyncRecord, UnitOfWork
from lib.pleasurestock import PleasureStockClient, PleasureStockError

ProgressCallback = Callable[[int, int], None]
# After a failed attempt, a stale snapshot is not synced automatically again this soon,
# so a broken API is not asked on every rerun of the page.
AUTO_SYNC_RETRY = timedelta(minutes=10)


@dataclass(frozen=True)
class CatalogStatus:
    """What the dashboard knows about its catalog snapshot."""

    snapshot: SnapshotInfo
    last_sync: SyncRecord | None

    def is_stale(self, max_age: timedelta, *, now: datetime) -> bool:
        """True when the snapshot is empty or older than ``max_age``."""
        fetched = self.snapshot.fetched_at
        return fetched is None or now - fetched > max_age

    def needs_auto_sync(self, max_age: timedelta, *, now: datetime) -> bool:
        """True when the snapshot is stale and no sync was tried in the last ``AUTO_SYNC_RETRY``."""
        if not self.is_stale(max_age, now=now):
            return False
        last = self.last_sync
        return last is None or now - last.started_at > AUTO_SYNC_RETRY


def catalog_status(session_factory: sessionmaker[Session]) -> CatalogStatus:
    """Size and age of the stored snapshot and the outcome of the last sync attempt."""
    with UnitOfWork(session_factory) as uow:
        return CatalogStatus(
            snapshot=uow.catalog.snapshot_info(), last_sync=uow.catalog.last_sync()
        )


def sync_catalog(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    *,
    actor: str,
    on_progress: ProgressCallback | None = None,
) -> int:
    """Fetch every product with category, TCC and TSP and replace the snapshot; returns the count.

    On a PleasureStock error the failure is recorded, the previous snapshot is kept
    and the error is raised again for the page to show.
    """
    started = datetime.now(UTC)
    try:
        products = client.fetch_catalog(include_all=True, on_progress=on_progress)
    except PleasureStockError as error:
        with UnitOfWork(session_factory) as uow:
            uow.catalog.record_sync(started, datetime.now(UTC), "failed", 0, str(error))
            uow.commit()
        raise
    finished = datetime.now(UTC)
    with UnitOfWork(session_factory) as uow:
        before = uow.catalog.snapshot_info().product_count
        count = uow.catalog.replace_snapshot(products, fetched_at=finished)
        uow.catalog.record_sync(started, finished, "ok", count)
        uow.audit.record(
            actor,
            "catalog.sync",
            "catalog",
            before={"product_count": before},
            after={"product_count": count},
        )
        uow.commit()
    return count
