"""Reorder and Pricing in AppTest: suppliers appear by name, ids stay the keys."""

from __future__ import annotations

import os
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from lib.catalog.suppliers import name_supplier
from lib.db import open_database
from lib.ui.pricing_editor import GENERATION
from tests.app.test_catalog import SANDBOX_SUPPLIER_IDS, product, store


def _open(app: AppTest, page: str) -> AppTest:
    app.run()
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_reorder_shows_suppliers_by_name_in_proposal_totals_and_settings(
    demo_env: None, app: AppTest
) -> None:
    _open(app, "pages/reorder.py")
    proposal = next(d.value for d in app.dataframe if "Quantity" in d.value.columns)
    totals = next(d.value for d in app.dataframe if "Lines" in d.value.columns)
    settings = next(d.value for d in app.dataframe if "lead_time_days" in d.value.columns)
    assert not set(proposal["Supplier"]) & SANDBOX_SUPPLIER_IDS
    assert set(totals["Supplier"]) <= set(proposal["Supplier"])
    names = dict(zip(settings["supplier"], settings["name"], strict=True))
    assert (names["*"], names["12"]) == ("defaults", "Lovetoy Trading")

    supplier = next(m for m in app.multiselect if m.label == "Supplier")
    assert "Lovetoy Trading" in supplier.options
    supplier.set_value(["12"]).run()
    shown = next(d.value for d in app.dataframe if "Quantity" in d.value.columns)
    assert set(shown["Supplier"]) == {"Lovetoy Trading"}


def test_pricing_rules_keep_the_id_and_show_the_name_beside_it(
    demo_env: None, app: AppTest
) -> None:
    _open(app, "pages/pricing.py")
    rule = "Supplier · 12 · Lovetoy Trading"
    app.session_state[f"pricing_{app.session_state[GENERATION]}_rules"] = {
        "edited_rows": {},
        "added_rows": [{"Applies to": rule, "Formula": "TCC * 3"}],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    preview = app.dataframe[1].value
    assert rule in set(preview["rule"])
    next(b for b in app.button if b.label == "Save as new version").click().run()
    versions = app.dataframe[-2].value
    assert versions.iloc[0]["Other rules"] == 1


def test_a_draft_rule_keeps_its_supplier_when_the_supplier_gets_a_name(
    live_env: Callable[[str], None], app: AppTest
) -> None:
    live_env()
    store(
        [product("ps_new", "USD", supplier_id="s-777"), product("ps_12", "USD", supplier_id="12")]
    )
    _open(app, "pages/pricing.py")
    app.session_state[f"pricing_{app.session_state[GENERATION]}_rules"] = {
        "edited_rows": {},
        "added_rows": [{"Applies to": "Supplier · s-777", "Formula": "TCC * 3"}],
        "deleted_rows": [],
    }
    app.run()
    assert "Supplier · s-777" in set(app.dataframe[1].value["rule"])

    name_supplier(
        open_database(os.environ["STOCKDESK_DATABASE_URL"]).session_factory,
        "s-777",
        "Kadıköy Toptan",
        actor="ayse@example.com",
    )
    app.run()
    assert not app.error, [e.value for e in app.error]
    assert set(app.dataframe[1].value["rule"]) == {
        "Supplier · s-777 · Kadıköy Toptan",
        "Company default",
    }
