"""When a daily schedule is due, on literal times."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from lib.jobs.schedules import Schedule, due, source_schedules

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
    [schedule] = source_schedules(["stock2shop"])
    assert (schedule.kind, schedule.subject, schedule.every) == (
        "source_sync",
        "stock2shop",
        timedelta(hours=2),
    )
