"""Currency rates: history is kept, the newest fetch is the one used."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, text

from lib.db import StoredRate, UnitOfWork

MORNING = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
EVENING = MORNING + timedelta(hours=10)


def test_latest_picks_the_newest_and_keeps_history(
    engine: Engine, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        uow.rates.add("EUR", Decimal("35.123456"), MORNING - timedelta(hours=1), MORNING)
        uow.rates.add("EUR", Decimal("35.5"), None, EVENING)
        uow.rates.add("usd", Decimal("32.1"), MORNING, MORNING)
        uow.commit()
    with uow_factory() as uow:
        eur = uow.rates.latest("EUR")
        every = uow.rates.latest_all()
        assert uow.rates.latest("GBP") is None
    assert eur == StoredRate("EUR", Decimal("35.5"), None, EVENING)
    assert every == {
        "EUR": eur,
        "USD": StoredRate("USD", Decimal("32.1"), MORNING, MORNING),
    }
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM currency_rates")).scalar() == 3


def test_rate_is_exact(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        uow.rates.add("EUR", Decimal("0.1"), None, MORNING)
        uow.commit()
    with uow_factory() as uow:
        stored = uow.rates.latest("eur")
    assert stored is not None
    assert stored.rate_to_try == Decimal("0.1")
    assert isinstance(stored.rate_to_try, Decimal)
