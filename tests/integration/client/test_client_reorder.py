"""Reorder against a sandbox: recommendations joined by id and SKU (orders: see
tests/integration/reorder)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from lib.pleasurestock import PleasureStockClient
from lib.reorder.proposal import join_recommendations
from lib.sandbox import RunningSandbox
from tests.integration.client.conftest import TODAY

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
