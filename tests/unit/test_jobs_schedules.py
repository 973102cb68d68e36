"""When a daily schedule is due, on literal times."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from lib.jobs.schedules import (
    Schedule,
    all_schedules,
    daily_schedules,
    due,
    next_run,
    slot_of,
    source_schedules,
    worker_schedules,
)
from lib.settings import Settings

SYNC = Schedule(kind="catalog_sync", at=time(3, 0))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_not_due_before_its_time() -> None:
    assert due(SYNC, None, at("2026-12-01T02:59:59")) is None


def test_due_at_its_time_with_the_day_as_slot() -> None:
    assert due(SYNC, "catalog_sync:2026-11-30", at("2026-12-01T03:00:00")) == (
        "catalog_sync:2026-12-01"
    )


def test_not_due_again_once_todays_run_started() -> None:
    assert due(SYNC, "catalog_sync:2026-12-01", at("2026-12-01T17:45:00")) is None


def test_a_run_missed_while_no_worker_was_up_starts_later_that_day() -> None:
    assert due(SYNC, "catalog_sync:2026-11-29", at("2026-12-01T23:59:00")) == (
        "catalog_sync:2026-12-01"
    )


def test_the_next_day_is_a_new_slot() -> None:
    assert due(SYNC, "catalog_sync:2026-12-01", at("2026-12-02T03:00:01")) == (
        "catalog_sync:2026-12-02"
    )


def test_the_next_run_is_today_before_its_time_then_tomorrow_and_now_when_due() -> None:
    assert next_run(SYNC, None, at("2026-03-09T02:00")) == at("2026-03-09T03:00")
    late = at("2026-03-09T07:30")
    assert next_run(SYNC, None, late) == late  # missed today: the next tick starts it
    assert next_run(SYNC, slot_of(SYNC, late), late) == at("2026-03-10T03:00")


def test_a_run_done_by_hand_after_todays_time_stands_for_todays_run() -> None:
    now = at("2026-03-09T09:05")
    assert due(SYNC, None, now, done_at=at("2026-03-09T09:00")) is None
    assert next_run(SYNC, None, now, done_at=at("2026-03-09T09:00")) == at("2026-03-10T03:00")
    # One done before today's time does not: today's run is still due.
    assert due(SYNC, None, now, done_at=at("2026-03-09T02:59")) == "catalog_sync:2026-03-09"


EVERY_2H = Schedule(
    kind="source_sync", at=time(0, 0), subject="stock2shop", every=timedelta(hours=2)
)


def test_a_repeating_schedule_has_one_slot_per_period() -> None:
    assert (
        due(EVERY_2H, None, at("2026-12-01T00:00:00")) == "source_sync:stock2shop:2026-12-01T00:00"
    )
    assert (
        due(EVERY_2H, "source_sync:stock2shop:2026-12-01T12:00", at("2026-12-01T13:59:59")) is None
    )
    assert due(EVERY_2H, "source_sync:stock2shop:2026-12-01T12:00", at("2026-12-01T14:00:00")) == (
        "source_sync:stock2shop:2026-12-01T14:00"
    )


def test_a_repeating_run_missed_starts_at_the_next_tick_of_its_period() -> None:
    assert due(EVERY_2H, "source_sync:stock2shop:2026-11-30T22:00", at("2026-12-01T05:31:00")) == (
        "source_sync:stock2shop:2026-12-01T04:00"
    )


def test_sources_are_scheduled_every_two_hours() -> None:
    sync, pull = source_schedules(["stock2shop"])
    assert [(s.kind, s.subject, s.at, s.every) for s in (sync, pull)] == [
        ("source_sync", "stock2shop", time(0, 0), timedelta(hours=2)),
        ("channel_sales_pull", "stock2shop", time(1, 0), timedelta(hours=2)),  # after it
    ]


def test_every_source_is_synced_and_only_stock2shop_pulls_sales() -> None:
    schedules = source_schedules(["psrestful", "stock2shop", "price2b"])
    assert [(s.kind, s.subject, s.every) for s in schedules] == [
        ("source_sync", "price2b", timedelta(hours=2)),
        ("source_sync", "psrestful", timedelta(hours=4)),  # within its inventory's max age
        ("source_sync", "stock2shop", timedelta(hours=2)),
        ("channel_sales_pull", "stock2shop", timedelta(hours=2)),
    ]
    psrestful = schedules[1]
    assert slot_of(psrestful, at("2026-12-01T07:59:00")) == "source_sync:psrestful:2026-12-01T04:00"


def test_a_repeating_schedule_runs_next_at_its_next_period() -> None:
    ran = "source_sync:stock2shop:2026-12-01T12:00"
    assert next_run(EVERY_2H, ran, at("2026-12-01T13:10")) == at("2026-12-01T14:00")
    # A sync by hand at 12:40 stands for the 12:00 period's run.
    assert due(EVERY_2H, None, at("2026-12-01T13:10"), done_at=at("2026-12-01T12:40")) is None


def test_the_forecast_runs_daily_an_hour_after_the_catalog_sync() -> None:
    by_kind = {s.kind: s.at for s in daily_schedules(Settings(stockdesk_catalog_sync_time="03:00"))}
    assert by_kind["forecast"] == time(4, 0)
    late = daily_schedules(Settings(stockdesk_catalog_sync_time="23:30"))
    assert {s.kind: s.at for s in late}["forecast"] == time(23, 59)


def test_a_worker_told_not_to_starts_no_schedule_while_the_jobs_view_still_lists_them() -> None:
    quiet = Settings(stockdesk_scheduled_jobs=False)
    assert worker_schedules(quiet, ["stock2shop"]) == ()
    listed = all_schedules(quiet, ["stock2shop"])
    assert worker_schedules(Settings(), ["stock2shop"]) == listed
    assert {s.kind for s in listed} >= {"catalog_sync", "try_rates", "source_sync", "forecast"}
