"""Our reorder cross-check forecast over 50,000 products × 120 days.

Times building the products × days matrix from the long history, the vectorised
cross-check (average without stockout days, weekday factors, normal or Poisson safety
stock) and the 4-week backtest; then compares the cross-check with the same function
called product by product on a sample, scaled to 50,000.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from benchmarks.timing import compare, median_seconds
from lib.reorder.forecast import ForecastSettings, SalesMatrix, backtest, cross_check, sales_matrix

PRODUCTS = 50_000
DAYS = 120
SAMPLE = 500
REPEAT = 5
START = date(2026, 11, 25)


def _history(rng: np.random.Generator) -> pd.DataFrame:
    rate = np.where(
        rng.random(PRODUCTS) < 0.3,
        rng.uniform(0.05, 0.4, PRODUCTS),
        rng.lognormal(1, 0.8, PRODUCTS),
    )
    quantity = rng.poisson(rate[:, None] * np.ones((1, DAYS)))
    stock = rng.integers(0, 40, size=(PRODUCTS, DAYS))
    days = pd.date_range(START - timedelta(days=DAYS), periods=DAYS, freq="D")
    return pd.DataFrame(
        {
            "ps_id": np.repeat([f"ps_{n:08d}" for n in range(PRODUCTS)], DAYS),
            "day": np.tile(days.to_numpy(), PRODUCTS),
            "quantity": quantity.ravel(),
            "stock_on_hand": stock.ravel(),
        }
    )


def _rows(matrix: SalesMatrix, rows: slice) -> SalesMatrix:
    return SalesMatrix(
        matrix.ps_ids[rows],
        matrix.days,
        matrix.quantity[rows],
        matrix.valid[rows],
        matrix.last_stock[rows],
    )


def main() -> None:
    """Print the timings."""
    rng = np.random.default_rng(8)
    history = _history(rng)
    settings = ForecastSettings(rng.integers(2, 15, PRODUCTS), rng.integers(7, 15, PRODUCTS), 0.95)
    build = median_seconds(lambda: sales_matrix(history), repeat=3)
    matrix = sales_matrix(history)
    vectorised = median_seconds(lambda: cross_check(matrix, settings, START), repeat=REPEAT)
    tested = median_seconds(lambda: backtest(matrix), repeat=REPEAT)

    sample = _rows(matrix, slice(0, SAMPLE))
    sample_settings = ForecastSettings(
        settings.lead_time_days[:SAMPLE], settings.review_period_days[:SAMPLE], 0.95
    )

    def per_product() -> None:
        for row in range(SAMPLE):
            one = ForecastSettings(
                sample_settings.lead_time_days[row : row + 1],
                sample_settings.review_period_days[row : row + 1],
                0.95,
            )
            cross_check(_rows(sample, slice(row, row + 1)), one, START)

    timed = compare(
        {
            "vectorised": lambda: cross_check(sample, sample_settings, START),
            "loop": per_product,
        },
        repeat=3,
    )
    loop_full = timed["loop"] / SAMPLE * PRODUCTS
    print(f"reorder cross-check, {PRODUCTS:,} products × {DAYS} days ({len(history):,} rows)")
    print(f"  history -> matrix:          {build:8.3f} s")
    print(f"  cross-check (vectorised):   {vectorised:8.3f} s")
    print(f"  4-week backtest:            {tested:8.3f} s")
    print(
        f"  on {SAMPLE} products: vectorised {timed['vectorised']:.4f} s, "
        f"per-product loop {timed['loop']:.3f} s ({timed['loop'] / timed['vectorised']:.0f}×)"
    )
    print(
        f"  loop scaled to {PRODUCTS:,}:   {loop_full:8.1f} s "
        f"(~{loop_full / vectorised:.0f}× the vectorised run)"
    )
