"""What Settings and Catalog read: supplier directory, recent changes, sales sent per product."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Engine

from lib.access.audit import recent_changes
from lib.access.policy import Role
from lib.access.roles import assign_role
from lib.catalog.suppliers import DirectoryRow, name_supplier, supplier_directory
from lib.db import LedgerDay, UnitOfWork, make_session_factory
from lib.pleasurestock.models import Product
from lib.sales.sent import product_sales_history

AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def _product(ps_id: str, supplier_id: str) -> Product:
    return Product(
        internal_id=ps_id,
        name=f"Product {ps_id}",
        sku=f"SKU-{ps_id}",
        price=Decimal("10.00"),
        currency="EUR",
        supplier_id=supplier_id,
    )


def test_the_directory_lists_unnamed_catalog_suppliers_first_then_by_name(
    engine: Engine,
) -> None:
    factory = make_session_factory(engine)
    with UnitOfWork(factory) as uow:
        uow.catalog.replace_snapshot(
            [_product("p1", "s-2"), _product("p2", "s-1"), _product("p3", "s-3")], fetched_at=AT
        )
        uow.suppliers.learn({"s-3": "Aydın Toptan"}, by="demo:admin", at=AT)
        uow.commit()
    name_supplier(factory, "s-9", "Zeta Ltd", actor="ayse@example.com")

    assert supplier_directory(factory) == [
        DirectoryRow("s-1", None, "not named yet"),
        DirectoryRow("s-2", None, "not named yet"),
        DirectoryRow("s-3", "Aydın Toptan", "PleasureStock orders"),
        DirectoryRow("s-9", "Zeta Ltd", "administrator"),
    ]


def test_recent_changes_are_newest_first_and_limited(engine: Engine) -> None:
    factory = make_session_factory(engine)
    assign_role(factory, "mehmet@example.com", Role.PURCHASING, actor="admin@example.com")
    name_supplier(factory, "s-9", "Zeta Ltd", actor="admin@example.com")
    assign_role(factory, "ayse@example.com", Role.FINANCE, actor="admin@example.com")

    changes = recent_changes(factory, limit=2)

    assert [(c.action, c.entity_id) for c in changes] == [
        ("roles.assign", "ayse@example.com"),
        ("suppliers.name", "s-9"),
    ]
    assert len(recent_changes(factory)) == 3


def test_a_products_sales_history_is_what_was_sent_per_day(engine: Engine) -> None:
    factory = make_session_factory(engine)
    assert product_sales_history(factory, "p1") == []
    with UnitOfWork(factory) as uow:
        uow.sales_ledger.record_sent(
            [
                {"internal_id": "p1", "date": "2026-11-24", "quantity": 3, "stock_on_hand": 9},
                {"internal_id": "p1", "date": "2026-11-23", "quantity": 2},
                {"internal_id": "p2", "date": "2026-11-23", "quantity": 5},
            ],
            at=AT,
        )
        uow.commit()
    assert product_sales_history(factory, "p1") == [
        LedgerDay(date(2026, 11, 23), 2, None),
        LedgerDay(date(2026, 11, 24), 3, 9),
    ]
