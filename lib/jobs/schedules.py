"""Daily schedules: when a scheduled job is due, as a slot key that makes it start once.

Every worker's ``tick`` asks ``due`` each minute; the slot (``catalog_sync:2026-12-01``)
is unique per kind in ``jobs``, so however many workers tick, one run starts per day.
A run missed while no worker was up starts at the first tick after its time that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from lib.jobs.tasks import CATALOG_SYNC, TRY_RATES
from lib.settings import Settings

# Rates change once a day; shortly after midnight UTC, so every page sees today's.
RATES_AT = time(0, 10)


@dataclass(frozen=True)
class Schedule:
    """A job kind that runs once a day, at ``at`` (UTC)."""

    kind: str
    at: time


def slot_of(schedule: Schedule, now: datetime) -> str:
    """The key of the schedule's run on ``now``'s day (UTC)."""
    return f"{schedule.kind}:{now.date().isoformat()}"


def due(
    schedule: Schedule,
    last_slot: str | None,
    now: datetime,
    *,
    done_at: datetime | None = None,
) -> str | None:
    """The slot to start now (``now`` aware, UTC), or None: before today's time, when
    today's run (``last_slot``) has started already, or when a run of the same kind that
    started after today's time (``done_at``, by hand say) has done today's work."""
    today = datetime.combine(now.date(), schedule.at, tzinfo=now.tzinfo)
    if now < today or (done_at is not None and done_at >= today):
        return None
    slot = slot_of(schedule, now)
    return None if slot == last_slot else slot


def next_run(
    schedule: Schedule, last_slot: str | None, now: datetime, *, done_at: datetime | None = None
) -> datetime:
    """When the schedule's next run starts (``now`` aware, UTC): ``now`` when it is due
    (the next tick starts it), else today's or tomorrow's time."""
    if due(schedule, last_slot, now, done_at=done_at) is not None:
        return now
    today = datetime.combine(now.date(), schedule.at, tzinfo=now.tzinfo)
    return today if now < today else today + timedelta(days=1)


def daily_schedules(settings: Settings) -> tuple[Schedule, ...]:
    """The schedules the settings ask for: the catalog sync, and the TRY rates."""
    return (
        Schedule(kind=CATALOG_SYNC, at=settings.stockdesk_catalog_sync_time),
        Schedule(kind=TRY_RATES, at=RATES_AT),
    )
