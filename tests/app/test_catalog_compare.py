"""The Catalog's "Compare sources" tab: snapshots of all four sources stored and linked
through the services; one row per confirmed group with each price in its own currency
(TRY only with a rate), own stock, the supplier's availability and its age; the sources'
data-quality counts; a source's items with a part's price breaks."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pandas as pd
from streamlit.testing.v1 import AppTest

from lib.db import UnitOfWork, open_database
from lib.sources.links import confirm_links, propose_links
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.records import (
    PLEASURESTOCK,
    PRICE2B,
    PSRESTFUL,
    STOCK2SHOP,
    CatalogSnapshot,
    PricePoint,
    SourceItem,
    StockLine,
)
from lib.sources.sync import sync_source
from tests.app.test_catalog import open_catalog, product, store
from tests.integration.sources.test_source_sync import FixedSource

EQUAL = "pleasurestock.sku=stock2shop.sku=price2b.sku=psrestful.sku"
TEE, MUG, LOOSE = "SanMar:PC61:AB-1", "SanMar:PC62:AB-2", "SanMar:PC63:ZZ-1"


def factory():
    return open_database(os.environ["STOCKDESK_DATABASE_URL"]).session_factory


def part(key: str, sku: str, modified: datetime | None) -> SourceItem:
    stamps = {"SanMar:WH1": modified.isoformat()} if modified else {}
    return SourceItem(PSRESTFUL, key, f"Part {sku}", sku=sku, raw={"inventoryModified": stamps})


def snapshots(now: datetime) -> dict[str, CatalogSnapshot]:
    variant_raw = {
        "qty": 9,
        "qty_availability": [{"description": "JHB", "qty": 4}, {"description": "CPT", "qty": 3}],
        "price_tiers": [{"tier": "Was", "price": "0"}],
    }
    return {
        PLEASURESTOCK: CatalogSnapshot(
            tuple(SourceItem(PLEASURESTOCK, f"ps-{n}", f"P {n}", sku=f"AB-{n}") for n in (1, 2, 3))
        ),
        STOCK2SHOP: CatalogSnapshot(
            (SourceItem(STOCK2SHOP, "v1", "Oil one", sku="AB-1", raw=variant_raw),),
            prices=(PricePoint("v1", "price", Decimal("125.50"), "ZAR"),),
            stock=(
                StockLine("v1", "JHB", "JHB", on_hand=4),
                StockLine("v1", "CPT", "CPT", on_hand=3),
            ),
        ),
        PRICE2B: CatalogSnapshot(
            (
                SourceItem(PRICE2B, "17", "Oil", sku="AB-1"),
                SourceItem(PRICE2B, "18", "Mug", sku="AB-2"),
            ),
            prices=(
                PricePoint("17", "price", Decimal("9.995"), "EUR"),
                PricePoint("18", "price", Decimal("3.00"), "USD"),
            ),
            stock=(
                StockLine("17", "w1", "Main", on_hand=10, reserved=2, available=8),
                StockLine("17", "w2", "Back", on_hand=5, reserved=0, available=5),
            ),
        ),
        PSRESTFUL: CatalogSnapshot(
            (
                part(TEE, "AB-1", now - timedelta(hours=1)),
                part(MUG, "AB-2", now - timedelta(hours=30)),
                part(LOOSE, "ZZ-1", None),
            ),
            prices=(
                PricePoint(TEE, "net", Decimal("4.18"), "CAD", 1, 11),
                PricePoint(TEE, "net", Decimal("3.84"), "CAD", 12, 35),
                PricePoint(MUG, "net", Decimal("2.00"), "USD", 12, 35),
            ),
            stock=(
                StockLine(TEE, "SanMar:WH1", "Dallas", available=120, kind="supplier"),
                StockLine(MUG, "SanMar:WH1", "Dallas", available=30, kind="supplier"),
            ),
        ),
    }


def linked_sources() -> None:
    """ps-1 linked to one item of every source, ps-2 to Price2B and PSRESTful; ps-3 and
    the PSRESTful part ZZ-1 to nothing."""
    store([product(f"ps-{n}", "EUR" if n == 2 else "USD", sku=f"AB-{n}") for n in (1, 2, 3)])
    for key, snapshot in snapshots(datetime.now(UTC)).items():
        sync_source(FixedSource(key, snapshot), factory(), actor="test")
    propose_links(factory(), parse_equal_namespaces(EQUAL), actor="test")
    with UnitOfWork(factory()) as uow:
        groups = [g.group_id for g in uow.links.groups(["proposed"])]
    assert confirm_links(factory(), groups, actor="test") == 2


def open_compare(app: AppTest) -> AppTest:
    app.session_state["catalog_tab"] = "Compare sources"
    return open_catalog(app)


def compare(app: AppTest) -> pd.DataFrame:
    return next(d.value for d in app.dataframe if "Supplier availability" in d.value.columns)


def test_one_row_per_group_with_each_source_in_its_own_currency(
    demo_env: None, app: AppTest
) -> None:
    linked_sources()
    rows = compare(open_compare(app)).set_index("ps id")
    assert sorted(rows.index) == ["ps-1", "ps-2"]
    tee, mug = rows.loc["ps-1"], rows.loc["ps-2"]
    assert tee["PleasureStock price"] == "$10.00"
    assert tee["PleasureStock price (TRY)"] == "₺345.01"  # 10 × 34.5012, rounded once
    assert tee["TSP"] == "$41.00"
    assert tee["Stock2Shop price"] == "125.50 ZAR"
    assert tee["Stock2Shop price (TRY)"] == "no rate"
    assert tee["Price2B price"] == "€10.00"  # 9.995 half up
    assert tee["Price2B price (TRY)"] == "₺369.82"  # 9.995 × 37 = 369.815
    assert tee["PSRESTful price"] == "4.18 CAD"
    assert tee["PSRESTful price (TRY)"] == "no rate"  # never a TRY value for CAD
    assert (tee["PSRESTful price at quantity"], tee["PSRESTful next break at"]) == ("1", "12")
    assert (tee["Stock2Shop stock"], tee["Price2B on hand"], tee["Price2B available"]) == (
        "7",
        "15",
        "13",
    )
    assert tee["Supplier availability"] == "120"
    assert tee["Supplier availability as of"].startswith("1 h ago")
    assert mug["PSRESTful price"] == "$2.00"
    assert mug["PSRESTful price at quantity"] == "12"  # the first break
    assert mug["Stock2Shop price"] == "—" and mug["Stock2Shop stock"] == "—"


def test_the_quality_panel_counts_each_check_and_lists_its_items(
    demo_env: None, app: AppTest
) -> None:
    linked_sources()
    open_compare(app)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Not linked"] == "1"  # the PSRESTful part ZZ-1
    assert metrics["Stock2Shop total ≠ warehouses"] == "1"
    assert metrics["Tier priced 0"] == "1"
    assert metrics["Stale supplier inventory"] == "1"  # the mug's 30-hour-old row
    assert metrics["Currency not configured"] == "1"  # Price2B's USD mug, no override
    assert metrics["Code shared"] == "0"
    app.selectbox(key="source_issue").set_value("stale-inventory").run()
    listed = app.dataframe[1].value
    assert listed["Item key"].tolist() == [MUG]
    assert listed["Found"].iloc[0].startswith("as of ")


def test_a_psrestful_part_lists_its_price_breaks(demo_env: None, app: AppTest) -> None:
    linked_sources()
    open_compare(app)
    app.selectbox(key="browse_source").set_value(PSRESTFUL).run()
    listing = app.dataframe[2].value
    assert listing["Item key"].tolist() == [TEE, MUG, LOOSE]
    assert listing["Available"].tolist() == ["120", "30", "—"]
    app.session_state["browse_grid"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    breaks = app.dataframe[3].value
    assert breaks["Unit price"].tolist() == ["4.18 CAD", "3.84 CAD"]
    assert breaks["To quantity"].tolist() == ["11", "35"]


def test_before_any_other_source_is_synced_the_tab_says_so(demo_env: None, app: AppTest) -> None:
    open_compare(app)  # fetches the sandbox catalog; no other source is stored yet
    assert any("0 confirmed link groups" in c.value for c in app.caption)
    assert compare(app).empty
    assert {m.value for m in app.metric if m.label in ("Not linked", "Code shared")} == {"0"}
    assert any("No Stock2Shop snapshot is stored yet." in c.value for c in app.caption)
