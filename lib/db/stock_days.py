"""Daily stock snapshots of our own stock (Price2B): one set of warehouse lines per item
and day, today's replaced by each read, past days kept as they were seen; and when each
item was last read, for the stock budget's rotation."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from lib.db.models import SourceStockDayRow, SourceStockReadRow
from lib.db.sources import stock_line
from lib.sources.records import StockLine


class StockDayRepository:
    """Store and read the daily stock snapshots."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def store(
        self,
        source: str,
        lines: Iterable[StockLine],
        *,
        read: Collection[str],
        day: date,
        taken_at: datetime,
    ) -> int:
        """Make ``lines`` the stock of ``day`` for the items in ``read`` (an item read
        without a line is unknown that day, never 0) and note them read at ``taken_at``;
        other items and other days are kept. The number of lines stored."""
        keys = sorted(set(read))
        rows = [
            {
                "source": source,
                "item_key": line.item_key,
                "warehouse_key": line.warehouse_key,
                "warehouse_name": line.warehouse_name,
                "on_hand": line.on_hand,
                "reserved": line.reserved,
                "available": line.available,
                "day": day,
                "taken_at": taken_at,
            }
            for line in lines
            if line.item_key in read
        ]
        table = SourceStockDayRow
        for start in range(0, len(keys), 500):  # stay well below bound-parameter limits
            chunk = keys[start : start + 500]
            self._session.execute(
                delete(table).where(
                    table.source == source, table.day == day, table.item_key.in_(chunk)
                )
            )
            self._session.execute(
                delete(SourceStockReadRow).where(
                    SourceStockReadRow.source == source, SourceStockReadRow.item_key.in_(chunk)
                )
            )
        if rows:
            self._session.execute(insert(table), rows)
        if keys:
            self._session.execute(
                insert(SourceStockReadRow),
                [{"source": source, "item_key": k, "read_at": taken_at} for k in keys],
            )
        return len(rows)

    def day(self, source: str, day: date) -> list[tuple[StockLine, datetime]]:
        """``source``'s stock lines of ``day`` with when each was taken, by item and
        warehouse."""
        table = SourceStockDayRow
        rows = self._session.scalars(
            select(table)
            .where(table.source == source, table.day == day)
            .order_by(table.item_key, table.warehouse_key)
        )
        return [(stock_line(r), r.taken_at) for r in rows]

    def latest(self, source: str) -> list[StockLine]:
        """Each item's stock lines of the newest day that has lines for it, by item and
        warehouse: with a stock budget a sync reads only some items, so the last sync's
        lines alone would leave the others out."""
        table = SourceStockDayRow
        newest = (
            select(table.item_key, func.max(table.day).label("day"))
            .where(table.source == source)
            .group_by(table.item_key)
            .subquery()
        )
        rows = self._session.scalars(
            select(table)
            .join(newest, (table.item_key == newest.c.item_key) & (table.day == newest.c.day))
            .where(table.source == source)
            .order_by(table.item_key, table.warehouse_key)
        )
        return [stock_line(r) for r in rows]

    def read_times(self, source: str) -> dict[str, datetime]:
        """Item key -> when ``source``'s stock of it was last read."""
        rows = self._session.execute(
            select(SourceStockReadRow.item_key, SourceStockReadRow.read_at).where(
                SourceStockReadRow.source == source
            )
        )
        return {key: at for key, at in rows}
