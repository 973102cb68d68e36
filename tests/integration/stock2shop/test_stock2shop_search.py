"""Product and order search: the whole catalog by paging, the seeded match shares, date
windows, the cap (split, or refused when it cannot be), index lag and both spellings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest

from lib.sandbox.stock2shop import RunningStock2ShopSandbox
from lib.sandbox.stock2shop import config as seeded
from lib.sandbox.stock2shop.seed import stamp
from lib.sandbox.store import SandboxStore
from lib.stock2shop import ResultCapError, Stock2ShopClient

from .conftest import TODAY

MakeClient = Callable[..., Stock2ShopClient]
MakeSandbox = Callable[..., RunningStock2ShopSandbox]


def test_paging_returns_every_active_variant_once_and_the_seeded_match_shares(
    sandbox: RunningStock2ShopSandbox, make_client: MakeClient
) -> None:
    variants = [
        v for p in make_client(sandbox.base_url, page_size=37).iter_products() for v in p.variants
    ]
    assert len(variants) == len({v.id for v in variants}) == seeded.VARIANT_COUNT
    # The PleasureStock sandbox's own catalog, for the same seed and day.
    ps_skus = {p.sku for p in SandboxStore(42, TODAY).products}
    carried = Counter(code for v in variants for code in {v.sku, v.barcode} - {""})
    shares: Counter[str] = Counter()
    for v in variants:
        codes = {v.sku, v.barcode} - {""}
        hits = codes & ps_skus
        if not hits:
            shares["none"] += 1
        elif any(carried[c] > 1 for c in hits):
            shares["ambiguous"] += 1
        else:
            shares["sku" if v.sku in hits else "barcode"] += 1
    assert shares == {
        "sku": seeded.MATCHED_BY_SKU,
        "barcode": seeded.MATCHED_BY_BARCODE,
        "ambiguous": seeded.AMBIGUOUS_VARIANTS,
        "none": seeded.UNMATCHED,
    }


def test_an_order_window_split_at_the_cap_returns_exactly_the_windows_orders(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    small_cap = make_sandbox(total_cap=60, result_window=60)
    client = make_client(small_cap.base_url, result_cap=60, page_size=25)
    end = small_cap.store.clock.now()
    start = end - timedelta(days=14)
    found = list(client.iter_orders(start=start, end=end))
    expected = {
        str(o["id"])
        for o in small_cap.store.all_live("orders")
        if stamp(start) <= o["created"] < stamp(end)
    }
    assert len(expected) > 60  # more than one search may return
    assert [o.id for o in found] and {o.id for o in found} == expected
    assert len(found) == len(expected)


def test_a_second_holding_more_records_than_the_cap_is_refused_not_cut(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    # Several seeded products share one modified second; a cap of 1 cannot hold them.
    tiny_cap = make_sandbox(total_cap=1, result_window=1)
    client = make_client(tiny_cap.base_url, result_cap=1, page_size=1)
    with pytest.raises(ResultCapError, match="cannot be split any narrower"):
        list(client.iter_products())


def test_a_new_order_is_found_only_after_the_index_lag(
    sandbox: RunningStock2ShopSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url)
    placed = sandbox.store.add_order()
    start = sandbox.store.clock.now() - timedelta(minutes=1)
    window = {"start": start, "end": start + timedelta(hours=1)}
    assert str(placed["id"]) not in {o.id for o in client.iter_orders(**window)}
    sandbox.store.clock.advance(sandbox.config.index_lag_seconds)
    assert str(placed["id"]) in {o.id for o in client.iter_orders(**window)}


def test_a_cancellation_shows_in_the_live_record_and_by_modified_date(
    sandbox: RunningStock2ShopSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url)
    order = sandbox.store.all_live("orders")[5]
    changed = sandbox.store.change_order(order["id"], status="cancelled")
    sandbox.store.clock.advance(sandbox.config.index_lag_seconds)
    now = sandbox.store.clock.now()
    recent = list(
        client.iter_orders(
            start=now - timedelta(minutes=5), end=now + timedelta(seconds=1), field="modified"
        )
    )
    assert [(o.id, o.status) for o in recent if o.id == str(changed["id"])] == [
        (str(changed["id"]), "cancelled")
    ]


def test_the_other_spellings_and_methods_are_used_when_one_is_missing(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    other = make_sandbox(
        product_search_paths=("elasticsearch",),
        order_search_paths=("elasticsearch",),
        list_methods=("POST",),
    )
    client = make_client(other.base_url)
    assert [s.id for s in client.list_sources()] == ["57", "318"]
    assert client.list_sources()[1].linked_to == "57"
    assert len(client.search_products({"match_all": {}}, size=5).records) == 5
    assert len(client.search_orders({"match_all": {}}, size=5).records) == 5
    assert other.store.write_calls == []
