"""The Reorder page with AppTest: proposal, edits, totals, cross-check and orders.

Every test here shares the process's demo sandbox (and so its orders), so rows are
picked by what they hold, never by position.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from lib.catalog.suppliers import stored_supplier_names
from lib.db import open_database
from lib.jobs.runs import Runtime, bind_runtime
from lib.pleasurestock import NetworkError, PleasureStockClient
from lib.pleasurestock.models import OrderLine
from lib.reorder.ordering import request_orders
from lib.sandbox.embedded import DEMO_API_KEY, demo_base_url
from lib.settings import load_settings
from lib.ui.loaders import clear_order_caches
from lib.ui.reorder_view import money_text
from tests.app.conftest import PROJECT_ROOT, audit_log, page_text
from tests.support.hostile import as_shown
from tests.support.outages import OrderOutage


@pytest.fixture(autouse=True)
def fresh_order_reads() -> Iterator[None]:
    """Other tests place orders in the shared sandbox: start from what it holds now."""
    clear_order_caches()
    yield


def _open_reorder(app: AppTest) -> AppTest:
    app.run()
    app.switch_page("pages/reorder.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_proposal_edit_and_create_orders(demo_env: None, app: AppTest) -> None:
    _open_reorder(app)
    assert app.title[0].value == "Reorder"
    text = page_text(app)
    assert "sandbox history" in text
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Lines"]) > 0
    assert metrics["Our forecast, last 4 weeks"].startswith("WAPE")


def _dialog_summary(app: AppTest) -> tuple[int, int]:
    """Lines and units from the confirmation dialog's summary."""
    summary = next(m.value for m in app.markdown if " lines** for **" in m.value)
    match = re.search(r"\*\*(\d+) lines\*\* for \*\*\d+ suppliers\*\*, (\d+) units", summary)
    assert match, summary
    return int(match[1]), int(match[2])


def _proposal(app: AppTest) -> pd.DataFrame:
    return next(d.value for d in app.dataframe if "Quantity" in d.value.columns)


def _dialog_totals(app: AppTest) -> pd.DataFrame:
    return next(
        d.value for d in app.dataframe if "Purchase total (supplier price)" in d.value.columns
    )


def _click(app: AppTest, label: str) -> None:
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception, [e.value for e in app.exception]


def _edit(app: AppTest, rows: dict[int, dict[str, object]]) -> None:
    app.session_state[app.session_state["reorder_editor"]] = {
        "edited_rows": rows,
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception, [e.value for e in app.exception]


def _ordered_rows(table: pd.DataFrame) -> list[int]:
    """Positions of the lines that order something (many lines are netted to 0)."""
    return [i for i, quantity in enumerate(table["Quantity"]) if quantity > 0]


def _stored_requests(tmp_path: Path) -> list[dict[str, object]]:
    engine = create_engine(f"sqlite:///{tmp_path / 'stockdesk.db'}")
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT external_order_id, supplier_id, lines, state, orders FROM order_requests")
        ).mappings()
        return [
            {**row, "lines": json.loads(row["lines"]), "orders": json.loads(row["orders"])}
            for row in rows
        ]


def test_edit_a_quantity_untick_a_line_and_create_orders(
    demo_env: None, app: AppTest, tmp_path: Path
) -> None:
    _open_reorder(app)
    table = _proposal(app)
    first, second = _ordered_rows(table)[:2]
    _click(app, "Create orders")
    lines, units = _dialog_summary(app)

    _edit(app, {first: {"Quantity": int(table["Quantity"][first]) + 7}, second: {"Include": False}})
    _click(app, "Create orders")
    assert _dialog_summary(app) == (lines - 1, units + 7 - int(table["Quantity"][second]))
    shown_totals = _dialog_totals(app)

    _click(app, "Send orders")
    success = " ".join(s.value for s in app.success)
    assert re.search(r"Placed \S+ for supplier .+ under SD\\-[0-9a-f]{20}", success), success
    stored = _stored_requests(tmp_path)
    assert {r["state"] for r in stored} == {"placed"}
    assert sum(line["quantity"] for r in stored for line in r["lines"]) == units + 7 - int(
        table["Quantity"][second]
    )
    # The dialog's order totals at the supplier's price are what PleasureStock recorded;
    # the dialog names the suppliers.
    names = stored_supplier_names(
        open_database(f"sqlite:///{tmp_path / 'stockdesk.db'}").session_factory
    )
    recorded = {
        names[r["supplier_id"]]: (
            money_text(Decimal(r["orders"][0]["total"])),
            r["orders"][0]["currency"],
        )
        for r in stored
    }
    shown = {
        row["Supplier"]: (row["Purchase total (supplier price)"], row["Currency"])
        for row in shown_totals.to_dict("records")
    }
    assert shown == recorded


def test_edits_are_kept_per_product_across_a_filter_change_until_reset(
    demo_env: None, app: AppTest
) -> None:
    _open_reorder(app)
    table = _proposal(app)
    row = _ordered_rows(table)[0]
    sku, quantity, abc = table["SKU"][row], int(table["Quantity"][row]), table["ABC"][row]
    _edit(app, {row: {"Quantity": quantity + 5}})
    assert "1 line edited" in page_text(app)

    abc_filter = next(m for m in app.multiselect if m.label == "ABC class")
    abc_filter.set_value([c for c in ("A", "B", "C") if c != abc][:1]).run()
    assert sku not in set(_proposal(app)["SKU"])
    assert "1 line edited" in page_text(app)
    next(m for m in app.multiselect if m.label == "ABC class").set_value([]).run()

    def quantity_of(product_sku: str) -> int:
        shown = _proposal(app)
        return int(shown.loc[shown["SKU"] == product_sku, "Quantity"].iloc[0])

    assert quantity_of(sku) == quantity + 5
    _click(app, "Reset edits")
    assert quantity_of(sku) == quantity
    assert "edited (quantity" not in page_text(app)


def test_an_unresolved_request_outlives_the_session_holds_its_supplier_back_and_is_placed_once(
    demo_env: None, app: AppTest
) -> None:
    _open_reorder(app)
    table = _proposal(app)
    row = _ordered_rows(table)[0]
    sku = table["SKU"][row]
    settings = load_settings()
    database = open_database(settings.stockdesk_database_url)
    with database.session_factory() as session:
        ps_id, supplier = session.execute(
            text("SELECT ps_id, supplier_id FROM catalog_products WHERE sku = :sku"), {"sku": sku}
        ).one()
    # "Send orders" while the order list is down: the create is stored, its answer lost.
    base_url = demo_base_url(settings)
    with PleasureStockClient(
        base_url=base_url, api_key=DEMO_API_KEY, transport=OrderOutage(), sleep=lambda s: None
    ) as outage:
        bind_runtime(Runtime(session_factory=database.session_factory, client=outage))
        [unknown] = request_orders(
            database.session_factory,
            {supplier: [OrderLine(ps_id=ps_id, quantity=2)]},
            actor="demo:purchasing",
        )
    assert unknown.state == "unknown"

    # A new browser session: the request is listed and the supplier's lines are held back.
    fresh = _open_reorder(AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=90))
    warnings = " ".join(w.value for w in fresh.warning)
    assert unknown.external_order_id.replace("-", "\\-") in warnings
    assert "could not be checked" in warnings
    assert sku not in set(_proposal(fresh)["SKU"])
    fresh.toggle(key="reorder_override").set_value(True).run()
    assert sku in set(_proposal(fresh)["SKU"])

    # Orders lists it too, and "Check and retry" there finds the order instead of resending.
    fresh.switch_page("pages/orders.py").run()
    assert unknown.external_order_id.replace("-", "\\-") in " ".join(w.value for w in fresh.warning)
    _click(fresh, "Check and retry")
    assert "Found in PleasureStock" in " ".join(s.value for s in fresh.success)
    with PleasureStockClient(base_url=base_url, api_key=DEMO_API_KEY) as client:
        assert len(client.find_orders_by_external_id(unknown.external_order_id)) == 1
    fresh.switch_page("pages/reorder.py").run()
    assert not any("is unknown" in w.value for w in fresh.warning)
    assert not any(b.label == "Check and retry" for b in fresh.button)


def test_without_stored_rates_and_with_the_rate_service_down_lines_say_no_rate(
    demo_env: None, app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def rate_service_down(self: PleasureStockClient, *args: object) -> None:
        raise NetworkError("Could not reach PleasureStock's currency service.")

    monkeypatch.setattr(PleasureStockClient, "convert_to_try", rate_service_down)
    _open_reorder(app)
    table = _proposal(app)
    priced = table[table["Currency"].isin(["EUR", "USD", "GBP"]) & (table["Quantity"] > 0)]
    assert not priced.empty and set(priced["Line cost TRY"]) == {"no rate"}
    next(n for n in app.number_input if n.label.startswith("Budget")).set_value(100000).run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Not counted, so not ticked by the budget" in page_text(app)


def _settings_table(app: AppTest) -> pd.DataFrame:
    return next(d.value for d in app.dataframe if "lead_time_days" in d.value.columns)


def test_settings_out_of_range_are_refused_naming_the_row_and_a_valid_edit_is_saved(
    demo_env: None, app: AppTest
) -> None:
    _open_reorder(app)
    assert _settings_table(app)["supplier"].iloc[0] == "*"

    def edit_defaults(**values: object) -> None:
        app.session_state["reorder_settings_editor"] = {
            "edited_rows": {0: values},
            "added_rows": [],
            "deleted_rows": [],
        }
        app.run()
        _click(app, "Save settings")

    edit_defaults(service_level=1.5)
    [refusal] = app.error
    assert as_shown(refusal.value) == (
        "Settings for the defaults (*): service level must be at least 0.5 and below 1 "
        "(e.g. 0.95). Nothing was saved."
    )

    edit_defaults(lead_time_days=9)
    assert not app.error
    assert _settings_table(app)["lead_time_days"].iloc[0] == 9
    app.switch_page("pages/settings.py").run()
    assert "reorder.settings" in list(audit_log(app)["What"])
