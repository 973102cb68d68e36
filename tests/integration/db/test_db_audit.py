"""Audit log: JSON snapshots with Decimals and dates, newest first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from lib.db import UnitOfWork


def test_record_and_read_back_json_with_decimal_and_dates(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        uow.audit.record(
            "ayse@example.com",
            "pricing.update",
            "product",
            "ps_1001",
            before={"price": Decimal("10.10"), "valid_from": date(2026, 3, 1)},
            after={"price": Decimal("12.5"), "at": datetime(2026, 3, 1, 9, 30, tzinfo=UTC)},
        )
        uow.commit()
    with uow_factory() as uow:
        (entry,) = uow.audit.recent()
    assert (entry.actor, entry.action, entry.entity_type, entry.entity_id) == (
        "ayse@example.com",
        "pricing.update",
        "product",
        "ps_1001",
    )
    assert entry.before == {"price": "10.10", "valid_from": "2026-03-01"}
    assert entry.after["price"] == "12.5"
    assert datetime.fromisoformat(entry.after["at"]) == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert entry.at.tzinfo is not None


def test_missing_snapshots_are_none(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        uow.audit.record("scheduler", "catalog.sync", "catalog")
        uow.commit()
    with uow_factory() as uow:
        (entry,) = uow.audit.recent()
    assert (entry.entity_id, entry.before, entry.after) == (None, None, None)


def test_recent_is_newest_first_and_limited(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        for n in range(5):
            uow.audit.record("scheduler", "catalog.sync", "catalog", after={"run": n})
        uow.commit()
    with uow_factory() as uow:
        recent = uow.audit.recent(limit=3)
    assert [entry.after["run"] for entry in recent] == [4, 3, 2]
