"""The Reorder page with AppTest: proposal, edits, totals, cross-check and orders."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from tests.app.conftest import page_text


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


def _click(app: AppTest, label: str) -> None:
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception, [e.value for e in app.exception]


def test_edit_a_quantity_untick_a_line_and_create_orders(
    demo_env: None, app: AppTest, tmp_path: Path
) -> None:
    _open_reorder(app)
    table = _proposal(app)
    first, second = int(table["Quantity"][0]), int(table["Quantity"][1])
    _click(app, "Create orders")
    lines, units = _dialog_summary(app)

    app.session_state[app.session_state["reorder_editor"]] = {
        "edited_rows": {0: {"Quantity": first + 7}, 1: {"Include": False}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    _click(app, "Create orders")
    assert _dialog_summary(app) == (lines - 1, units + 7 - second)

    _click(app, "Send orders")
    success = " ".join(s.value for s in app.success)
    assert re.search(r"Created \d+ orders under SD-[0-9a-f]{20}\.", success), success
    engine = create_engine(f"sqlite:///{tmp_path / 'stockdesk.db'}")
    with engine.connect() as connection:
        actions = (
            connection.execute(
                text(
                    "SELECT action FROM audit_log WHERE entity_type = 'purchase_order' ORDER BY id"
                )
            )
            .scalars()
            .all()
        )
    assert actions == ["reorder.orders_requested", "reorder.orders_created"]
