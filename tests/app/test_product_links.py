"""The Product links section on Settings: proposals accepted ticked or all shown,
rejected ones gone, the confirmed links listed, names shown as text; a Sync button per
source and a column set per source in the groups."""

from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest

from lib.db import open_database
from lib.sandbox.price2b import config as p2b_seeded
from lib.settings import DEMO_EQUAL_SKU_NAMESPACES
from lib.sources.links import propose_links
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.records import (
    PLEASURESTOCK,
    PRICE2B,
    PSRESTFUL,
    STOCK2SHOP,
    CatalogSnapshot,
    SourceItem,
)
from lib.sources.sync import sync_source
from tests.app.test_catalog import product, store
from tests.integration.sources.test_source_sync import FixedSource

SETTINGS = "pages/settings.py"
HOSTILE = "**bold** <b>x</b> [link](http://x.example)"


def stored_links() -> None:
    """Three PleasureStock products, three Stock2Shop variants sharing their codes (one by
    barcode), proposed under demo mode's namespaces."""
    store([product(f"ps-{n}", "EUR", sku=f"AB-{n}") for n in (1, 2, 3)])
    ps = [SourceItem(PLEASURESTOCK, f"ps-{n}", f"Oil {n}", sku=f"AB-{n}") for n in (1, 2, 3)]
    s2s = [
        SourceItem(STOCK2SHOP, "v1", HOSTILE, sku="ab-1"),
        SourceItem(STOCK2SHOP, "v2", "Oil two", sku="ERP-2", barcode="AB-2"),
        SourceItem(STOCK2SHOP, "v3", "Oil three", sku=" AB-3 "),
    ]
    factory = open_database(os.environ["STOCKDESK_DATABASE_URL"]).session_factory
    for key, items in ((PLEASURESTOCK, ps), (STOCK2SHOP, s2s)):
        sync_source(FixedSource(key, CatalogSnapshot(tuple(items))), factory, actor="test")
    propose_links(factory, parse_equal_namespaces(DEMO_EQUAL_SKU_NAMESPACES), actor="test")


def button(app: AppTest, starts: str):
    return next(b for b in app.button if b.label.startswith(starts))


def test_ticked_and_all_shown_proposals_are_confirmed(demo_env: None, app: AppTest) -> None:
    stored_links()
    app.run()
    app.switch_page(SETTINGS).run()
    assert not app.exception, [e.value for e in app.exception]
    assert button(app, "Sync Stock2Shop now")
    assert "**Proposals** (3)" in [m.value for m in app.markdown]
    app.session_state["links_proposals"] = {
        "edited_rows": {"0": {"Accept": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    button(app, "Accept ticked (1)").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Confirmed 1 link(s)." in [s.value for s in app.success]
    [confirmed] = [d.value for d in app.dataframe if "Confirmed by" in d.value.columns]
    assert list(confirmed["Stock2Shop item"]) == [HOSTILE]  # as text, in a cell
    assert "**Proposals** (2)" in [m.value for m in app.markdown]

    app.text_input(key="links_filter").set_value("ab-3").run()
    button(app, "Accept all shown (1)").click().run()
    [confirmed] = [d.value for d in app.dataframe if "Confirmed by" in d.value.columns]
    assert sorted(confirmed["Code"]) == ["ab-1", "ab-3"]
    assert "**Proposals** (1)" in [m.value for m in app.markdown]


def test_a_rejected_proposal_leaves_the_list(demo_env: None, app: AppTest) -> None:
    stored_links()
    app.run()
    app.switch_page(SETTINGS).run()
    app.session_state["links_proposals"] = {
        "edited_rows": {"1": {"Accept": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    button(app, "Reject ticked (1)").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "**Proposals** (2)" in [m.value for m in app.markdown]
    assert not [d for d in app.dataframe if "Confirmed by" in d.value.columns]


def stored_four_sources() -> None:
    """PleasureStock's AB-1 carried by Stock2Shop, Price2B and PSRESTful (one group of
    four), AB-2 by Price2B alone: proposed under demo mode's namespaces."""
    store([product(f"ps-{n}", "EUR", sku=f"AB-{n}") for n in (1, 2)])
    items = {
        PLEASURESTOCK: [
            SourceItem(PLEASURESTOCK, f"ps-{n}", f"Oil {n}", sku=f"AB-{n}") for n in (1, 2)
        ],
        STOCK2SHOP: [SourceItem(STOCK2SHOP, "v1", "Oil variant", sku="ab-1", barcode="600")],
        PRICE2B: [
            SourceItem(PRICE2B, "11", "Oil product", sku="AB-1"),
            SourceItem(PRICE2B, "12", HOSTILE, sku=" ab-2 "),
        ],
        PSRESTFUL: [SourceItem(PSRESTFUL, "HIT:AB-1:AB-1", "Oil part", sku="AB-1")],
    }
    factory = open_database(os.environ["STOCKDESK_DATABASE_URL"]).session_factory
    for key, found in items.items():
        sync_source(FixedSource(key, CatalogSnapshot(tuple(found))), factory, actor="test")
    propose_links(factory, parse_equal_namespaces(DEMO_EQUAL_SKU_NAMESPACES), actor="test")


def test_each_source_has_its_sync_button_and_its_columns(demo_env: None, app: AppTest) -> None:
    stored_four_sources()
    app.run()
    app.switch_page(SETTINGS).run()
    assert not app.exception, [e.value for e in app.exception]
    for label in ("Stock2Shop", "Price2B", "PSRESTful"):
        assert button(app, f"Sync {label} now")
        assert f"{label} has not been synced yet." in [c.value for c in app.caption]
    [proposals] = [d.value for d in app.data_editor if "Accept" in d.value.columns]
    by_code = proposals.set_index("Code")
    assert list(by_code.loc["ab-1", ["Stock2Shop item", "Price2B item", "PSRESTful item"]]) == [
        "Oil variant",
        "Oil product",
        "Oil part",
    ]
    assert by_code.loc["ab-1", "Stock2Shop barcode"] == "600"
    # A group without an item of a source leaves its columns blank, names as text.
    assert list(by_code.loc["ab-2", ["Stock2Shop item", "Price2B item", "PSRESTful SKU"]]) == [
        "",
        HOSTILE,
        "",
    ]


def test_a_sync_button_syncs_its_own_source(demo_env: None, app: AppTest) -> None:
    store([product("ps-1", "EUR", sku="AB-1")])
    app.run()
    app.switch_page(SETTINGS).run()
    button(app, "Sync Price2B now").click().run()
    assert not app.exception, [e.value for e in app.exception]
    captions = [c.value for c in app.caption]
    assert any(c.startswith("Last Price2B sync: done") for c in captions)
    assert "Stock2Shop has not been synced yet." in captions
    assert "PSRESTful has not been synced yet." in captions
    products = p2b_seeded.PRODUCT_TOTAL + p2b_seeded.INACTIVE_PRODUCTS
    assert f"Stored {products:,} items; 0 link proposals open" in [t.value for t in app.text]
