"""Reorder against a sandbox: recommendations joined by id and SKU; orders never doubled."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from lib.pleasurestock import PleasureStockClient, PleasureStockError
from lib.pleasurestock.models import OrderLine
from lib.reorder.ordering import new_external_order_id, place_orders
from lib.reorder.proposal import join_recommendations
from lib.sandbox import RunningSandbox
from tests.integration.client.conftest import TODAY, SleepLog

MakeSandbox = Callable[..., RunningSandbox]
MakeClient = Callable[..., PleasureStockClient]


def test_recommendations_join_the_catalog_by_id_and_by_sku(client: PleasureStockClient) -> None:
    products = client.fetch_catalog(include_all=False)
    catalog = pd.DataFrame(
        {"ps_id": [p.internal_id for p in products], "sku": [p.sku for p in products]}
    )
    recs = client.get_recommendations(TODAY).recommendations
    joined = join_recommendations(recs, catalog)
    matched = joined.frame["matched_on"].value_counts().to_dict()
    assert matched.get("id", 0) > 0 and matched.get("SKU", 0) > 0, matched
    assert len(joined.frame) + len(joined.unmatched) == len(recs)
    by_sku = joined.frame[joined.frame["matched_on"] == "SKU"]
    skus = dict(zip(catalog["ps_id"], catalog["sku"], strict=True))
    wanted = {r.product_sku for r in recs if r.ps_id_guess not in skus}
    assert {skus[ps] for ps in by_sku["ps_id"]} <= wanted


def test_unknown_outcomes_never_create_an_order_twice(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    flaky = make_sandbox(fault_500=0.5, fault_drop=0.3, fault_seed=5)
    client = make_client(flaky.base_url, sleep=SleepLog())
    by_supplier: dict[str, str] = {}
    for product in flaky.store.products:
        by_supplier.setdefault(product.supplier.id, product.internal_id)
        if len(by_supplier) == 2:
            break
    lines = [OrderLine(ps_id=ps_id, quantity=3) for ps_id in by_supplier.values()]
    outcomes: list[str] = []
    for _ in range(5):
        external_id = new_external_order_id()
        for attempt in range(30):
            try:
                placement = place_orders(client, lines, external_id, check_first=attempt > 0)
            except PleasureStockError as error:
                outcomes.append(type(error).__name__)
                continue
            outcomes.append(placement.status)
            if placement.status != "unknown":
                break
        stored = [o for o in flaky.store.orders if o.external_order_id == external_id]
        # One order per supplier, however many attempts it took.
        assert len(stored) == 2, (external_id, outcomes)
        assert {o.order_number for o in placement.orders} == {o.order_number for o in stored}
    # The faults really struck: some answers were lost and then found by the lookup.
    assert "found" in outcomes and "created" in outcomes, outcomes
