"""Catalog charts (Plotly): TSP against TCC in lira, and the spread of margins per category.

Charts take the page's grid rows (money as floats, which is fine for a picture) and
never show product names; category names and ps ids are HTML-escaped, because Plotly
reads ``<b>`` and similar tags in labels as formatting.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from lib.catalog.table import CategoryLanguage, category_column
from lib.db import LedgerDay

NO_CATEGORY = "(no category)"


def price_points(grid: pd.DataFrame, language: CategoryLanguage) -> tuple[pd.DataFrame, int]:
    """Rows with both TCC and TSP in TRY, as ``ps_id, category, tcc_try, tsp_try``; and how
    many rows were left out for lacking one of them (disabled, or no rate)."""
    complete = grid["tcc_try"].notna() & grid["tsp_try"].notna()
    points = pd.DataFrame(
        {
            "ps_id": grid.loc[complete, "ps_id"].map(html.escape),
            "category": _category_labels(grid.loc[complete], language),
            "tcc_try": grid.loc[complete, "tcc_try"].astype(float),
            "tsp_try": grid.loc[complete, "tsp_try"].astype(float),
        }
    )
    return points, int((~complete).sum())


def price_scatter(points: pd.DataFrame) -> go.Figure:
    """TSP against TCC, both in TRY, one colour per category (WebGL, for 50,000 points)."""
    # Plain graph objects with numpy arrays: plotly.express takes ~10x longer at 50,000 points.
    figure = go.Figure(
        [
            go.Scattergl(
                x=group["tcc_try"].to_numpy(),
                y=group["tsp_try"].to_numpy(),
                hovertext=group["ps_id"].to_numpy(),
                mode="markers",
                name=category,
                marker={"size": 4, "opacity": 0.6},
            )
            for category, group in points.groupby("category", sort=True)
        ]
    )
    figure.update_layout(
        xaxis_title="TCC (TRY)", yaxis_title="TSP (TRY)", legend_title_text="Category"
    )
    return figure


def margin_summary(grid: pd.DataFrame, language: CategoryLanguage) -> pd.DataFrame:
    """Per category, the margin as % of TSP: count, min, quartiles and max; lowest median first.

    Rows without a margin (TCC or TSP missing) are not counted.
    """
    margins = pd.DataFrame(
        {
            "category": _category_labels(grid, language),
            "margin_pct": pd.to_numeric(grid["margin_pct"], errors="coerce"),
        }
    ).dropna(subset=["margin_pct"])
    grouped = margins.groupby("category")["margin_pct"]
    summary = grouped.quantile([0, 0.25, 0.5, 0.75, 1]).unstack()
    summary.columns = ["min", "q1", "median", "q3", "max"]
    summary.insert(0, "count", grouped.size())
    return summary.sort_values("median").reset_index()


def margin_boxes(summary: pd.DataFrame) -> go.Figure:
    """Box per category from ``margin_summary``: whiskers at min and max, box at the quartiles."""
    figure = go.Figure(
        go.Box(
            x=summary["category"],
            lowerfence=summary["min"],
            q1=summary["q1"],
            median=summary["median"],
            q3=summary["q3"],
            upperfence=summary["max"],
            customdata=summary["count"],
            name="Margin % of TSP",
            hovertemplate="%{x}: %{customdata} products<extra></extra>",
        )
    )
    figure.update_layout(yaxis_title="Margin (% of TSP)", xaxis_title="Category", showlegend=False)
    return figure


def _category_labels(grid: pd.DataFrame, language: CategoryLanguage) -> pd.Series:
    names = grid[category_column(language)]
    return names.map(lambda name: html.escape(name) if isinstance(name, str) else NO_CATEGORY)


def sales_history_figure(days: Sequence[LedgerDay]) -> go.Figure:
    """Units sold per day as bars, stock on hand as a line, stockout days (stock 0) marked."""
    sold = go.Bar(
        x=[d.day for d in days], y=[d.quantity for d in days], name="Sold", marker_color="#4c78a8"
    )
    stocked = [d for d in days if d.stock_on_hand is not None]
    stock = go.Scatter(
        x=[d.day for d in stocked],
        y=[d.stock_on_hand for d in stocked],
        name="Stock on hand",
        mode="lines",
        yaxis="y2",
        line={"color": "#f58518"},
    )
    out = [d.day for d in stocked if d.stock_on_hand == 0]
    stockouts = go.Scatter(
        x=out,
        y=[0] * len(out),
        name="Out of stock",
        mode="markers",
        marker={"symbol": "x", "color": "#e45756", "size": 9},
    )
    figure = go.Figure([sold, stock, stockouts])
    figure.update_layout(
        height=280,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={"title": "Units sold"},
        yaxis2={"title": "Stock", "overlaying": "y", "side": "right", "rangemode": "tozero"},
        legend={"orientation": "h"},
    )
    return figure
