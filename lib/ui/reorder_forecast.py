"""Reorder's forecast engine section: how old the stored forecast is, a button to run
it now, and per line the model chosen, its backtest error and its figures beside ours.
It reads stored results only; the models are fitted by the forecast job."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from lib.jobs.service import start_job
from lib.jobs.tasks import FORECAST
from lib.reorder.engine_lines import with_engine
from lib.reorder.forecast_run import stored_forecasts
from lib.ui.resources import AppContext
from lib.ui.shell import current_actor
from lib.ui.widgets import format_age

LABELS = {
    "name": "Product",
    "engine_model": "Model",
    "engine_mae": "Backtest MAE (units/day)",
    "engine_forecast": "Model forecast (lead + review)",
    "engine_safety_stock": "Model safety stock",
    "forecast_horizon": "Our forecast (lead + review)",
    "our_quantity": "Our quantity",
    "disagrees": "⚠ differs from the API",
}


def engine_section(
    ctx: AppContext, proposal: pd.DataFrame, levels: Mapping[str, float], *, may_run: bool
) -> None:
    """The forecast engine's per-line table for ``proposal`` (after ``compare_with_api``)."""
    st.subheader("Forecast engine")
    if st.button("Run the forecast now", icon=":material/insights:", disabled=not may_run):
        start_job(ctx.session_factory, FORECAST, by=current_actor())
    stored = stored_forecasts(ctx.session_factory)
    if stored.computed_at is None:
        st.info(
            "No forecast has run yet: it runs daily after the catalog sync, or now with the "
            "button above.",
            icon=":material/insights:",
        )
        return
    age = format_age(datetime.now(UTC) - stored.computed_at)
    st.caption(
        f"Forecast computed {age} ago from sales up to {stored.history_end}: per product the "
        "model with the lowest mean absolute error over a 4-week rolling backtest (stockout "
        "days left out); safety stock from that model's own errors at the service level of "
        "the line's ABC class."
    )
    lines = with_engine(proposal, stored.frame, levels)
    st.dataframe(
        lines[list(LABELS)].rename(columns=LABELS),
        hide_index=True,
        column_config={
            label: st.column_config.NumberColumn(format="%.2f")
            for key, label in LABELS.items()
            if key in ("engine_mae", "engine_forecast", "engine_safety_stock", "forecast_horizon")
        },
    )
