"""Unit of work: nothing is kept without commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.exc import StatementError

from lib.db import UnitOfWork

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_changes_without_commit_are_rolled_back(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        uow.rates.add("EUR", Decimal("35"), None, NOW)
        uow.audit.record("tester", "rates.add", "currency_rate", "EUR")
    with uow_factory() as uow:
        assert uow.rates.latest("EUR") is None
        assert uow.audit.recent() == []


def test_commit_keeps_changes(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        uow.rates.add("EUR", Decimal("35"), None, NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.rates.latest("EUR") is not None


def test_explicit_rollback_discards_changes(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        uow.rates.add("EUR", Decimal("35"), None, NOW)
        uow.rollback()
        uow.rates.add("USD", Decimal("32"), None, NOW)
        uow.commit()
    with uow_factory() as uow:
        assert set(uow.rates.latest_all()) == {"USD"}


def test_naive_datetimes_are_refused(uow_factory: Callable[[], UnitOfWork]) -> None:
    with pytest.raises(StatementError, match="naive datetime"), uow_factory() as uow:
        uow.rates.add("EUR", Decimal("35"), None, datetime(2026, 3, 1))
