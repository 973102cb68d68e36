"""Seeded data: determinism and the facts the dashboard's screens rely on."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from lib.sandbox import RunningSandbox, SandboxConfig, create_app, start_in_thread
from lib.sandbox.__main__ import build_parser


def test_same_seed_same_first_page(std: httpx.Client) -> None:
    params = {"includeCategory": "true", "includeTcc": "true", "includeTsp": "true"}
    mine = std.get("/products", params=params).json()
    with start_in_thread(SandboxConfig(today=date(2025, 11, 10))) as other:
        theirs = httpx.get(
            other.base_url + "/products", params=params, headers={"X-API-Key": "pk_test_sandbox"}
        ).json()
    assert mine == theirs


def test_other_seed_differs() -> None:
    a = create_app(SandboxConfig(seed=1, today=date(2025, 11, 10))).state.store
    b = create_app(SandboxConfig(seed=2, today=date(2025, 11, 10))).state.store
    assert a.products[0].id != b.products[0].id


def test_catalog_facts(sandbox: RunningSandbox) -> None:
    store = sandbox.store
    products = store.products
    assert len(products) >= 2600
    categories = {p.category.id for p in products if p.category}
    assert len(categories) >= 12
    assert "c4f3e2d1-a2b3-4c5d-6e7f-8g9h0i1j2k3l" in categories
    assert any(p.category is None for p in products)
    suppliers = {p.supplier.id for p in products}
    assert len(suppliers) >= 8
    assert {type(s) for s in suppliers} == {int, str}
    assert {p.currency for p in products} == {"EUR", "USD", "GBP", "TRY"}
    assert {p.price_as_number for p in products} == {True, False}
    assert any(p.tcc_currency != p.currency for p in products)
    assert any(p.tsp_value < p.tcc_total_cost for p in products if p.tsp_enabled)
    assert any(not p.tcc_enabled for p in products) and any(not p.tsp_enabled for p in products)
    assert any(p.pl_id[3:] != p.internal_id[3:] for p in products)


def test_sales_facts(sandbox: RunningSandbox) -> None:
    rows = [v for (_, day), v in sandbox.store.sales.items() if day < date(2025, 11, 10)]
    assert len({key[0] for key in sandbox.store.sales}) >= 800
    assert any(qty == 0 and stock == 0 for qty, stock in rows)
    assert any(stock is None for _, stock in rows)


def test_order_facts(ext: httpx.Client) -> None:
    orders = ext.get("/external/orders", params={"limit": 100}).json()["data"]["orders"]
    assert {o["status"] for o in orders} >= {
        "created", "part_paid", "paid", "on_the_way", "delivered", "accepted", "cancelled",
    }  # fmt: skip
    by_delivery = {o["deliveryId"]: o for o in orders}
    pairs = [d for d in by_delivery if d.endswith("/1") and d[:-2] + "/2" in by_delivery]
    assert pairs
    for first in pairs:
        cancelled, active = by_delivery[first], by_delivery[first[:-2] + "/2"]
        assert cancelled["status"] == "cancelled" and active["status"] != "cancelled"
        assert cancelled["supplierName"] == active["supplierName"]
        assert cancelled["totalAmount"] == active["totalAmount"]
        assert cancelled["itemsCount"] == active["itemsCount"]
    assert {type(o["totalAmount"]) for o in orders} >= {str, float}
    assert any("/" in o["createdAt"] and "T" not in o["createdAt"] for o in orders)
    assert any(o["createdAt"].endswith("Z") for o in orders)
    assert any("statusDisplay" not in o for o in orders)


def test_product_count_seeds_a_larger_catalog() -> None:
    store = create_app(SandboxConfig(product_count=6000, today=date(2025, 11, 10))).state.store
    assert len(store.products) == 6000
    assert len({p.internal_id for p in store.products}) == 6000
    assert len({p.sku for p in store.products}) == 6000


def test_product_count_below_the_minimum_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1,000"):
        SandboxConfig(product_count=10)


def test_cli_takes_a_catalog_size() -> None:
    assert build_parser().parse_args(["--products", "50000"]).products == 50000
    assert build_parser().parse_args([]).products == 2650
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--products", "999"])
