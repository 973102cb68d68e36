"""Each source's stored snapshot (items, prices, stock) and its sync attempts.

``replace_snapshot`` touches only the rows of the source it is given, so one source's
sync can never damage another's data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from lib.db.models import (
    SourceItemRow,
    SourcePriceRow,
    SourceStockDayRow,
    SourceStockRow,
    SourceSyncRow,
)
from lib.sources.records import CatalogSnapshot, PricePoint, SourceItem, StockLine

SourceSyncStatus = Literal["ok", "failed"]
_ITEM_COLUMNS = tuple(f.name for f in fields(SourceItem))
_PRICE_COLUMNS = tuple(f.name for f in fields(PricePoint))


@dataclass(frozen=True)
class SourceSyncRecord:
    """One recorded attempt to fetch a source's snapshot."""

    source: str
    started_at: datetime
    finished_at: datetime
    status: SourceSyncStatus
    item_count: int
    error: str | None


def stock_line(row: SourceStockRow | SourceStockDayRow, kind: str = "own") -> StockLine:
    """A stored warehouse line as the record sources return."""
    return StockLine(
        row.item_key,
        row.warehouse_key,
        row.warehouse_name,
        row.on_hand,
        row.reserved,
        row.available,
        kind,
    )


class SourceRepository:
    """Read and replace the sources' snapshots."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def replace_snapshot(
        self, source: str, snapshot: CatalogSnapshot, *, fetched_at: datetime
    ) -> int:
        """Replace ``source``'s items, prices and stock with ``snapshot``; the item count."""
        for table in (SourceItemRow, SourcePriceRow, SourceStockRow):
            self._session.execute(delete(table).where(table.source == source))
        # The records' fields are the tables' columns.
        items = [{**asdict(i), "source": source, "fetched_at": fetched_at} for i in snapshot.items]
        prices = [{**asdict(p), "source": source} for p in snapshot.prices]
        stock = [{**asdict(s), "source": source} for s in snapshot.stock]
        for table, rows in (
            (SourceItemRow, items),
            (SourcePriceRow, prices),
            (SourceStockRow, stock),
        ):
            if rows:
                self._session.execute(insert(table), rows)
        return len(items)

    def items(self, source: str, *, with_raw: bool = False) -> list[SourceItem]:
        """Every stored item of ``source``, by item key; ``raw`` only when asked for
        (matching and listings never read it, and it is most of a row)."""
        columns = [c for c in _ITEM_COLUMNS if with_raw or c != "raw"]
        # Core, not ORM: thousands of rows at every proposal.
        rows = self._session.execute(
            select(*(getattr(SourceItemRow, c) for c in columns))
            .where(SourceItemRow.source == source)
            .order_by(SourceItemRow.item_key)
        )
        return [
            SourceItem(
                **{
                    **row._asdict(),
                    "category_path": tuple(row.category_path),
                    "images": tuple(row.images),
                }
            )
            for row in rows
        ]

    def prices(self, source: str) -> list[PricePoint]:
        """Every stored price point of ``source``, by item, kind and quantity."""
        # Core, not ORM: a few points per item, read whenever the Catalog is rebuilt.
        rows = self._session.execute(
            select(*(getattr(SourcePriceRow, c) for c in _PRICE_COLUMNS))
            .where(SourcePriceRow.source == source)
            .order_by(SourcePriceRow.item_key, SourcePriceRow.kind, SourcePriceRow.min_qty)
        )
        return [PricePoint(*row) for row in rows]

    def stock(self, source: str) -> list[StockLine]:
        """Every stored stock line of ``source``, by item and warehouse."""
        rows = self._session.scalars(
            select(SourceStockRow)
            .where(SourceStockRow.source == source)
            .order_by(SourceStockRow.item_key, SourceStockRow.warehouse_key)
        )
        return [stock_line(r, r.kind) for r in rows]

    def item_keys(self, source: str) -> set[str]:
        """The keys of ``source``'s stored items."""
        return set(
            self._session.scalars(
                select(SourceItemRow.item_key).where(SourceItemRow.source == source)
            )
        )

    def item_count(self, source: str) -> int:
        """How many items ``source``'s snapshot holds."""
        count = self._session.scalar(
            select(func.count()).select_from(SourceItemRow).where(SourceItemRow.source == source)
        )
        return int(count or 0)

    def record_sync(
        self,
        source: str,
        started_at: datetime,
        finished_at: datetime,
        status: SourceSyncStatus,
        item_count: int,
        error: str | None = None,
    ) -> None:
        """Store one sync attempt of ``source``."""
        self._session.add(
            SourceSyncRow(
                source=source,
                started_at=started_at,
                finished_at=finished_at,
                status=status,
                item_count=item_count,
                error=error,
            )
        )
        self._session.flush()

    def last_sync(self, source: str) -> SourceSyncRecord | None:
        """The newest sync attempt of ``source``, whatever its outcome."""
        row = self._session.scalars(
            select(SourceSyncRow)
            .where(SourceSyncRow.source == source)
            .order_by(SourceSyncRow.started_at.desc(), SourceSyncRow.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        status: SourceSyncStatus = "ok" if row.status == "ok" else "failed"
        return SourceSyncRecord(
            row.source, row.started_at, row.finished_at, status, row.item_count, row.error
        )
