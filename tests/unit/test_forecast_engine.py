"""The forecast engine chooses per product the model its own history favours, leaves
stockout days out of the error, and sizes safety stock from that model's errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.reorder.engine_lines import safety_stock, with_engine
from lib.reorder.forecast import SalesMatrix
from lib.reorder.forecast_engine import (
    INTERMITTENT_MODELS,
    TODAY,
    accuracy,
    backtest_models,
    choose,
    chosen_predictions,
    forecast_products,
    mean_absolute_errors,
)

DAYS = pd.date_range("2026-01-05", periods=112, freq="D")  # a Monday, 16 weeks


def _matrix(*rows: np.ndarray, valid: np.ndarray | None = None) -> SalesMatrix:
    quantity = np.vstack(rows).astype(float)
    mask = np.ones_like(quantity, dtype=bool) if valid is None else valid
    ids = np.array([f"ps_{i}" for i in range(len(rows))], dtype=object)
    return SalesMatrix(ids, DAYS, quantity, mask, np.ones(len(rows)))


def _weekly_with_a_step() -> np.ndarray:
    """Weekends sell 9, weekdays 1; from week 8 on, twice that."""
    weekly = np.tile([1, 1, 1, 1, 1, 9, 9], 16).astype(float)
    weekly[56:] *= 2
    return weekly


def _sparse_slowing() -> np.ndarray:
    """3 units every other day for 8 weeks, then 3 units every 9 days."""
    sparse = np.zeros(112)
    sparse[0:56:2] = 3
    sparse[56::9] = 3
    return sparse


@pytest.fixture(scope="module")
def engine_forecast():
    return forecast_products(_matrix(_weekly_with_a_step(), _sparse_slowing()), 14)


def test_a_weekly_pattern_is_forecast_by_seasonal_naive_not_croston(engine_forecast) -> None:
    assert engine_forecast.model[0] == "SeasonalNaive"
    assert engine_forecast.mae[0] == pytest.approx(0.0)
    # The next two weeks repeat the last one: weekdays 2, weekends 18 (the history ends
    # on a Sunday, so the forecast starts on a Monday).
    assert list(engine_forecast.daily[0, :7]) == pytest.approx([2, 2, 2, 2, 2, 18, 18])


def test_a_sparse_series_is_forecast_by_an_intermittent_model(engine_forecast) -> None:
    assert engine_forecast.model[1] in INTERMITTENT_MODELS
    # Its forecast follows the slower recent rate (0.3 a day), not the history's mean.
    assert engine_forecast.daily[1, :14].sum() < 0.8 * 14 * _sparse_slowing().mean()
    assert engine_forecast.spread[1] > 0


def test_stockout_days_count_in_no_model_s_error() -> None:
    steady = np.full(112, 5.0)
    valid = np.ones((1, 112), dtype=bool)
    steady[-10:] = 0  # the shelf was empty for the last 10 days
    valid[0, -10:] = False
    backtests = backtest_models(_matrix(steady, valid=valid), (TODAY,))

    assert mean_absolute_errors(backtests)[0, 0] == pytest.approx(0.0)
    wape, bias = accuracy(chosen_predictions(backtests, choose(backtests)), backtests)
    assert (wape, bias) == pytest.approx((0.0, 0.0))


def test_a_short_history_falls_back_to_today_s_method() -> None:
    short = _matrix(np.tile([1, 1, 1, 1, 1, 9, 9], 16).astype(float))
    short.valid[0, :77] = False  # only five weeks known
    short.quantity[0, :77] = 0
    assert forecast_products(short, 7).model[0] == TODAY


def test_safety_stock_follows_the_abc_class_service_level() -> None:
    levels = {"A": 0.98, "B": 0.95, "C": 0.90}
    spread = pd.Series([2.0, 2.0, 2.0, 0.0])
    stock = safety_stock(
        spread, pd.Series([16, 16, 16, 16]), pd.Series(["A", "B", "C", "A"]), levels
    )
    # z(0.98) 2.054, z(0.95) 1.645, z(0.90) 1.282, times 2 × √16.
    assert list(stock.round(2)) == [16.43, 13.16, 10.25, 0.0]


def test_lines_without_a_stored_forecast_show_none() -> None:
    proposal = pd.DataFrame(
        {
            "ps_id": ["ps_1", "ps_2"],
            "lead_time_days": [3, 3],
            "review_period_days": [4, 4],
            "abc": ["A", "C"],
        }
    )
    stored = pd.DataFrame(
        {"ps_id": ["ps_1"], "model": ["TSB"], "mae": [0.5], "spread": [1.0], "daily": [[1.0] * 10]}
    )
    lines = with_engine(proposal, stored, {"A": 0.98, "B": 0.95, "C": 0.90})

    assert lines["engine_model"].tolist()[0] == "TSB"
    assert lines["engine_forecast"].tolist()[0] == pytest.approx(7.0)
    assert pd.isna(lines["engine_model"][1]) and pd.isna(lines["engine_safety_stock"][1])
