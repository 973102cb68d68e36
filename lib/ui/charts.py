"""Every Plotly figure the pages show: the catalog's prices, margins and sales history, the
pricing preview's changes, and the reorder proposal's supplier costs and product outlook.

Charts take the pages' rows (money as floats, which is fine for a picture). Text from
upstream (category, supplier and product names, ps ids) is HTML-escaped, because Plotly
reads ``<b>``, ``<a href>`` and similar tags in labels and titles as markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from lib.catalog.table import CategoryLanguage, category_column
from lib.db import LedgerDay
from lib.reorder.forecast import projected_stock

NO_CATEGORY = "(no category)"

# -- catalog ------------------------------------------------------------------------------


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


# -- pricing ------------------------------------------------------------------------------


def price_change_histogram(changes: pd.Series) -> go.Figure:
    """How many products change their TSP by how much (% of the old TSP), in 40 bins."""
    # Graph objects, not plotly.express: importing express adds half a second to the start
    # of every page that imports this module.
    figure = go.Figure(
        go.Histogram(
            x=changes.to_numpy(dtype=float),
            nbinsx=40,
            hovertemplate="Change of TSP: %{x}%<br>Products: %{y}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis_title="Change of TSP (%)",
        yaxis_title="Products",
        showlegend=False,
        height=320,
        margin={"t": 30},
    )
    return figure


# -- reorder ------------------------------------------------------------------------------


def supplier_cost_figure(suppliers: pd.Series, cost_try: pd.Series) -> go.Figure:
    """Landed cost per supplier in TRY as bars, one per supplier name."""
    figure = go.Figure(
        go.Bar(x=suppliers.map(lambda s: html.escape(str(s))), y=cost_try.map(float))
    )
    figure.update_layout(title="Landed cost per supplier (TRY)", height=300)
    # Supplier ids such as "12" would otherwise make a numeric axis that drops the rest.
    figure.update_xaxes(type="category")
    return figure


def reorder_product_figure(row: pd.Series, history: pd.DataFrame, today: date) -> go.Figure:
    """One proposal line's sales history with stockout days marked, our forecast and the
    stock projected over lead time and review period with the line's quantity arriving."""
    own = history[history["ps_id"] == row["ps_id"]].sort_values("day")
    figure = go.Figure()
    figure.add_bar(x=pd.to_datetime(own["day"]), y=own["quantity"], name="Sold")
    stockouts = own[own["stock_on_hand"] == 0]
    figure.add_scatter(
        x=pd.to_datetime(stockouts["day"]),
        y=[0] * len(stockouts),
        mode="markers",
        marker={"symbol": "x", "color": "red", "size": 9},
        name="Stockout day",
    )
    horizon = int(row["lead_time_days"] + row["review_period_days"]) or 1
    rate = float(row["forecast_horizon"]) / horizon if pd.notna(row["forecast_horizon"]) else 0.0
    ahead = projected_stock(
        float(row["stock"]), rate, int(row["lead_time_days"]), int(row["quantity"]), today, horizon
    )
    days = pd.to_datetime(ahead["day"])
    figure.add_scatter(x=days, y=ahead["forecast"], name="Forecast", line={"dash": "dash"})
    figure.add_scatter(x=days, y=ahead["projected_stock"], name="Projected stock")
    figure.update_layout(title=html.escape(str(row["name"])), height=350)
    return figure
