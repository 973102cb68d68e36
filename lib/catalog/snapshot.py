"""The stored catalog snapshot as the pages read it: its status, its products, its frame."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import SnapshotInfo, SyncRecord, UnitOfWork
from lib.pleasurestock.models import Product

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


def catalog_frame(session_factory: sessionmaker[Session]) -> pd.DataFrame:
    """The snapshot as one row per product (exact Decimals, None where missing), by ps id."""
    with UnitOfWork(session_factory) as uow:
        return uow.catalog.load_frame()


def catalog_products(session_factory: sessionmaker[Session]) -> list[Product]:
    """Every product of the snapshot as a model, ordered by ps id."""
    with UnitOfWork(session_factory) as uow:
        return uow.catalog.load_products()
