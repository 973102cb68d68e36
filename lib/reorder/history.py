"""The daily sales history the cross-check forecasts from, and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.reorder.forecast import history_frame, ledger_history
from lib.sandbox.embedded import sandbox_sales_history

HISTORY_DAYS = 120


@dataclass(frozen=True)
class History:
    """Daily sales history for the cross-check and where it comes from."""

    frame: pd.DataFrame
    source: str


def sales_history(
    session_factory: sessionmaker[Session], today: date, *, demo_mode: bool
) -> History:
    """In demo mode the sandbox's seeded history (the live API has no such read); live,
    what the sales ledger holds of the ``HISTORY_DAYS`` days up to ``today``."""
    if demo_mode:
        return History(history_frame(sandbox_sales_history()), "sandbox history")
    with UnitOfWork(session_factory) as uow:
        ledger = uow.sales_ledger.sent_between(today - timedelta(days=HISTORY_DAYS), today)
    return History(ledger_history(ledger), "sales ledger (uploads)")
