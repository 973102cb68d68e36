"""The sales history the cross-check forecasts from, live: the sales ledger's last 120 days."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.reorder.history import sales_history

AT = datetime(2025, 11, 10, 9, 0, tzinfo=UTC)


def test_live_the_cross_check_reads_the_last_120_days_of_the_sales_ledger(
    session_factory: sessionmaker[Session],
) -> None:
    sent = [
        {"internal_id": "ps_1", "date": "2025-11-09", "quantity": 3, "stock_on_hand": 0},
        {"internal_id": "ps_1", "date": "2025-07-13", "quantity": 5, "stock_on_hand": 9},
        {"internal_id": "ps_2", "date": "2025-07-12", "quantity": 4},
    ]
    with UnitOfWork(session_factory) as uow:
        uow.sales_ledger.record_sent(sent, at=AT)
        uow.commit()

    history = sales_history(session_factory, date(2025, 11, 10), demo_mode=False)

    assert history.source == "sales ledger (uploads)"
    rows = sorted(history.frame.itertuples(index=False))
    assert [(r.ps_id, str(r.day)[:10], r.quantity, r.stock_on_hand) for r in rows] == [
        ("ps_1", "2025-07-13", 5, 9),
        ("ps_1", "2025-11-09", 3, 0),
    ]
