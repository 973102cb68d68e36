"""Our cross-check forecast from daily sales history, vectorised over products × days.

Stockout days (stock on hand 0) are left out: a shelf that is empty sells nothing,
which says nothing about demand. Regular movers get a normal-approximation safety
stock; intermittent ones (average interval between sales above 1.32 days, the
Syntetos-Boylan cut-off) get a Poisson quantile instead, because the normal
approximation of a demand that is mostly zeros puts the order-up-to level too low.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

import numpy as np
import pandas as pd

NORMAL = "normal"
POISSON = "Poisson quantile"
INTERMITTENT_INTERVAL = 1.32
BACKTEST_DAYS = 28
HISTORY_COLUMNS = ("ps_id", "day", "quantity", "stock_on_hand")


@dataclass(frozen=True)
class SalesMatrix:
    """Daily sales of many products: rows are products, columns consecutive days."""

    ps_ids: np.ndarray
    days: pd.DatetimeIndex
    quantity: np.ndarray
    valid: np.ndarray  # False on stockout days and before the product's first row
    last_stock: np.ndarray  # last known stock on hand, NaN when never reported


def sales_matrix(history: pd.DataFrame) -> SalesMatrix:
    """Pivot a long history (``HISTORY_COLUMNS``) into a products × days matrix."""
    missing = set(HISTORY_COLUMNS) - set(history.columns)
    if missing:
        raise ValueError(f"sales history lacks the columns {sorted(missing)}")
    frame = history.assign(day=pd.to_datetime(history["day"]))
    if frame.empty:
        return SalesMatrix(
            np.array([], dtype=object),
            pd.DatetimeIndex([]),
            np.zeros((0, 0)),
            np.zeros((0, 0), dtype=bool),
            np.zeros(0),
        )
    days = pd.date_range(frame["day"].min(), frame["day"].max(), freq="D")
    ps_codes, ps_ids = pd.factorize(frame["ps_id"], sort=True)
    day_codes = (frame["day"] - days[0]).dt.days.to_numpy()
    shape = (len(ps_ids), len(days))
    quantity = np.zeros(shape)
    quantity[ps_codes, day_codes] = frame["quantity"].to_numpy(dtype=float)
    stock = np.full(shape, np.nan)
    stock[ps_codes, day_codes] = (
        pd.to_numeric(frame["stock_on_hand"]).astype("Float64").to_numpy(float, na_value=np.nan)
    )
    has_row = np.zeros(shape, dtype=bool)
    has_row[ps_codes, day_codes] = True
    # A day without a row after the product's first one sold nothing (sales files often
    # list only days with sales); a day with stock on hand 0 is a stockout, left out.
    first = np.argmax(has_row, axis=1)
    valid = (np.arange(shape[1])[None, :] >= first[:, None]) & ~(stock == 0)
    known = ~np.isnan(stock)
    last_index = np.where(known.any(axis=1), shape[1] - 1 - np.argmax(known[:, ::-1], axis=1), 0)
    last_stock = np.where(known.any(axis=1), stock[np.arange(shape[0]), last_index], np.nan)
    return SalesMatrix(np.asarray(ps_ids, dtype=object), days, quantity, valid, last_stock)


def history_frame(rows: Iterable[tuple[str, object, int, int | None]]) -> pd.DataFrame:
    """Rows of (ps id, day, quantity, stock on hand) as a history frame."""
    return pd.DataFrame(list(rows), columns=list(HISTORY_COLUMNS))


def ledger_history(ledger: pd.DataFrame) -> pd.DataFrame:
    """The sales ledger's ``sent_between`` frame as a history frame."""
    return ledger.rename(columns={"date": "day", "stock": "stock_on_hand"})[list(HISTORY_COLUMNS)]


def _weekday_counts(start: date, length: int) -> np.ndarray:
    """How often each weekday (Monday = 0) occurs in ``length`` days from ``start``."""
    counts = np.zeros(7)
    for offset in range(length):
        counts[(start + timedelta(days=offset)).weekday()] += 1
    return counts


def _poisson_quantile(mean: np.ndarray, level: float) -> np.ndarray:
    """Smallest k with P(X <= k) >= level for X ~ Poisson(mean), element-wise."""
    pmf = np.exp(-mean)
    cdf = pmf.copy()
    k = np.zeros_like(mean)
    step = 0
    while (open_ := cdf < level).any():
        step += 1
        pmf = pmf * mean / step
        cdf = cdf + pmf
        k = np.where(open_, step, k)
    return k


@dataclass(frozen=True)
class ForecastSettings:
    """Lead time and review period in days, service level in (0, 1); per row or scalar."""

    lead_time_days: np.ndarray | int
    review_period_days: np.ndarray | int
    service_level: np.ndarray | float


@dataclass(frozen=True)
class _Fit:
    average: np.ndarray
    variance: np.ndarray
    intermittent: np.ndarray
    factors: np.ndarray  # products × 7 weekday multipliers of the average


def _fit(matrix: SalesMatrix) -> _Fit:
    q, valid = matrix.quantity, matrix.valid
    n = q.shape[0]
    valid_days = valid.sum(axis=1)
    sold = np.where(valid, q, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        average = np.where(valid_days > 0, sold.sum(axis=1) / valid_days, 0.0)
        deviation = np.where(valid, q - average[:, None], 0.0)
        variance = np.where(
            valid_days > 1, (deviation**2).sum(axis=1) / np.maximum(valid_days - 1, 1), 0.0
        )
        selling_days = (valid & (q > 0)).sum(axis=1)
        interval = np.where(selling_days > 0, valid_days / selling_days, np.inf)
    weekday_of = matrix.days.day_of_week.to_numpy()
    factors = np.ones((n, 7))
    safe_average = np.where(average > 0, average, 1.0)
    for weekday in range(7):
        on_day = valid & (weekday_of == weekday)[None, :]
        count = on_day.sum(axis=1)
        mean_day = np.where(on_day, q, 0.0).sum(axis=1) / np.maximum(count, 1)
        factors[:, weekday] = np.where((count > 0) & (average > 0), mean_day / safe_average, 1.0)
    intermittent = interval > INTERMITTENT_INTERVAL
    # Per-weekday means of a mostly-zero series are noise, not a pattern.
    factors[intermittent] = 1.0
    return _Fit(average, variance, intermittent, factors)


def cross_check(matrix: SalesMatrix, settings: ForecastSettings, start: date) -> pd.DataFrame:
    """Per product: average daily sales (stockout days excluded), weekday-aware forecast
    over the lead time and over lead time + review period from ``start``, safety stock
    for the service level, the method used and the order-up-to level.
    """
    fit = _fit(matrix)
    average, variance, intermittent, factors = (
        fit.average,
        fit.variance,
        fit.intermittent,
        fit.factors,
    )
    n = len(average)
    lead = np.broadcast_to(np.asarray(settings.lead_time_days, dtype=int), (n,))
    review = np.broadcast_to(np.asarray(settings.review_period_days, dtype=int), (n,))
    level = np.broadcast_to(np.asarray(settings.service_level, dtype=float), (n,))
    horizon = lead + review
    forecast = np.zeros(n)
    lead_forecast = np.zeros(n)
    for length in np.unique(horizon):
        rows = horizon == length
        forecast[rows] = average[rows] * (factors[rows] @ _weekday_counts(start, int(length)))
    for length in np.unique(lead):
        rows = lead == length
        lead_forecast[rows] = average[rows] * (factors[rows] @ _weekday_counts(start, int(length)))

    z = np.array([NormalDist().inv_cdf(value) for value in level]) if n else np.zeros(0)
    normal_safety = z * np.sqrt(variance) * np.sqrt(horizon)
    poisson_safety = np.zeros(n)
    for value in np.unique(level):
        rows = intermittent & (level == value)
        if rows.any():
            mean = average[rows] * horizon[rows]
            poisson_safety[rows] = _poisson_quantile(mean, float(value)) - mean
    safety = np.where(intermittent, poisson_safety, normal_safety)
    return pd.DataFrame(
        {
            "ps_id": matrix.ps_ids,
            "our_avg_daily_sales": average,
            "forecast_lead_time": lead_forecast,
            "forecast_horizon": forecast,
            "safety_stock": safety,
            "order_up_to": forecast + safety,
            "method": np.where(intermittent, POISSON, NORMAL),
            "last_stock": matrix.last_stock,
        }
    )


def our_quantity(order_up_to: pd.Series, stock: pd.Series, on_order: pd.Series) -> pd.Series:
    """Units to order so stock + on order reaches the order-up-to level (never negative)."""
    raw = np.ceil(order_up_to.to_numpy(float) - stock.to_numpy(float) - on_order.to_numpy(float))
    return pd.Series(np.maximum(raw, 0).astype(int), index=order_up_to.index)


def first_days(matrix: SalesMatrix, cut: int) -> SalesMatrix:
    """The history of ``matrix`` before its day number ``cut`` (what a backtest fits on)."""
    return SalesMatrix(
        matrix.ps_ids,
        matrix.days[:cut],
        matrix.quantity[:, :cut],
        matrix.valid[:, :cut],
        matrix.last_stock,
    )


def weekday_rates(train: SalesMatrix, days: pd.DatetimeIndex) -> np.ndarray:
    """Our expected sales of each product (rows) on each of ``days`` (columns), fitted on
    ``train``: the average of non-stockout days times that weekday's factor."""
    fit = _fit(train)
    return fit.average[:, None] * fit.factors[:, days.day_of_week.to_numpy()]


@dataclass(frozen=True)
class Backtest:
    """Accuracy of our daily forecast over the held-out last weeks, all products together."""

    wape: float | None  # sum |forecast - actual| / sum actual
    bias: float | None  # sum (forecast - actual) / sum actual; > 0 means over-forecast
    days: int


def backtest(matrix: SalesMatrix, days: int = BACKTEST_DAYS) -> Backtest:
    """Forecast each of the last ``days`` days from the history before them; compare on
    days that were not stockouts."""
    total_days = matrix.quantity.shape[1]
    if total_days <= days + 7 or matrix.quantity.shape[0] == 0:
        return Backtest(None, None, days)
    cut = total_days - days
    daily = weekday_rates(first_days(matrix, cut), matrix.days[cut:])
    actual = matrix.quantity[:, cut:]
    mask = matrix.valid[:, cut:]
    sold = np.where(mask, actual, 0.0).sum()
    if sold == 0:
        return Backtest(None, None, days)
    error = np.where(mask, daily - actual, 0.0)
    return Backtest(float(np.abs(error).sum() / sold), float(error.sum() / sold), days)


DISAGREEMENT = 0.5


def compare_with_api(proposal: pd.DataFrame, ours: pd.DataFrame) -> pd.DataFrame:
    """The proposal with our forecast beside it: ``our_quantity`` (order-up-to minus stock
    minus on order), the method used, and ``disagrees`` when ours and the API's quantity
    differ by more than half the larger one (and by at least 2 units)."""
    merged = proposal.merge(ours.drop(columns=["last_stock"]), on="ps_id", how="left")
    has_history = merged["order_up_to"].notna()
    merged["method"] = merged["method"].fillna("no history")
    quantity = our_quantity(merged["order_up_to"].fillna(0), merged["stock"], merged["on_order"])
    merged["our_quantity"] = quantity.where(has_history).astype("Int64")
    api = merged["recommended"] - merged["on_order"]
    gap = (merged["our_quantity"] - api.clip(lower=0)).abs()
    larger = np.maximum(merged["our_quantity"].fillna(0).to_numpy(float), api.clip(lower=0))
    merged["disagrees"] = (has_history & (gap >= 2) & (gap > DISAGREEMENT * larger)).fillna(False)
    return merged


def projected_stock(
    stock: float, daily_rate: float, lead_time_days: int, quantity: int, start: date, days: int
) -> pd.DataFrame:
    """Day by day from ``start``: forecast sales and the stock left if ``quantity`` arrives
    after the lead time (stock never goes below zero)."""
    day = [start + timedelta(days=offset) for offset in range(days)]
    sold = np.full(days, daily_rate)
    arriving = np.zeros(days)
    if 0 <= lead_time_days < days:
        arriving[lead_time_days] = quantity
    level = np.zeros(days)
    current = float(stock)
    for index in range(days):
        current = max(current + arriving[index] - sold[index], 0.0)
        level[index] = current
    return pd.DataFrame({"day": day, "forecast": sold, "projected_stock": level})
