"""The sales ledger: what StockDesk has sent PleasureStock per product and day.

It mirrors what the server keeps from us (quantities summed, the highest stock), so
the next upload can send only what is new. Like every repository it works inside the
unit of work's session and never commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import case, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lib.db.models import SalesLedgerDay


@dataclass(frozen=True)
class LedgerDay:
    """Sales sent for one product on one day; ``stock_on_hand`` None when never sent."""

    day: date
    quantity: int
    stock_on_hand: int | None


class SalesLedgerRepository:
    """What has been sent to PleasureStock per product and day."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def sent_between(self, first: date, last: date) -> pd.DataFrame:
        """Ledger lines dated ``first``..``last``: ``ps_id, date`` (datetime64),
        ``quantity`` (int64), ``stock`` (Int64, NA when never sent)."""
        table = SalesLedgerDay.__table__
        result = self._session.execute(
            select(table.c.ps_id, table.c.day, table.c.quantity, table.c.stock_on_hand).where(
                table.c.day.between(first, last)
            )
        )
        rows = result.all()
        frame = pd.DataFrame(rows, columns=["ps_id", "date", "quantity", "stock"])
        return frame.astype(
            {"ps_id": "str", "date": "datetime64[s]", "quantity": "int64", "stock": "Int64"}
        )

    def record_sent(self, rows: Sequence[Mapping[str, Any]], *, at: datetime) -> None:
        """Add accepted ``POST /sales`` rows as the server does: quantity summed, highest stock."""
        if not rows:
            return
        values = [
            {
                "ps_id": row["internal_id"],
                "day": date.fromisoformat(row["date"]),
                "quantity": row["quantity"],
                "stock_on_hand": row.get("stock_on_hand"),
                "updated_at": at,
            }
            for row in rows
        ]
        self._session.execute(_ledger_upsert(self._session), values)

    def daily_history(
        self, ps_id: str, *, since: date | None = None, until: date | None = None
    ) -> list[LedgerDay]:
        """One product's sales sent per day, oldest first (for the Catalog page's chart)."""
        query = select(SalesLedgerDay).where(SalesLedgerDay.ps_id == ps_id)
        if since is not None:
            query = query.where(SalesLedgerDay.day >= since)
        if until is not None:
            query = query.where(SalesLedgerDay.day <= until)
        rows = self._session.scalars(query.order_by(SalesLedgerDay.day))
        return [LedgerDay(r.day, r.quantity, r.stock_on_hand) for r in rows]


def _ledger_upsert(session: Session) -> Any:
    """INSERT … ON CONFLICT that sums quantities and keeps the highest known stock."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(SalesLedgerDay.__table__)
    elif dialect == "sqlite":
        statement = sqlite.insert(SalesLedgerDay.__table__)
    else:
        raise NotImplementedError(f"the sales ledger supports SQLite and PostgreSQL, not {dialect}")
    table = SalesLedgerDay.__table__.c
    new = statement.excluded
    higher_stock = case(
        (new.stock_on_hand.is_(None), table.stock_on_hand),
        (
            or_(table.stock_on_hand.is_(None), new.stock_on_hand > table.stock_on_hand),
            new.stock_on_hand,
        ),
        else_=table.stock_on_hand,
    )
    return statement.on_conflict_do_update(
        index_elements=[table.ps_id, table.day],
        set_={
            "quantity": table.quantity + new.quantity,
            "stock_on_hand": higher_stock,
            "updated_at": new.updated_at,
        },
    )
