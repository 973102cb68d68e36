"""Supplier directory helpers: names from orders, which orders to look up, name columns."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from lib.catalog.suppliers import (
    directory_rows,
    name_column,
    names_from_orders,
    orders_to_look_up,
    supplier_label,
)
from lib.db import SupplierName
from lib.pleasurestock.models import Order

AT = datetime(2026, 11, 25, tzinfo=UTC)


def order(number: str, **fields: object) -> Order:
    return Order.model_validate({"orderNumber": number, "status": "created", **fields})


def test_names_come_from_orders_that_carry_id_and_name_with_whitespace_tidied() -> None:
    orders = [
        order("A", supplier={"id": 12, "name": " Lovetoy\n Trading "}),
        order("B", supplierId="f022", supplierName="Satisfyer Trade"),
        order("C", supplierName="Yiqing"),  # a list entry: no id
        order("D", supplier={"id": 31, "name": ""}),
    ]
    assert names_from_orders(orders) == {"12": "Lovetoy Trading", "f022": "Satisfyer Trade"}


def test_one_order_is_looked_up_per_name_not_yet_known() -> None:
    orders = [
        order("A", supplierName="Yiqing"),
        order("B", supplierName="Yiqing"),
        order("C", supplierName="Lovetoy Trading"),
        order("D", supplierId="15", supplierName="Svakom Direct"),
        order("E"),
    ]
    picked = orders_to_look_up(orders, {"12": "Lovetoy Trading"})
    assert [o.order_number for o in picked] == ["A"]


def test_ids_without_a_name_show_as_the_id() -> None:
    ids = pd.Series(["12", "s-9", None], dtype=object)
    assert name_column(ids, {"12": "Lovetoy Trading"}).tolist() == ["Lovetoy Trading", "s-9", None]
    assert supplier_label("s-9", {}) == "s-9"
    assert supplier_label(None, {}) == "No supplier"


def test_directory_lists_unnamed_catalog_suppliers_first() -> None:
    entries = [
        SupplierName("31", "Doc Johnson UK", "orders", "demo:admin", AT),
        SupplierName("s-9", "Kadıköy Toptan", "admin", "ayse@example.com", AT),
    ]
    rows = directory_rows(entries, ["12", "31", "s-9"])
    assert [(r.supplier_id, r.name, r.source) for r in rows] == [
        ("12", None, "not named yet"),
        ("31", "Doc Johnson UK", "PleasureStock orders"),
        ("s-9", "Kadıköy Toptan", "administrator"),
    ]
