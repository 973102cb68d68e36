"""The forecast engine's stored results: one row per product, replaced by each run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lib.db.models import ProductForecastRow

FORECAST_FRAME_COLUMNS = ("ps_id", "model", "mae", "spread", "daily")


@dataclass(frozen=True)
class ProductForecast:
    """One product's forecast: chosen model, backtest MAE (None without a valid backtest
    day), spread of its daily errors and daily forecasts from the day after the history."""

    ps_id: str
    model: str
    mae: float | None
    spread: float
    daily: list[float]


@dataclass(frozen=True)
class StoredForecasts:
    """Every product's stored forecast as a frame, and when the run computed them (None
    when no run has stored any)."""

    frame: pd.DataFrame
    computed_at: datetime | None
    history_end: date | None


class ForecastRepository:
    """Replace and read the forecast engine's results."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def replace_all(
        self, forecasts: list[ProductForecast], *, history_end: date, at: datetime
    ) -> None:
        """Replace every stored forecast with ``forecasts`` (in the caller's transaction,
        so the page reads the old run or the new one, never half of each)."""
        self._session.execute(delete(ProductForecastRow))
        self._session.add_all(
            ProductForecastRow(
                ps_id=f.ps_id,
                model=f.model,
                mae=f.mae,
                spread=f.spread,
                daily=f.daily,
                history_end=history_end,
                computed_at=at,
            )
            for f in forecasts
        )
        self._session.flush()

    def load(self) -> StoredForecasts:
        """Every stored forecast (by ps id) and the run's time."""
        rows = self._session.scalars(select(ProductForecastRow).order_by(ProductForecastRow.ps_id))
        frame = pd.DataFrame(
            [(r.ps_id, r.model, r.mae, r.spread, r.daily) for r in rows],
            columns=list(FORECAST_FRAME_COLUMNS),
        )
        computed_at, history_end = self._session.execute(
            select(
                func.max(ProductForecastRow.computed_at), func.max(ProductForecastRow.history_end)
            )
        ).one()
        return StoredForecasts(frame, computed_at, history_end)
