"""The Catalog beside Stock2Shop: its price and named tiers for linked products (a tier
priced 0 unknown), the `source=` filter in the URL, a bad source value in words; and the
same against demo mode's two sandboxes, after a Stock2Shop sync and accepted links."""

from __future__ import annotations

import os
from decimal import Decimal

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.db import UnitOfWork, open_database
from lib.settings import DEMO_EQUAL_SKU_NAMESPACES
from lib.sources.links import confirm_links, propose_links
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.records import (
    PLEASURESTOCK,
    STOCK2SHOP,
    CatalogSnapshot,
    PricePoint,
    SourceItem,
)
from lib.sources.sync import sync_source
from tests.app.test_catalog import caption_count, grid, open_catalog, product, store
from tests.integration.sources.test_source_sync import FixedSource

LINKED = "Linked to Stock2Shop"
S2S = CatalogSnapshot(
    (
        SourceItem(STOCK2SHOP, "v1", "Oil one", sku="AB-1"),
        SourceItem(STOCK2SHOP, "v2", "Oil two", sku="AB-2"),
        SourceItem(STOCK2SHOP, "v9", "Not ours", sku="ZZ-9"),
    ),
    prices=(
        PricePoint("v1", "price", Decimal("125.50"), "ZAR"),
        PricePoint("v1", "tier:Wholesale", Decimal("84.13"), "ZAR"),
        PricePoint("v1", "tier:Was", Decimal("0"), "ZAR"),  # not priced
        PricePoint("v2", "price", Decimal("99.00"), "ZAR"),
        PricePoint("v2", "tier:Was", Decimal("120.00"), "ZAR"),
    ),
)


def factory():
    return open_database(os.environ["STOCKDESK_DATABASE_URL"]).session_factory


def linked_two_of_three() -> None:
    """Three PleasureStock products; Stock2Shop's v1 and v2 linked to ps-1 and ps-2."""
    store([product(f"ps-{n}", "EUR", sku=f"AB-{n}") for n in (1, 2, 3)])
    ps = CatalogSnapshot(
        tuple(SourceItem(PLEASURESTOCK, f"ps-{n}", f"P {n}", sku=f"AB-{n}") for n in (1, 2, 3))
    )
    for key, snapshot in ((PLEASURESTOCK, ps), (STOCK2SHOP, S2S)):
        sync_source(FixedSource(key, snapshot), factory(), actor="test")
    # ps-3 has no variant to match, so this proposes exactly the two links.
    propose_links(factory(), parse_equal_namespaces(DEMO_EQUAL_SKU_NAMESPACES), actor="test")
    with UnitOfWork(factory()) as uow:
        groups = [g.group_id for g in uow.links.groups(["proposed"])]
    assert confirm_links(factory(), groups, actor="test") == 2


def test_linked_products_show_stock2shop_price_and_tiers(demo_env: None, app: AppTest) -> None:
    linked_two_of_three()
    open_catalog(app)
    rows = grid(app).set_index("ps id")
    assert rows.loc["ps-1", "Stock2Shop price"] == 125.5
    assert rows.loc["ps-1", "Stock2Shop Wholesale tier"] == 84.13
    assert pd.isna(rows.loc["ps-1", "Stock2Shop Was tier"])  # priced 0: unknown, never 0
    assert rows.loc["ps-2", "Stock2Shop Was tier"] == 120.0
    assert pd.isna(rows.loc["ps-2", "Stock2Shop Wholesale tier"])
    assert rows.loc["ps-1", "Stock2Shop currency"] == "ZAR"
    assert rows.loc["ps-1", "Stock2Shop SKU"] == "AB-1"
    assert rows["Stock2Shop variants"].to_dict() == {"ps-1": 1, "ps-2": 1, "ps-3": 0}
    assert pd.isna(rows.loc["ps-3", "Stock2Shop price"])
    headings = list(rows.columns)
    assert headings.index("Stock2Shop price") == headings.index("TSP currency") + 2
    assert not any("without a currency" in c.value for c in app.caption)

    app.session_state["catalog_grid"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    details = dict(app.dataframe[1].value.itertuples(index=False))
    assert details["Stock2Shop variant id"] == "v1"
    assert details["Stock2Shop price"] == "125.50 ZAR"
    assert details["Stock2Shop Wholesale tier"] == "84.13 ZAR"
    assert details["Stock2Shop Was tier"] == "—"


@pytest.mark.parametrize(
    ("value", "shown"), [(LINKED, ["ps-1", "ps-2"]), ("Not linked to Stock2Shop", ["ps-3"])]
)
def test_the_source_link_filters_by_confirmed_links(
    demo_env: None, app: AppTest, value: str, shown: list[str]
) -> None:
    linked_two_of_three()
    app.query_params["source"] = value
    open_catalog(app)
    assert sorted(grid(app)["ps id"]) == shown
    assert caption_count(app) == f"{len(shown)} of 3 products match the filters."


def test_a_source_value_the_catalog_does_not_offer_is_named_and_ignored(
    demo_env: None, app: AppTest
) -> None:
    linked_two_of_three()
    app.query_params["source"] = "stock2shop"
    open_catalog(app)
    assert len(grid(app)) == 3
    assert any(
        "source 'stock2shop'" in w.value and LINKED in w.value and "ignored" in w.value
        for w in app.warning
    )


def test_demo_sandboxes_after_a_stock2shop_sync_and_accepted_links(
    demo_env: None, app: AppTest
) -> None:
    open_catalog(app)  # fetches the sandbox catalog (and stores PleasureStock's items)
    assert "Stock2Shop price" not in grid(app).columns  # nothing is linked yet
    app.switch_page("pages/settings.py").run()
    next(b for b in app.button if b.label == "Sync Stock2Shop now").click().run()
    app.session_state["links_proposals"] = {
        "edited_rows": {str(n): {"Accept": True} for n in range(3)},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    next(b for b in app.button if b.label == "Accept ticked (3)").click().run()
    assert not app.exception, [e.value for e in app.exception]

    with UnitOfWork(factory()) as uow:
        links = [{m.source: m.item_key for m in g.members} for g in uow.links.groups(["confirmed"])]
        points = {(p.item_key, p.kind): p.amount for p in uow.sources.prices(STOCK2SHOP)}
    assert len(links) == 3
    open_catalog(app)
    assert caption_count(app) == "2,650 of 2,650 products match the filters."
    app.selectbox(key="source").set_value("linked").run()
    assert caption_count(app) == "3 of 2,650 products match the filters."
    rows = grid(app).set_index("ps id")
    assert sorted(rows.index) == sorted(link[PLEASURESTOCK] for link in links)
    variants = {link[STOCK2SHOP] for link in links}
    # The sandbox prices "Was" 0 for most variants: such a tier is not stored at all, so a
    # tier gets a column only when some linked variant has a price in it.
    tiers = {kind.removeprefix("tier:") for v, kind in points if v in variants and kind != "price"}
    assert {c for c in rows.columns if c.endswith(" tier")} == {
        f"Stock2Shop {name} tier" for name in tiers
    }
    for link in links:
        row, variant = rows.loc[link[PLEASURESTOCK]], link[STOCK2SHOP]
        assert row["Stock2Shop price"] == float(points[(variant, "price")])
        for name in tiers:
            amount = points.get((variant, f"tier:{name}"))
            cell = row[f"Stock2Shop {name} tier"]
            assert pd.isna(cell) if amount is None else cell == float(amount)
    # Demo mode sets no Stock2Shop currency, and the page says so.
    assert rows["Stock2Shop currency"].isna().all()
    assert any("shown without a currency" in c.value for c in app.caption)
