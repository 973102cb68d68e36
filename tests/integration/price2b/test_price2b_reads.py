"""Reading Price2B through the client: the whole list in pages of 100 (inactive products
included, deleted ones never), one total under its three names, stock per warehouse
with reserved and available, and a list that changes during a read refused whole."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from lib.price2b import IncompleteReadError, NotFoundError, Price2BClient
from lib.sandbox.price2b import RunningPrice2BSandbox
from lib.sandbox.price2b import config as seeded

MakeClient = Callable[..., Price2BClient]
MakeSandbox = Callable[..., RunningPrice2BSandbox]
LISTED = seeded.PRODUCT_TOTAL + seeded.INACTIVE_PRODUCTS


def test_a_full_read_takes_one_request_per_hundred_products(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    fresh = make_sandbox()
    pages: list[tuple[int, int]] = []
    products = list(
        make_client(fresh.base_url).iter_products(on_page=lambda d, t: pages.append((d, t)))
    )
    assert len(products) == len({p.id for p in products}) == LISTED
    assert fresh.store.by_kind == {"list": 5}
    assert pages == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert sum(not p.active for p in products) == seeded.INACTIVE_PRODUCTS
    assert all(isinstance(p.price, Decimal) for p in products)


def test_a_page_asked_above_the_cap_is_clamped_and_says_so(
    sandbox: RunningPrice2BSandbox, make_client: MakeClient
) -> None:
    page = make_client(sandbox.base_url).list_products(per_page=100, status="active", page=5)
    assert page.pagination.per_page == 100
    assert page.pagination.total == seeded.PRODUCT_TOTAL
    assert len(page.products) == seeded.PRODUCT_TOTAL - 400
    assert not page.pagination.has_more_pages


def test_one_total_under_three_names_agrees_and_available_excludes_reserved(
    sandbox: RunningPrice2BSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url)
    listed = client.list_products(has_stock=True, per_page=10).products
    assert listed
    for product in listed:
        stock = client.get_stock(product.id)
        detail = client.get_product(product.id)
        assert product.stock_quantity == detail.total_stock == stock.total.quantity
        assert [w.quantity for w in detail.stock_by_warehouse] == [
            w.quantity for w in stock.warehouses
        ]
        for warehouse in stock.warehouses:
            assert warehouse.available == warehouse.quantity - warehouse.reserved
        assert stock.total.available == sum(w.available or 0 for w in stock.warehouses) > 0
    reserved = [w.reserved for p in listed for w in client.get_stock(p.id).warehouses if w.reserved]
    assert reserved, "some seeded stock is reserved"


def test_a_product_with_stock_in_no_warehouse_has_no_lines(
    sandbox: RunningPrice2BSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url)
    empty = next(p for p in client.iter_products() if p.stock_quantity == 0)
    stock = client.get_stock(empty.id)
    assert stock.total.quantity == 0
    assert all(w.quantity == 0 for w in stock.warehouses)


def test_a_deleted_product_is_not_listed_and_its_stock_is_not_found(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    fresh = make_sandbox()
    client = make_client(fresh.base_url)
    first = client.list_products(per_page=1).products[0]
    fresh.store.soft_delete(int(first.id))
    with pytest.raises(NotFoundError, match="Product not found"):
        client.get_stock(first.id)
    assert first.id not in {p.id for p in client.iter_products()}


def test_a_product_deleted_during_a_full_read_makes_the_read_fail_whole(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    fresh = make_sandbox()
    client = make_client(fresh.base_url)
    read = client.iter_products()
    first = next(read)
    fresh.store.soft_delete(int(first.id))  # page 2 now starts one product later
    with pytest.raises(IncompleteReadError, match="changed during the read"):
        list(read)


def test_an_id_that_is_not_digits_never_reaches_a_url(
    sandbox: RunningPrice2BSandbox, make_client: MakeClient
) -> None:
    with pytest.raises(ValueError, match="digits"):
        make_client(sandbox.base_url).get_stock("../../products")
