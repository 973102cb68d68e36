"""Catalog snapshot: exact round-trip, atomic replacement, sync history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from lib.db import SnapshotInfo, UnitOfWork
from lib.pleasurestock.models import Product

FETCHED = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)

FULL = Product(
    internal_id="ps_1001",
    id="9b2f6c1e-0000-4000-8000-000000000001",
    name="Silk scarf",
    sku="SC-001",
    description="Hand-rolled edges",
    price=Decimal("1234.567891"),
    currency="EUR",
    supplier_id="12",
    created_at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
    updated_at=datetime(2025, 6, 7, 8, 9, 10, 123456, tzinfo=UTC),
    images=["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.jpg"],
    category_id="0007",
    category_name="Şallar",
    category_name_en="Scarves",
    tcc_enabled=True,
    tcc_coefficient=Decimal("0.1"),
    tcc_total_cost=Decimal("1358.024680"),
    tcc_currency="TRY",
    tsp_enabled=False,
    tsp_value=Decimal("99999999999999.999999"),
    tsp_formula="cost * 1.8",
    tsp_currency="TRY",
)
BARE = Product(internal_id="ps_2002")


def products(count: int, prefix: str = "ps_") -> list[Product]:
    """``count`` simple products with distinct ids and cent prices."""
    return [
        Product(internal_id=f"{prefix}{n:05d}", sku=f"SKU-{n}", price=Decimal(n) / 100)
        for n in range(count)
    ]


def store(uow_factory: Callable[[], UnitOfWork], items: list[Product]) -> int:
    """Replace the snapshot with ``items`` and commit."""
    with uow_factory() as uow:
        stored = uow.catalog.replace_snapshot(items, fetched_at=FETCHED)
        uow.commit()
    return stored


def test_round_trip_is_exact(uow_factory: Callable[[], UnitOfWork]) -> None:
    assert store(uow_factory, [BARE, FULL]) == 2
    with uow_factory() as uow:
        loaded = uow.catalog.load_products()
    assert loaded == [FULL, BARE]
    full = loaded[0]
    assert full.price == Decimal("1234.567891")
    assert full.tcc_coefficient == Decimal("0.1")
    assert isinstance(full.price, Decimal)
    assert full.supplier_id == "12"
    assert full.category_id == "0007"
    assert full.updated_at == FULL.updated_at
    assert full.updated_at is not None and full.updated_at.tzinfo is not None


def test_absent_fields_come_back_as_none(uow_factory: Callable[[], UnitOfWork]) -> None:
    store(uow_factory, [BARE])
    with uow_factory() as uow:
        (bare,) = uow.catalog.load_products()
    assert bare == BARE
    assert bare.price is None
    assert bare.images == []
    assert bare.created_at is None


def test_snapshot_info(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        assert uow.catalog.snapshot_info() == SnapshotInfo(product_count=0, fetched_at=None)
    store(uow_factory, [FULL, BARE])
    with uow_factory() as uow:
        assert uow.catalog.snapshot_info() == SnapshotInfo(product_count=2, fetched_at=FETCHED)


def test_replace_drops_the_previous_snapshot(uow_factory: Callable[[], UnitOfWork]) -> None:
    store(uow_factory, products(3, prefix="old_"))
    store(uow_factory, products(2, prefix="new_"))
    with uow_factory() as uow:
        ids = [product.internal_id for product in uow.catalog.load_products()]
    assert ids == ["new_00000", "new_00001"]


def test_exception_mid_replace_keeps_previous_snapshot(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    store(uow_factory, [FULL, BARE])
    with pytest.raises(RuntimeError), uow_factory() as uow:
        uow.catalog.replace_snapshot(products(10), fetched_at=FETCHED + timedelta(hours=1))
        raise RuntimeError("the API failed on page 2")
    with uow_factory() as uow:
        assert uow.catalog.snapshot_info() == SnapshotInfo(product_count=2, fetched_at=FETCHED)
        assert uow.catalog.load_products() == [FULL, BARE]


def test_constraint_violation_keeps_previous_snapshot(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    store(uow_factory, [FULL, BARE])
    duplicated = [*products(5), products(1)[0]]
    with pytest.raises(IntegrityError), uow_factory() as uow:
        uow.catalog.replace_snapshot(duplicated, fetched_at=FETCHED + timedelta(hours=1))
        uow.commit()
    with uow_factory() as uow:
        assert uow.catalog.snapshot_info().product_count == 2
        assert uow.catalog.load_products() == [FULL, BARE]


def test_replace_with_five_thousand_products(uow_factory: Callable[[], UnitOfWork]) -> None:
    assert store(uow_factory, products(5000)) == 5000
    with uow_factory() as uow:
        loaded = uow.catalog.load_products()
    assert len(loaded) == 5000
    assert loaded[4999].price == Decimal("49.99")


def test_money_is_stored_as_text_on_sqlite(
    engine: Engine, uow_factory: Callable[[], UnitOfWork]
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite storage detail")
    store(uow_factory, [FULL])
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT typeof(tcc_coefficient), tcc_coefficient FROM catalog_products")
        ).one()
    assert tuple(stored) == ("text", "0.100000")


def test_sync_history(uow_factory: Callable[[], UnitOfWork]) -> None:
    start = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
    with uow_factory() as uow:
        assert uow.catalog.last_sync() is None
        assert uow.catalog.last_successful_sync() is None
        uow.catalog.record_sync(start, start + timedelta(minutes=2), "ok", 4800)
        later = start + timedelta(hours=6)
        uow.catalog.record_sync(later, later + timedelta(seconds=5), "failed", 0, "HTTP 503")
        uow.commit()
    with uow_factory() as uow:
        last = uow.catalog.last_sync()
        good = uow.catalog.last_successful_sync()
    assert last is not None and good is not None
    assert (last.status, last.started_at, last.product_count, last.error) == (
        "failed",
        later,
        0,
        "HTTP 503",
    )
    assert (good.status, good.finished_at, good.product_count, good.error) == (
        "ok",
        start + timedelta(minutes=2),
        4800,
        None,
    )


def test_unknown_sync_status_is_refused(uow_factory: Callable[[], UnitOfWork]) -> None:
    start = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
    with pytest.raises(IntegrityError), uow_factory() as uow:
        uow.catalog.record_sync(start, start, "running", 0)  # type: ignore[arg-type]
