"""Reorder and pricing charts: what is plotted, and upstream names escaped for Plotly."""

from __future__ import annotations

from datetime import date

import pandas as pd

from lib.ui.charts import price_change_histogram, reorder_product_figure, supplier_cost_figure

TODAY = date(2026, 11, 25)


def test_supplier_costs_are_bars_on_a_category_axis_with_names_escaped() -> None:
    figure = supplier_cost_figure(
        pd.Series(["12", "<b>Acme</b> & Co"]), pd.Series([100, 250.5], dtype=object)
    )
    [bars] = figure.data
    assert list(bars.x) == ["12", "&lt;b&gt;Acme&lt;/b&gt; &amp; Co"]
    assert list(bars.y) == [100.0, 250.5]
    assert figure.layout.xaxis.type == "category"


def test_a_product_shows_its_sales_stockouts_forecast_and_the_order_arriving() -> None:
    row = pd.Series(
        {
            "ps_id": "ps_1",
            "name": '<a href="https://example.com">Gel</a>',
            "lead_time_days": 2,
            "review_period_days": 2,
            "forecast_horizon": 8.0,  # units over lead time + review period: 2 a day
            "stock": 3,
            "quantity": 10,
        }
    )
    history = pd.DataFrame(
        {
            "ps_id": ["ps_1", "ps_1", "ps_2"],
            "day": [date(2026, 11, 24), date(2026, 11, 23), date(2026, 11, 24)],
            "quantity": [4, 1, 9],
            "stock_on_hand": [0, 4, 0],
        }
    )

    figure = reorder_product_figure(row, history, TODAY)

    sold, stockouts, forecast, projected = figure.data
    assert list(sold.y) == [1, 4]  # this product's days only, oldest first
    assert len(stockouts.x) == 1
    assert list(forecast.y) == [2.0] * 4
    assert list(projected.y) == [1.0, 0.0, 8.0, 6.0]  # the 10 units arrive on day 2
    assert figure.layout.title.text == "&lt;a href=&quot;https://example.com&quot;&gt;Gel&lt;/a&gt;"


def test_the_price_change_histogram_counts_each_product_once_in_40_bins() -> None:
    figure = price_change_histogram(pd.Series([-5.0, 0.0, 12.5]))
    [histogram] = figure.data
    assert list(histogram.x) == [-5.0, 0.0, 12.5]
    assert histogram.nbinsx == 40
    assert (figure.layout.xaxis.title.text, figure.layout.yaxis.title.text) == (
        "Change of TSP (%)",
        "Products",
    )
