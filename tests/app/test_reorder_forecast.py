"""Reorder's forecast engine section with AppTest: before any run it says so and offers a
run; after the job ran, each line shows its model, backtest error and the forecast's age."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import page_text


def test_reorder_shows_the_model_per_line_after_the_forecast_job_ran(
    demo_env: None, app: AppTest
) -> None:
    app.run()
    app.switch_page("pages/reorder.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert "No forecast has run yet" in page_text(app)

    next(b for b in app.button if b.label == "Run the forecast now").click().run()

    assert not app.exception, [e.value for e in app.exception]
    text = page_text(app)
    assert "No forecast has run yet" not in text
    assert "Forecast computed 0 s ago" in text or "Forecast computed" in text
    table = next(d.value for d in app.dataframe if "Model" in d.value.columns)
    assert table["Model"].notna().any()
    assert table["Backtest MAE (units/day)"].notna().any()
    # Today's figures stay beside the model's.
    assert {"Our forecast (lead + review)", "Our quantity"} <= set(table.columns)
