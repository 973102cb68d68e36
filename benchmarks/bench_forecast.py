"""The forecast engine (issue 19): accuracy of the per-product choice against today's
method and each single model, and the time of a whole run.

Accuracy, on the sandbox's history and on a synthetic 365-day one (intermittent,
weekly-seasonal and yearly-seasonal products, stockouts), over the same 4-week
rolling-origin backtest in one run: WAPE and bias (sum of errors over sum sold, stockout
days left out) of every candidate alone, and of the per-product choice twice: chosen and
scored on the same 4 weeks (what the engine reports, optimistic), and chosen on weeks
1–3 then scored on week 4 (held out, beside every model's week 4).

Time: ``forecast_products`` on ``BENCH_FORECAST_PRODUCTS`` (default 50,000) synthetic
products × 365 days, in a fresh process with an empty numba cache (first call: import
and compile included), then in another with that cache warm. Goal: warm under 60 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from time import perf_counter

import numpy as np
import pandas as pd

from lib.reorder.forecast import SalesMatrix, history_frame, sales_matrix
from lib.reorder.forecast_engine import (
    STEP,
    Backtests,
    accuracy,
    backtest_models,
    choose,
    chosen_predictions,
    forecast_products,
)

ACCURACY_PRODUCTS = 1_000
DAYS = 365
HORIZON = 28
START = pd.Timestamp("2025-11-24")


def synthetic(products: int, days: int = DAYS, seed: int = 19) -> SalesMatrix:
    """A third intermittent (sparse, level drifting), a third weekly seasonal, a third
    weekly and yearly seasonal with a trend; 3% of days are stockouts (nothing sold)."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)[None, :]
    kind = np.arange(products) % 3
    level = rng.lognormal(1, 0.6, (products, 1))
    weekly = 1 + 0.5 * np.sin(2 * np.pi * (t + rng.integers(0, 7, (products, 1))) / 7)
    yearly = 1 + 0.4 * np.sin(2 * np.pi * (t + rng.integers(0, 365, (products, 1))) / 365)
    trend = 1 + rng.uniform(-0.3, 0.6, (products, 1)) * t / days
    drift = np.clip(1 + np.cumsum(rng.normal(0, 0.05, (products, days)), axis=1), 0.2, 3)
    rate = np.where(
        kind[:, None] == 0,
        rng.uniform(0.05, 0.4, (products, 1)) * drift,
        level * weekly * np.where(kind[:, None] == 2, yearly * trend, 1.0),
    )
    quantity = rng.poisson(rate).astype(float)
    stockout = rng.random((products, days)) < 0.03
    quantity[stockout] = 0
    ids = np.array([f"ps_{n:06d}" for n in range(products)], dtype=object)
    dates = pd.date_range(START - pd.Timedelta(days=days), periods=days, freq="D")
    return SalesMatrix(ids, dates, quantity, ~stockout, np.full(products, 10.0))


def _week(backtests: Backtests, week: slice) -> Backtests:
    return Backtests(
        backtests.models,
        backtests.predictions[:, :, week],
        backtests.actual[:, week],
        backtests.valid[:, week],
    )


def _table(matrix: SalesMatrix) -> pd.DataFrame:
    """WAPE and bias per candidate and of the choice, same 4 weeks and held-out week 4."""
    backtests = backtest_models(matrix)
    early, last = _week(backtests, slice(0, 3 * STEP)), _week(backtests, slice(3 * STEP, None))
    rows = {}
    for index, name in enumerate(backtests.models):
        # A model not fitted on a short series is scored by today's method there.
        fallback = np.where(
            np.isnan(backtests.predictions[index]),
            backtests.predictions[0],
            backtests.predictions[index],
        )
        rows[name] = (
            *accuracy(fallback, backtests),
            *accuracy(fallback[:, 3 * STEP :], last),
        )
    same = accuracy(chosen_predictions(backtests, choose(backtests)), backtests)
    held = accuracy(chosen_predictions(last, choose(early)), last)
    rows["per-product choice"] = (*same, *held)
    return pd.DataFrame(
        rows, index=["WAPE 4 weeks", "bias 4 weeks", "WAPE week 4", "bias week 4"]
    ).T


def _print_table(table: pd.DataFrame) -> None:
    shares = {c: (lambda v: f"{v:.1%}") for c in table.columns if c.startswith("WAPE")}
    signed = {c: (lambda v: f"{v:+.1%}") for c in table.columns if c.startswith("bias")}
    print(table.to_string(formatters={**shares, **signed}))


def _sandbox() -> SalesMatrix:
    from lib.sandbox.embedded import demo_base_url, sandbox_sales_history
    from lib.settings import Settings

    demo_base_url(Settings(pleasurestock_api_key=""))
    return sales_matrix(history_frame(sandbox_sales_history()))


def _time_run(products: int) -> None:
    """In a child process: one whole engine run, import and first compile included."""
    matrix = synthetic(products)
    began = perf_counter()
    forecast_products(matrix, HORIZON)
    print(f"{perf_counter() - began:.1f}")


def _timed_child(products: int, cache: str) -> float:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache, "NIXTLA_NUMBA_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_forecast", str(products)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print the accuracy tables and the timings."""
    sandbox = _sandbox()
    products, days = sandbox.quantity.shape
    print(f"Sandbox history: {products:,} products × {days} days")
    _print_table(_table(sandbox))
    print(f"\nSynthetic history: {ACCURACY_PRODUCTS:,} products × {DAYS} days")
    _print_table(_table(synthetic(ACCURACY_PRODUCTS)))
    products = int(os.environ.get("BENCH_FORECAST_PRODUCTS", "50000"))
    with tempfile.TemporaryDirectory() as cache:
        cold = _timed_child(products, cache)
        warm = _timed_child(products, cache)
    print(f"\nWhole run, {products:,} products × {DAYS} days, 1 process:")
    print(f"  first call (empty numba cache): {cold:.1f} s")
    print(f"  cache warm:                     {warm:.1f} s  (goal: under 60 s)")


if __name__ == "__main__":
    _time_run(int(sys.argv[1]))
