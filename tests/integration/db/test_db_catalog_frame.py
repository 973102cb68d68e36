"""The catalog snapshot loaded straight into a DataFrame, on every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from lib.db import SNAPSHOT_FRAME_COLUMNS, UnitOfWork
from lib.pleasurestock.models import Product

FETCHED = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def test_frame_keeps_every_value_exact_and_missing_values_none(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    full = Product(
        internal_id="ps_b",
        id="9b2f6c1e-0000-4000-8000-000000000001",
        name='<b>Şal</b> "Вибратор"',
        sku="SC-001",
        price=Decimal("1234.567891"),
        currency="EUR",
        supplier_id="12",
        category_id="c4f3e2d1-a2b3-4c5d-6e7f-8g9h0i1j2k3l",
        category_name="Шарфы",
        category_name_en="Scarves",
        tcc_enabled=True,
        tcc_coefficient=Decimal("0.1"),
        tcc_total_cost=Decimal("123.456789"),
        tcc_currency="TRY",
        tsp_enabled=False,
        updated_at=datetime(2025, 6, 7, 8, 9, 10, tzinfo=UTC),
    )
    with uow_factory() as uow:
        uow.catalog.replace_snapshot([full, Product(internal_id="ps_a")], fetched_at=FETCHED)
        uow.commit()
    with uow_factory() as uow:
        frame = uow.catalog.load_frame()

    assert list(frame.columns) == list(SNAPSHOT_FRAME_COLUMNS)
    assert list(frame["ps_id"]) == ["ps_a", "ps_b"]
    bare, row = frame.iloc[0], frame.iloc[1]
    assert row["name"] == '<b>Şal</b> "Вибратор"'
    assert row["price"] == Decimal("1234.567891") and isinstance(row["price"], Decimal)
    assert row["tcc_coefficient"] == Decimal("0.1")
    assert row["tsp_value"] is None and row["tsp_enabled"] is False
    assert row["updated_at"] == datetime(2025, 6, 7, 8, 9, 10, tzinfo=UTC)
    assert bare["price"] is None and bare["category_name_en"] is None
    assert all(dtype.kind == "O" for dtype in frame.dtypes)


def test_empty_snapshot_is_an_empty_frame_with_the_columns(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        frame = uow.catalog.load_frame()
    assert frame.empty and list(frame.columns) == list(SNAPSHOT_FRAME_COLUMNS)
