"""What StockDesk has sent to PleasureStock for one product, day by day, from the ledger."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from lib.db import LedgerDay, UnitOfWork


def product_sales_history(session_factory: sessionmaker[Session], ps_id: str) -> list[LedgerDay]:
    """One product's sales sent per day, oldest first (empty when none were uploaded)."""
    with UnitOfWork(session_factory) as uow:
        return uow.sales_ledger.daily_history(ps_id)
