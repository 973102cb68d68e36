"""Reorder settings: stored per supplier with exact service levels, replaced on save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from lib.db import ReorderSettingsRecord, UnitOfWork
from lib.reorder.settings import SupplierSettings, stored_settings

AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def _record(supplier: str, lead: int, level: str, moq: int = 1) -> ReorderSettingsRecord:
    return ReorderSettingsRecord(supplier, lead, Decimal(level), 7, moq, 6, "ayse@example.com", AT)


def test_settings_round_trip_and_replace(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        uow.reorder_settings.save(_record("*", 5, "0.95"))
        uow.reorder_settings.save(_record("s1", 10, "0.975", moq=12))
        uow.commit()
    with uow_factory() as uow:
        uow.reorder_settings.save(_record("s1", 12, "0.99", moq=12))
        uow.commit()
    with uow_factory() as uow:
        records = uow.reorder_settings.all()
    assert [(r.supplier_id, r.lead_time_days, r.service_level) for r in records] == [
        ("*", 5, Decimal("0.95")),
        ("s1", 12, Decimal("0.99")),
    ]
    assert records[0].updated_at == AT
    default, per_supplier = stored_settings(records)
    assert default == SupplierSettings(5, 0.95, 7, 1, 6)
    assert per_supplier == {"s1": SupplierSettings(12, 0.99, 7, 12, 6)}


def test_case_pack_below_one_is_refused_by_the_database(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow, pytest.raises(IntegrityError):
        uow.reorder_settings.save(
            ReorderSettingsRecord("s2", 1, Decimal("0.9"), 7, 1, 0, "ayse@example.com", AT)
        )
