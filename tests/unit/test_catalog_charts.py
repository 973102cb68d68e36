"""Chart data for the Catalog page: what is plotted, what is left out, and escaping."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from lib.db import LedgerDay
from lib.ui.charts import (
    NO_CATEGORY,
    margin_boxes,
    margin_summary,
    price_points,
    price_scatter,
    sales_history_figure,
)


def grid() -> pd.DataFrame:
    """Grid rows (floats, as the page shows them) for five products."""
    return pd.DataFrame(
        {
            "ps_id": ["ps_1", "ps_2", "ps_3", "ps_<b>4</b>", "ps_5"],
            "category_en": ["Vibrators", "Vibrators", "<i>Gels</i>", None, "Vibrators"],
            "category_ru": ["Вибраторы", "Вибраторы", "Гели", None, "Вибраторы"],
            "tcc_try": [100.0, 200.0, float("nan"), 50.0, 300.0],
            "tsp_try": [150.0, 260.0, 90.0, 40.0, float("nan")],
            "margin_pct": [33.33, 23.08, float("nan"), -25.0, 10.0],
        }
    )


def test_price_points_need_both_prices_and_count_the_rest() -> None:
    points, left_out = price_points(grid(), "en")
    assert left_out == 2
    assert list(points["ps_id"]) == ["ps_1", "ps_2", "ps_&lt;b&gt;4&lt;/b&gt;"]
    assert list(points["category"]) == ["Vibrators", "Vibrators", NO_CATEGORY]
    figure = price_scatter(points)
    assert sorted(trace.name for trace in figure.data) == [NO_CATEGORY, "Vibrators"]


def test_margin_summary_per_category_lowest_median_first() -> None:
    summary = margin_summary(grid(), "ru")
    assert list(summary["category"]) == [NO_CATEGORY, "Вибраторы"]
    vibrators = summary.iloc[1]
    assert vibrators["count"] == 3
    assert (vibrators["min"], vibrators["median"], vibrators["max"]) == (10.0, 23.08, 33.33)
    assert math.isclose(vibrators["q1"], 16.54)  # halfway between 10.00 and 23.08
    figure = margin_boxes(summary)
    assert list(figure.data[0].x) == [NO_CATEGORY, "Вибраторы"]


def test_category_names_are_escaped_for_plotly() -> None:
    summary = margin_summary(grid().assign(margin_pct=[1.0, 2.0, 3.0, 4.0, 5.0]), "en")
    assert "&lt;i&gt;Gels&lt;/i&gt;" in list(summary["category"])


def test_sales_history_marks_stockout_days_and_skips_unknown_stock() -> None:
    days = [
        LedgerDay(date(2025, 11, 1), 4, 10),
        LedgerDay(date(2025, 11, 2), 0, 0),
        LedgerDay(date(2025, 11, 3), 2, None),
    ]
    sold, stock, stockouts = sales_history_figure(days).data
    assert list(sold.y) == [4, 0, 2]
    assert list(stock.x) == [date(2025, 11, 1), date(2025, 11, 2)]  # no stock sent on the 3rd
    assert list(stockouts.x) == [date(2025, 11, 2)]
