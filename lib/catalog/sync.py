"""Catalog sync: fetch the whole catalog from PleasureStock and store it as one snapshot.

The fetch happens entirely before the database is touched, and the snapshot is
replaced in one transaction, so a failed sync (bad key, rate limit, server error,
a crash half-way) always leaves the previous snapshot in place. The same transaction
stores the products as PleasureStock's source snapshot (``lib.sources``), which product
links match on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.pleasurestock import PleasureStockClient, PleasureStockError
from lib.sources.pleasurestock import catalog_snapshot
from lib.sources.records import PLEASURESTOCK
from lib.sources.sync import store_snapshot

ProgressCallback = Callable[[int, int], None]


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
        # The same products as PleasureStock's source snapshot, which links match on:
        # one fetch (and one audited action) for both.
        store_snapshot(
            uow, PLEASURESTOCK, catalog_snapshot(products), started=started, finished=finished
        )
        uow.audit.record(
            actor,
            "catalog.sync",
            "catalog",
            before={"product_count": before},
            after={"product_count": count},
        )
        uow.commit()
    return count
