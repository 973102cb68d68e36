"""Source sync: fetch a source's whole snapshot, then replace that source's stored rows
in one transaction. A failure keeps the previous snapshot and never touches another
source's rows; confirmed links are kept whatever the snapshot holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sqlalchemy.orm import Session, sessionmaker

from lib.db import SourceSyncRecord, UnitOfWork
from lib.sources.own_stock import BudgetedStockSource, chosen_stock_keys
from lib.sources.records import CatalogSnapshot
from lib.sources.source import ProgressCallback, Source
from lib.upstream.errors import SourceError


def store_snapshot(
    uow: UnitOfWork,
    source: str,
    snapshot: CatalogSnapshot,
    *,
    started: datetime,
    finished: datetime,
) -> int:
    """Replace ``source``'s rows and record the sync, inside ``uow`` (the caller audits
    and commits); the item count."""
    count = uow.sources.replace_snapshot(source, snapshot, fetched_at=finished)
    uow.sources.record_sync(source, started, finished, "ok", count)
    return count


def sync_source(
    source: Source,
    session_factory: sessionmaker[Session],
    *,
    actor: str,
    on_progress: ProgressCallback | None = None,
    time_zone: tzinfo = UTC,
) -> int:
    """Fetch ``source``'s whole catalog and store it as its snapshot; the item count.

    A source whose stock costs a request per item (Price2B) reads it for the linked
    items within its budget, oldest-read first, and stores it as the daily snapshot of
    today in ``time_zone`` (the shop's day). On the source's error the failure is
    recorded, the previous snapshot is kept and the error is raised again for the caller
    to show.
    """
    started = datetime.now(UTC)
    stock_keys: list[str] | None = None
    if isinstance(source, BudgetedStockSource):
        stock_keys = chosen_stock_keys(session_factory, source.key, source.stock_budget)
        source = source.with_stock_keys(stock_keys)
    try:
        snapshot = source.fetch_catalog(on_progress=on_progress)
    except SourceError as error:
        with UnitOfWork(session_factory) as uow:
            uow.sources.record_sync(source.key, started, datetime.now(UTC), "failed", 0, str(error))
            uow.commit()
        raise
    finished = datetime.now(UTC)
    with UnitOfWork(session_factory) as uow:
        before = uow.sources.item_count(source.key)
        count = store_snapshot(uow, source.key, snapshot, started=started, finished=finished)
        after = {"item_count": count, "prices": len(snapshot.prices), "stock": len(snapshot.stock)}
        if stock_keys is not None:
            uow.stock_days.store(
                source.key,
                snapshot.stock,
                read=stock_keys,
                taken_at=finished,
                day=finished.astimezone(time_zone).date(),
            )
            after["stock_read"] = len(stock_keys)
        uow.audit.record(
            actor,
            "source.sync",
            "source",
            source.key,
            before={"item_count": before},
            after=after,
        )
        uow.commit()
    return count


@dataclass(frozen=True)
class SourceStatus:
    """What a connection card shows of a source's stored snapshot."""

    item_count: int
    last_sync: SourceSyncRecord | None


def source_status(session_factory: sessionmaker[Session], source: str) -> SourceStatus:
    """How many items ``source``'s snapshot holds and its newest sync attempt."""
    with UnitOfWork(session_factory) as uow:
        return SourceStatus(uow.sources.item_count(source), uow.sources.last_sync(source))
