"""Rates to Turkish lira: fetched once per currency per day, stored with their time.

PleasureStock converts EUR, USD and GBP only. TRY needs no rate. When the rate
service fails, the last stored rate is used and the page shows how old it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from lib.db import StoredRate, UnitOfWork
from lib.pleasurestock import PleasureStockClient, PleasureStockError

CONVERTIBLE_CURRENCIES: tuple[str, ...] = ("EUR", "USD", "GBP")


@dataclass(frozen=True)
class RateBoard:
    """The rates in use now, and why any of them is not today's."""

    rates: dict[str, StoredRate]
    error: str | None = None

    def rate(self, currency: str) -> Decimal | None:
        """TRY per unit of ``currency``; 1 for TRY; None when there is no rate."""
        code = currency.upper()
        if code == "TRY":
            return Decimal(1)
        stored = self.rates.get(code)
        return stored.rate_to_try if stored else None


def todays_rates(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    *,
    today: date | None = None,
) -> RateBoard:
    """Today's stored rates, fetching the ones not yet fetched today (one call per currency)."""
    today = today or datetime.now(UTC).date()
    with UnitOfWork(session_factory) as uow:
        stored = uow.rates.latest_all()
    missing = [
        c for c in CONVERTIBLE_CURRENCIES if c not in stored or stored[c].fetched_at.date() < today
    ]
    if not missing:
        return RateBoard(rates=stored)
    try:
        fetched = fetch_rates(client, session_factory, missing)
    except PleasureStockError as error:
        return RateBoard(rates=stored, error=str(error))
    return RateBoard(rates={**stored, **fetched})


def fetch_rates(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    currencies: list[str],
) -> dict[str, StoredRate]:
    """Ask PleasureStock for each currency's rate and store it; all or nothing."""
    now = datetime.now(UTC)
    conversions = {c: client.convert_to_try(Decimal(1), c) for c in currencies}
    with UnitOfWork(session_factory) as uow:
        for currency, conversion in conversions.items():
            uow.rates.add(currency, conversion.exchange_rate, conversion.last_updated, now)
        uow.commit()
    return {
        c: StoredRate(
            currency=c, rate_to_try=v.exchange_rate, rate_time=v.last_updated, fetched_at=now
        )
        for c, v in conversions.items()
    }


def rate_age(stored: StoredRate, *, now: datetime) -> timedelta:
    """How long ago the rate was fetched."""
    return now - stored.fetched_at
