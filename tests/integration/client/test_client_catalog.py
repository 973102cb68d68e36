"""Reading the catalog: paging, batches by id, single products, search and filters."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from lib.pleasurestock import NotFoundError, PleasureStockClient
from lib.sandbox import RunningSandbox


def test_whole_catalog_pages_concurrently_and_matches_one_page_at_a_time(
    client: PleasureStockClient,
) -> None:
    progress: list[tuple[int, int]] = []
    concurrent = client.fetch_catalog(
        page_size=250, on_progress=lambda d, t: progress.append((d, t))
    )
    sequential = client.fetch_catalog(page_size=250, concurrent=False)

    total = client.list_products(limit=1).pagination.total
    assert total >= 2500
    assert len(concurrent) == total
    assert len({p.internal_id for p in concurrent}) == total
    assert [p.internal_id for p in concurrent] == [p.internal_id for p in sequential]
    pages = -(-total // 250)
    assert progress[0] == (1, pages) and progress[-1] == (pages, pages)
    assert [done for done, _ in progress] == list(range(1, pages + 1))


def test_catalog_carries_category_tcc_and_tsp_as_decimals(client: PleasureStockClient) -> None:
    catalog = client.fetch_catalog()
    priced = [p for p in catalog if p.tcc_enabled and p.tsp_enabled]
    assert len(priced) > 0.9 * len(catalog)
    sample = priced[0]
    assert isinstance(sample.price, Decimal)
    assert isinstance(sample.tcc_total_cost, Decimal)
    assert isinstance(sample.tsp_value, Decimal)
    assert sample.tsp_formula and "TCC" in sample.tsp_formula
    assert len({p.category_name_en for p in catalog if p.category_name_en}) >= 12
    assert {p.currency for p in catalog} >= {"EUR", "USD", "GBP", "TRY"}
    # Both documented supplier id variants reach the client as opaque strings.
    assert any(p.supplier_id and p.supplier_id.isdigit() for p in catalog)
    assert any(p.supplier_id and "-" in p.supplier_id for p in catalog)


def test_include_flags_off_leave_pricing_fields_empty(client: PleasureStockClient) -> None:
    page = client.list_products(limit=5)
    assert all(p.tcc_total_cost is None and p.category_name is None for p in page.data)


def test_batch_by_ids_mixes_uuids_and_ps_ids_in_requests_of_100(
    client: PleasureStockClient,
) -> None:
    catalog = client.list_products(limit=250).data
    wanted = [p.id if i % 2 else p.internal_id for i, p in enumerate(catalog)]
    assert all(wanted)
    before = _standard_requests(client)

    found = client.get_products_by_ids([*wanted, "ps_doesnotexist", wanted[0]])

    assert {p.internal_id for p in found} == {p.internal_id for p in catalog}
    assert _standard_requests(client) - before == 3  # 251 distinct ids -> 100 + 100 + 51
    assert all(p.tcc_total_cost is not None or p.tcc_enabled is False for p in found)


def test_single_product_by_ps_id_and_uuid_with_images(client: PleasureStockClient) -> None:
    first = client.list_products(limit=1).data[0]
    by_ps = client.get_product(first.internal_id)
    by_uuid = client.get_product(first.id or "")
    assert by_ps == by_uuid
    assert by_ps.images and by_ps.images[0].startswith("http")
    assert by_ps.category_name is not None


def test_unknown_product_is_not_found(client: PleasureStockClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.get_product("ps_nosuchthing")
    assert caught.value.status_code == 404
    assert "no such record" in str(caught.value)


def test_search_and_supplier_filter(client: PleasureStockClient) -> None:
    sample = client.list_products(limit=1).data[0]
    found = client.list_products(search=sample.sku.lower(), limit=50).data
    assert sample.internal_id in {p.internal_id for p in found}
    by_supplier = client.list_products(supplier_id=sample.supplier_id, limit=1000).data
    assert by_supplier and {p.supplier_id for p in by_supplier} == {sample.supplier_id}


def test_page_size_outside_1_to_1000_is_refused_before_sending(
    client: PleasureStockClient,
) -> None:
    with pytest.raises(ValueError, match="between 1 and 1000"):
        client.list_products(limit=1001)


def test_images_are_served_by_the_sandbox(
    client: PleasureStockClient, sandbox: RunningSandbox, make_client: Callable[..., object]
) -> None:
    import httpx

    product = client.get_product(client.list_products(limit=1).data[0].internal_id)
    response = httpx.get(product.images[0])
    assert response.status_code == 200
    assert "svg" in response.headers["content-type"]


def _standard_requests(client: PleasureStockClient) -> int:
    return next(
        u.used
        for u in client.rate_limit_usage()
        if u.rate_class == "standard" and u.window_seconds == 3600
    )
