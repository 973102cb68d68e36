"""The forecast engine: per product, the model with the lowest backtest error.

Candidates are our cross-check (``TODAY``, the weekday-aware mean of non-stockout days)
and statsforecast's intermittent (CrostonOptimized, TSB, ADIDA, IMAPA) and regular
(AutoETS, SeasonalNaive with a 7-day season) models. MSTL is left out: it fits an STL
decomposition per window and costs several times AutoETS, outside the time budget.

The backtest is rolling-origin: ``ORIGINS`` origins ``STEP`` days apart over the last
weeks, each forecasting the next ``STEP`` days from the history before it. The error is
the MAE in units per day over the days that were not stockouts; stockout days count for
no model. statsforecast wants series without gaps, so a stockout day is given to it as
the product's own weekday mean of valid days before the first origin (our cross-check's
rate for that day), and days before a product's first row are left out of its series;
statsforecast's models see at most the last ``FIT_DAYS`` before each origin.

statsforecast (and numba under it) is imported inside the functions that fit: importing
it costs seconds, and the app's pages never fit a model.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lib.reorder.forecast import SalesMatrix, first_days, weekday_rates

TODAY = "today's method"
INTERMITTENT_MODELS = ("CrostonOptimized", "TSB", "ADIDA", "IMAPA")
REGULAR_MODELS = ("AutoETS", "SeasonalNaive")
CANDIDATES = (TODAY, *INTERMITTENT_MODELS, *REGULAR_MODELS)
ORIGINS = 4
STEP = 7
SEASON = 7
# Shorter series are forecast by today's method alone: too little history to fit on.
MIN_STATS_DAYS = ORIGINS * STEP + 2 * SEASON
# statsforecast's models fit on the last 16 weeks before each origin at most: ETS on a
# whole year costs nearly three times as much, and no candidate models a yearly season.
FIT_DAYS = 16 * 7
# TSB has no optimiser in statsforecast: the smoothing of demand and of its probability.
TSB_ALPHA = 0.2


def _engine(names: list[str], n_jobs: int) -> Any:
    """A StatsForecast over the models ``names`` (the library is imported here, never at
    the app's start). Numba's compiled code is cached on disk, so only the first fit on a
    machine pays the compile, not every process's first."""
    os.environ.setdefault("NIXTLA_NUMBA_CACHE", "1")
    from statsforecast import StatsForecast

    return StatsForecast(models=[_model(name) for name in names], freq=1, n_jobs=n_jobs)


def _model(name: str) -> object:
    """A statsforecast model by its alias."""
    from statsforecast import models

    if name == "TSB":
        return models.TSB(alpha_d=TSB_ALPHA, alpha_p=TSB_ALPHA)
    if name == "AutoETS":
        # One form, additive error and weekly season without trend: AutoETS's own search
        # over forms costs some 50 times as much (108 s against 2 s for the sandbox's 800
        # products) for a choice the backtest makes between models anyway.
        return models.AutoETS(season_length=SEASON, model="ANA")
    if name == "SeasonalNaive":
        return models.SeasonalNaive(season_length=SEASON)
    return getattr(models, name)()


@dataclass(frozen=True)
class Backtests:
    """Every candidate's daily backtest forecasts beside what sold: ``predictions`` is
    models × products × days (NaN where a model was not fitted), ``valid`` False on
    stockout days and days before a product's history."""

    models: tuple[str, ...]
    predictions: np.ndarray
    actual: np.ndarray
    valid: np.ndarray


def _first_rows(matrix: SalesMatrix) -> np.ndarray:
    """Per product, the index of its first day with a row (valid or a stockout)."""
    started = matrix.valid | (matrix.quantity != 0)
    first = np.argmax(started, axis=1)
    return np.where(started.any(axis=1), first, matrix.quantity.shape[1])


def _imputed(matrix: SalesMatrix, fitted_on: SalesMatrix) -> np.ndarray:
    """The quantities with stockout days replaced by the product's weekday mean fitted on
    ``fitted_on`` (statsforecast takes no missing values)."""
    rates = weekday_rates(fitted_on, matrix.days)
    return np.where(matrix.valid, matrix.quantity, rates)


def _long(values: np.ndarray, first: np.ndarray, rows: np.ndarray) -> pd.DataFrame:
    """statsforecast's long frame of ``rows``: unique_id (row number), ds (day number), y."""
    days = values.shape[1]
    row_index, day_index = np.nonzero(np.arange(days)[None, :] >= first[rows][:, None])
    return pd.DataFrame(
        {
            "unique_id": rows[row_index],
            "ds": day_index,
            "y": values[rows[row_index], day_index],
        }
    )


def _stats_rows(matrix: SalesMatrix, first: np.ndarray, needed: int) -> np.ndarray:
    return np.flatnonzero(matrix.quantity.shape[1] - first >= needed)


def backtest_models(
    matrix: SalesMatrix, models: tuple[str, ...] = CANDIDATES, *, n_jobs: int = 1
) -> Backtests:
    """Every model's forecasts of the last ``ORIGINS * STEP`` days, rolling origin."""
    n, total = matrix.quantity.shape
    span = ORIGINS * STEP
    start = total - span
    predictions = np.full((len(models), n, span), np.nan)
    if start < SEASON or n == 0:
        return Backtests(models, predictions[:, :, :0], matrix.quantity[:, :0], matrix.valid[:, :0])
    for origin in range(ORIGINS):
        cut = start + origin * STEP
        window = slice(origin * STEP, (origin + 1) * STEP)
        if TODAY in models:
            rates = weekday_rates(first_days(matrix, cut), matrix.days[cut : cut + STEP])
            predictions[models.index(TODAY), :, window] = rates
    fitted = [name for name in models if name != TODAY]
    first = _first_rows(matrix)
    rows = _stats_rows(matrix, first, MIN_STATS_DAYS)
    if fitted and rows.size:
        values = _imputed(matrix, first_days(matrix, start))
        result = _engine(fitted, n_jobs).cross_validation(
            h=STEP,
            df=_long(values, first, rows),
            n_windows=ORIGINS,
            step_size=STEP,
            input_size=FIT_DAYS,
        )
        product = result["unique_id"].to_numpy(int)
        day = result["ds"].to_numpy(int) - start
        for name in fitted:
            predictions[models.index(name), product, day] = result[name].to_numpy(float)
    return Backtests(models, predictions, matrix.quantity[:, start:], matrix.valid[:, start:])


def mean_absolute_errors(backtests: Backtests) -> np.ndarray:
    """Models × products: MAE over valid backtest days (inf where a model did not run,
    NaN where a product had no valid day)."""
    error = np.abs(backtests.predictions - backtests.actual[None, :, :])
    counted = np.where(backtests.valid[None, :, :], error, 0.0)
    days = backtests.valid.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mae = counted.sum(axis=2) / days[None, :]
    return np.where(np.isnan(backtests.predictions).any(axis=2), np.inf, mae)


def choose(backtests: Backtests) -> np.ndarray:
    """Per product, the index of the model with the lowest MAE; ties (and products with
    no valid backtest day) go to the earlier model, today's method first."""
    mae = mean_absolute_errors(backtests)
    return np.argmin(np.nan_to_num(mae, nan=0.0), axis=0)


def accuracy(predictions: np.ndarray, backtests: Backtests) -> tuple[float | None, float | None]:
    """WAPE and bias (sum of errors over sum sold, valid days) of products × days
    ``predictions`` against the backtest's actual sales."""
    valid = backtests.valid & ~np.isnan(predictions)
    sold = np.where(valid, backtests.actual, 0.0).sum()
    if sold == 0:
        return None, None
    error = np.where(valid, predictions - backtests.actual, 0.0)
    return float(np.abs(error).sum() / sold), float(error.sum() / sold)


def chosen_predictions(backtests: Backtests, chosen: np.ndarray) -> np.ndarray:
    """Products × days: each product's backtest forecasts by its chosen model."""
    return backtests.predictions[chosen, np.arange(len(chosen)), :]


@dataclass(frozen=True)
class EngineForecast:
    """Per product: the chosen model, its backtest MAE (units a day), the spread (sample
    standard deviation) of its daily backtest errors, and its daily forecast for the
    ``days`` after the history (products × days)."""

    ps_ids: np.ndarray
    model: np.ndarray
    mae: np.ndarray
    spread: np.ndarray
    daily: np.ndarray


def _spread(backtests: Backtests, chosen: np.ndarray) -> np.ndarray:
    error = chosen_predictions(backtests, chosen) - backtests.actual
    valid = backtests.valid
    count = valid.sum(axis=1)
    mean = np.where(valid, error, 0.0).sum(axis=1) / np.maximum(count, 1)
    squares = np.where(valid, (error - mean[:, None]) ** 2, 0.0).sum(axis=1)
    return np.where(count > 1, np.sqrt(squares / np.maximum(count - 1, 1)), 0.0)


def forecast_products(
    matrix: SalesMatrix, days: int, models: tuple[str, ...] = CANDIDATES, *, n_jobs: int = 1
) -> EngineForecast:
    """Backtest every model, choose per product, and forecast ``days`` ahead with the
    chosen model fitted on the whole history."""
    n, total = matrix.quantity.shape
    if n == 0 or total == 0:
        none = np.zeros(0)
        return EngineForecast(matrix.ps_ids, none.astype(object), none, none, np.zeros((0, days)))
    backtests = backtest_models(matrix, models, n_jobs=n_jobs)
    chosen = choose(backtests)
    future = pd.date_range(matrix.days[-1] + pd.Timedelta(days=1), periods=days, freq="D")
    daily = weekday_rates(matrix, future)
    names = np.array(models, dtype=object)[chosen]
    first = _first_rows(matrix)
    values = _imputed(matrix, matrix)
    for index, name in enumerate(models):
        rows = np.flatnonzero(chosen == index)
        if name == TODAY or rows.size == 0:
            continue
        recent = _long(values, np.maximum(first, total - FIT_DAYS), rows)
        result = _engine([name], n_jobs).forecast(h=days, df=recent)
        product = result["unique_id"].to_numpy(int)
        step = result["ds"].to_numpy(int) - total
        daily[product, step] = result[name].to_numpy(float)
    mae = np.take_along_axis(mean_absolute_errors(backtests), chosen[None, :], axis=0)[0]
    # Forecast sales cannot go below zero (ETS on a falling series can).
    return EngineForecast(
        matrix.ps_ids, names, mae, _spread(backtests, chosen), np.maximum(daily, 0.0)
    )
