"""The stored engine forecast on the proposal's lines: model, backtest error, forecast
over lead time + review period and the safety stock from the forecast's own errors.

Safety stock is z(service level of the line's ABC class) × the spread of the model's
daily backtest errors × √(lead time + review period days): the errors of the days are
taken as independent. Lead-time variability is not in it yet (issue 19 part 3).
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import NormalDist

import numpy as np
import pandas as pd

ENGINE_COLUMNS = ("engine_model", "engine_mae", "engine_forecast", "engine_safety_stock")


def safety_stock(
    spread: pd.Series, horizon_days: pd.Series, abc: pd.Series, levels: Mapping[str, float]
) -> pd.Series:
    """Units of safety stock per line for its ABC class's service level (class C's
    level for a line without a class)."""
    level = abc.map(levels).fillna(levels["C"]).astype(float)
    z = level.map(NormalDist().inv_cdf)
    return z * spread.astype(float) * np.sqrt(horizon_days.astype(float))


def with_engine(
    proposal: pd.DataFrame, stored: pd.DataFrame, levels: Mapping[str, float]
) -> pd.DataFrame:
    """``proposal`` (with ``ps_id``, ``lead_time_days``, ``review_period_days``, ``abc``)
    with the engine's columns from ``stored`` (``ps_id``, ``model``, ``mae``, ``spread``,
    ``daily``: the list of daily forecasts); empty where the product has no forecast."""
    merged = proposal.merge(
        stored[["ps_id", "model", "mae", "spread", "daily"]], on="ps_id", how="left"
    )
    horizon = (merged["lead_time_days"] + merged["review_period_days"]).astype(int)
    has = merged["model"].notna()
    totals = [
        float(np.sum(daily[:days])) if isinstance(daily, list) else np.nan
        for daily, days in zip(merged["daily"], horizon, strict=True)
    ]
    merged["engine_model"] = merged["model"]
    merged["engine_mae"] = merged["mae"]
    merged["engine_forecast"] = totals
    merged["engine_safety_stock"] = safety_stock(
        merged["spread"].fillna(0), horizon, merged["abc"], levels
    ).where(has)
    return merged.drop(columns=["model", "mae", "spread", "daily"])
