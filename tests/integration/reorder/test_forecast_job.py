"""The forecast job on each backend: it fits on the sales ledger, stores one row per
product, replaces the previous run and starts once at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from lib.db import ProductForecast, UnitOfWork
from lib.jobs.runs import Runtime, bind_runtime
from lib.jobs.service import get_job, start_job
from lib.jobs.tasks import FORECAST
from lib.reorder.forecast_run import run_forecasts, stored_forecasts

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _ledger(session_factory: sessionmaker[Session], days: int) -> None:
    """ps_1 sells 2 a day, 8 on Saturdays; ps_2 sells 1 every third day."""
    start = date(2026, 11, 29) - timedelta(days=days - 1)
    sent = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        sent.append(
            {
                "internal_id": "ps_1",
                "date": day.isoformat(),
                "quantity": 8 if day.weekday() == 5 else 2,
                "stock_on_hand": 50,
            }
        )
        if offset % 3 == 0:
            sent.append({"internal_id": "ps_2", "date": day.isoformat(), "quantity": 1})
    with UnitOfWork(session_factory) as uow:
        uow.sales_ledger.record_sent(sent, at=AT)
        uow.commit()


def test_the_forecast_job_stores_a_forecast_per_product(
    session_factory: sessionmaker[Session],
) -> None:
    assert stored_forecasts(session_factory).computed_at is None
    _ledger(session_factory, 70)
    bind_runtime(Runtime(session_factory=session_factory, client=None))  # type: ignore[arg-type]

    job = start_job(session_factory, FORECAST, by="manager@example.com")

    finished = get_job(session_factory, job.id)
    assert finished is not None and finished.state == "done", finished
    assert finished.message == "Forecast 2 products"
    stored = stored_forecasts(session_factory)
    assert stored.computed_at is not None and stored.history_end == date(2026, 11, 29)
    by_id = stored.frame.set_index("ps_id")
    assert sorted(by_id.index) == ["ps_1", "ps_2"]
    assert len(by_id.loc["ps_1", "daily"]) >= 28
    # The weekly pattern is exact, so its model's backtest error is (almost) nil.
    assert by_id.loc["ps_1", "mae"] < 0.01


def test_a_new_run_replaces_the_stored_forecasts(session_factory: sessionmaker[Session]) -> None:
    with UnitOfWork(session_factory) as uow:
        uow.forecasts.replace_all(
            [ProductForecast("ps_old", "TSB", None, 0.0, [1.0])],
            history_end=date(2026, 1, 1),
            at=AT,
        )
        uow.commit()
    with UnitOfWork(session_factory) as uow:
        uow.forecasts.replace_all(
            [ProductForecast("ps_new", "ADIDA", 0.5, 1.5, [0.25, 0.5])],
            history_end=date(2026, 2, 1),
            at=AT + timedelta(days=1),
        )
        uow.commit()

    stored = stored_forecasts(session_factory)
    assert stored.frame.to_dict("records") == [
        {"ps_id": "ps_new", "model": "ADIDA", "mae": 0.5, "spread": 1.5, "daily": [0.25, 0.5]}
    ]
    assert stored.computed_at == AT + timedelta(days=1)
    assert stored.history_end == date(2026, 2, 1)


def test_a_run_without_sales_history_keeps_the_previous_forecasts(
    session_factory: sessionmaker[Session],
) -> None:
    with UnitOfWork(session_factory) as uow:
        kept = [ProductForecast("ps_1", "TSB", 0.5, 1.0, [1.0])]
        uow.forecasts.replace_all(kept, history_end=date(2026, 1, 1), at=AT)
        uow.commit()

    assert run_forecasts(session_factory, date(2026, 12, 1), demo_mode=False, at=AT) == 0

    assert stored_forecasts(session_factory).frame["ps_id"].tolist() == ["ps_1"]
