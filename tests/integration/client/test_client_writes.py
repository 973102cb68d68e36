"""Sales, recommendations, currency, orders and smart reorder through the real client."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lib.pleasurestock import PleasureStockClient, ValidationError
from lib.pleasurestock.models import ORDER_STATUSES, OrderLine, ReorderProduct, SaleRow
from lib.sandbox import RunningSandbox

from .conftest import TODAY


def test_sales_are_accepted_and_summed_by_the_server(
    client: PleasureStockClient, sandbox: RunningSandbox
) -> None:
    product = client.list_products(limit=1).data[0].internal_id
    day = date(2025, 11, 9)
    before = sandbox.store.sales.get((product, day), (0, None))[0]
    row = SaleRow(internal_id=product, date=day, quantity=3, stock_on_hand=40)

    assert client.submit_sales([row]).processed == 1
    assert client.submit_sales([row]).processed == 1

    # Re-sending is NOT harmless: the server summed it (NOTES.md point 1).
    assert sandbox.store.sales[(product, day)][0] == before + 6


def test_refused_sales_carry_every_bad_row_and_store_nothing(
    client: PleasureStockClient, sandbox: RunningSandbox
) -> None:
    good = SaleRow(internal_id="ps_abc123", date=date(2025, 11, 1), quantity=1)
    bad = SaleRow.model_construct(internal_id="invalid_id_123", date=date(2025, 11, 1), quantity=2)
    snapshot = dict(sandbox.store.sales)

    with pytest.raises(ValidationError) as caught:
        client.submit_sales([good, bad, bad])

    assert [e.index for e in caught.value.row_errors] == [1, 2]
    assert caught.value.row_errors[0].received == "invalid_id_123"
    assert "nothing was stored" in str(caught.value)
    assert sandbox.store.sales == snapshot


def test_more_than_1000_sales_rows_are_refused_before_sending(
    client: PleasureStockClient,
) -> None:
    rows = [SaleRow(internal_id="ps_abc123", date=date(2025, 11, 1), quantity=1)] * 1001
    with pytest.raises(ValueError, match="at most 1000"):
        client.submit_sales(rows)


def test_recommendations_use_pl_ids_that_mostly_map_to_ps_ids(
    client: PleasureStockClient,
) -> None:
    recs = client.get_recommendations(TODAY)
    assert recs.date == TODAY
    assert recs.recommendations
    assert all(r.product_internal_id.startswith("pl_") for r in recs.recommendations)
    known = {p.internal_id for p in client.fetch_catalog(include_all=False)}
    mapped = [r for r in recs.recommendations if r.ps_id_guess in known]
    assert len(mapped) > 0.8 * len(recs.recommendations)
    assert all(r.product_sku for r in recs.recommendations)


def test_currency_conversion_is_decimal_and_try_is_refused(client: PleasureStockClient) -> None:
    eur = client.convert_to_try(Decimal("100"), "eur")
    assert eur.original_currency == "EUR"
    assert eur.exchange_rate > Decimal(20)
    assert eur.converted_amount == (eur.exchange_rate * 100).quantize(Decimal("0.01"))
    with pytest.raises(ValidationError):
        client.convert_to_try(Decimal("1"), "TRY")


def test_order_life_cycle(client: PleasureStockClient) -> None:
    catalog = client.fetch_catalog(include_all=False)
    by_supplier: dict[str, str] = {}
    for product in catalog:
        by_supplier.setdefault(product.supplier_id or "", product.internal_id)
    two_suppliers = list(by_supplier.values())[:2]
    lines = [
        OrderLine(ps_id=two_suppliers[0], quantity=3),
        OrderLine(ps_id=two_suppliers[1], quantity=2, custom_price=Decimal("25.50")),
    ]

    created = client.create_orders(lines, external_order_id="SD-TEST-1", comment="test")

    assert created.total_orders == 2 == len(created.orders)
    number = created.orders[0].order_number
    assert [o.order_number for o in client.find_orders_by_external_id("SD-TEST-1")]
    detail = client.get_order(number)
    assert detail.status == "created" and detail.items
    change = client.update_order_status(number, "paid", comment="paid in full")
    assert change.status == "paid" and change.order_id and change.order_id.isdigit()
    with pytest.raises(ValidationError) as refused:
        client.update_order_status(number, "created")
    assert "refused" in str(refused.value)
    client.update_order_status(number, "cancelled", comment="duplicate")
    with pytest.raises(ValidationError):
        client.update_order_status(number, "paid")


def test_all_orders_are_paged_through(client: PleasureStockClient) -> None:
    first = client.list_orders(limit=7)
    everything = client.fetch_all_orders(page_size=7)
    assert len(everything) == first.pagination.total
    assert len({o.order_number for o in everything}) == len(everything)
    statuses = {o.status for o in everything}
    assert statuses >= set(ORDER_STATUSES)
    cancelled = client.list_orders(status="cancelled", limit=100).orders
    assert cancelled and {o.status for o in cancelled} == {"cancelled"}


def test_order_details_arrive_in_both_item_shapes(client: PleasureStockClient) -> None:
    orders = client.fetch_all_orders()
    details = [client.get_order(o.order_number) for o in orders[:20]]
    items = [item for d in details for item in d.items]
    assert items and all(i.sku and i.ps_id and i.unit_price is not None for i in items)
    # Flat items carry integer product ids, nested ones UUIDs: both must read.
    assert any(i.product_id and i.product_id.isdigit() for i in items)
    assert any(i.product_id and "-" in i.product_id for i in items)


def test_smart_reorder_submission(client: PleasureStockClient) -> None:
    product = ReorderProduct(
        ps_id="ps_1234567890",
        quantity=Decimal(15),
        current_stock=Decimal(85),
        sales_history=[Decimal(v) for v in (5, 8, 12, 6, 9, 11, 7)],
    )
    receipt = client.submit_smart_reorder([product])
    assert receipt.smart_reorder_id
    assert receipt.is_active is True
