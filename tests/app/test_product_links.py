"""The Product links section on Settings: proposals accepted ticked or all shown,
rejected ones gone, the confirmed links listed, names shown as text; and the Stock2Shop
card on Overview against demo mode's Stock2Shop sandbox."""

from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest

from lib.db import open_database
from lib.settings import DEMO_EQUAL_SKU_NAMESPACES
from lib.sources.links import propose_links
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.records import PLEASURESTOCK, STOCK2SHOP, CatalogSnapshot, SourceItem
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


def test_overview_shows_the_stock2shop_card_of_the_demo_sandbox(
    demo_env: None, app: AppTest
) -> None:
    store([product("ps-1", "EUR", sku="AB-1")])
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Stock2Shop API"] == "Reachable"
    assert (
        metrics["Stock2Shop variants in snapshot"] == "0"
        and metrics["Stock2Shop last sync"] == "never"
    )
    assert any("stockdesk-reader (read_only)" in t.value for t in app.text)
