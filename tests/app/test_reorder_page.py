"""The Reorder page with AppTest: proposal, edits, totals, cross-check and orders."""

from __future__ import annotations

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
