"""The forecast job's work: fit the engine on the sales history and store the results,
and read them back for the Reorder page (which never fits a model itself)."""

from __future__ import annotations

import math
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from lib.db import ProductForecast, StoredForecasts, UnitOfWork
from lib.reorder.forecast import sales_matrix
from lib.reorder.forecast_engine import forecast_products
from lib.reorder.history import sales_history
from lib.reorder.settings import load_reorder_settings, stored_settings

# Days of daily forecast stored: at least four weeks, more when a supplier's lead time
# plus review period is longer.
MIN_FORECAST_DAYS = 28


def _forecast_days(session_factory: sessionmaker[Session]) -> int:
    default, per_supplier = stored_settings(load_reorder_settings(session_factory))
    return max(
        MIN_FORECAST_DAYS,
        *(s.lead_time_days + s.review_period_days for s in (default, *per_supplier.values())),
    )


def run_forecasts(
    session_factory: sessionmaker[Session], today: date, *, demo_mode: bool, at: datetime
) -> int:
    """Forecast every product with history and replace the stored forecasts; the number
    of products forecast. Without any history the previous forecasts are kept."""
    matrix = sales_matrix(sales_history(session_factory, today, demo_mode=demo_mode).frame)
    if len(matrix.ps_ids) == 0:
        return 0
    result = forecast_products(matrix, _forecast_days(session_factory))
    forecasts = [
        ProductForecast(
            ps_id=str(ps_id),
            model=str(model),
            mae=None if math.isnan(mae) else float(mae),
            spread=float(spread),
            daily=[round(float(value), 4) for value in daily],
        )
        for ps_id, model, mae, spread, daily in zip(
            result.ps_ids, result.model, result.mae, result.spread, result.daily, strict=True
        )
    ]
    history_end = matrix.days[-1].date()
    with UnitOfWork(session_factory) as uow:
        uow.forecasts.replace_all(forecasts, history_end=history_end, at=at)
        uow.commit()
    return len(forecasts)


def stored_forecasts(session_factory: sessionmaker[Session]) -> StoredForecasts:
    """The latest run's forecasts and when it ran."""
    with UnitOfWork(session_factory) as uow:
        return uow.forecasts.load()
