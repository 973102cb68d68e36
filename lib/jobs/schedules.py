"""Schedules: when a scheduled job is due, as a slot key that makes it start once.

Every worker's ``tick`` asks ``due`` each minute; the slot (``catalog_sync:2026-12-01``,
``source_sync:stock2shop:2026-12-01T14:00``) is unique per kind in ``jobs``, so however
many workers tick, one run starts per day, or per period of a schedule that repeats
``every`` few hours. A run missed while no worker was up starts at the first tick after
its time (that day, or within its period).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from lib.jobs.tasks import CATALOG_SYNC, CHANNEL_SALES_PULL, FORECAST, SOURCE_SYNC, TRY_RATES
from lib.settings import Settings
from lib.sources.records import PSRESTFUL, STOCK2SHOP

# Rates change once a day; shortly after midnight UTC, so every page sees today's.
RATES_AT = time(0, 10)
# How often each source's snapshot is pulled (NOTES-peers.md 4.5). Stock2Shop every 2 h
# keeps far inside its 3,600 requests an hour; Price2B's whole list is one request per
# 100 products plus the linked products' stock within PRICE2B_STOCK_BUDGET, so every 2 h
# too. A PSRESTful read costs two requests per product (detail and prices) at an
# undocumented pace, for products the notes would read daily; but the same read brings
# the suppliers' inventory, shown stale after PSRESTFUL_INVENTORY_MAX_AGE_HOURS (6 by
# default): every 4 h keeps it within that at half the cost of every 2 h.
SOURCE_SYNC_EVERY = timedelta(hours=2)
SYNC_EVERY_OF = {PSRESTFUL: timedelta(hours=4)}
# The forecast runs this long after the daily catalog sync starts.
FORECAST_AFTER_SYNC = timedelta(hours=1)


@dataclass(frozen=True)
class Schedule:
    """A job kind (for ``subject``) that runs once a day at ``at`` (UTC), or, with
    ``every`` (a divisor of a day), every ``every`` from ``at`` on."""

    kind: str
    at: time
    subject: str = ""
    every: timedelta | None = None


def _period_start(schedule: Schedule, every: timedelta, now: datetime) -> datetime:
    midnight = datetime.combine(now.date(), time(0), tzinfo=UTC)
    offset = timedelta(hours=schedule.at.hour, minutes=schedule.at.minute) % every
    return midnight + offset + ((now - midnight - offset) // every) * every


def slot_of(schedule: Schedule, now: datetime) -> str:
    """The key of the schedule's run covering ``now`` (UTC): its day, or its period."""
    if schedule.every is None:
        return f"{schedule.kind}:{now.date().isoformat()}"
    start = _period_start(schedule, schedule.every, now)
    return f"{schedule.kind}:{schedule.subject}:{start:%Y-%m-%dT%H:%M}"


def _run_start(schedule: Schedule, now: datetime) -> datetime:
    """When the run that covers ``now`` is due: today's time, or its period's start."""
    if schedule.every is None:
        return datetime.combine(now.date(), schedule.at, tzinfo=UTC)
    return _period_start(schedule, schedule.every, now)


def due(
    schedule: Schedule,
    last_slot: str | None,
    now: datetime,
    *,
    done_at: datetime | None = None,
) -> str | None:
    """The slot to start now (``now`` aware, UTC), or None: before today's time (a daily
    schedule), when the current run (``last_slot``) has started already, or when a run of
    the same kind that started since the current run was due (``done_at``, by hand say)
    has done its work."""
    start = _run_start(schedule, now)
    if now < start or (done_at is not None and done_at >= start):
        return None
    slot = slot_of(schedule, now)
    return None if slot == last_slot else slot


def next_run(
    schedule: Schedule, last_slot: str | None, now: datetime, *, done_at: datetime | None = None
) -> datetime:
    """When the schedule's next run starts (``now`` aware, UTC): ``now`` when it is due
    (the next tick starts it), else the next day's time or period's start."""
    if due(schedule, last_slot, now, done_at=done_at) is not None:
        return now
    start = _run_start(schedule, now)
    if now < start:
        return start
    return start + (schedule.every or timedelta(days=1))


def daily_schedules(settings: Settings) -> tuple[Schedule, ...]:
    """The schedules the settings ask for: the catalog sync, the forecast
    ``FORECAST_AFTER_SYNC`` later (so it sees the day's catalog), and the TRY rates."""
    sync_at = settings.stockdesk_catalog_sync_time
    after = datetime.combine(datetime.min, sync_at) + FORECAST_AFTER_SYNC
    return (
        Schedule(kind=CATALOG_SYNC, at=sync_at),
        # A sync just before midnight would push the forecast to the next day: it stays
        # that day, at 23:59, instead.
        Schedule(kind=FORECAST, at=after.time() if after.day == 1 else time(23, 59)),
        Schedule(kind=TRY_RATES, at=RATES_AT),
    )


def source_schedules(source_keys: Collection[str]) -> tuple[Schedule, ...]:
    """A sync of each configured source every ``SOURCE_SYNC_EVERY`` (or its own period in
    ``SYNC_EVERY_OF``) from midnight UTC; with Stock2Shop, a pull of its channel orders as
    sales an hour after each sync, so it uses links proposed from the fresh snapshot."""
    syncs = tuple(
        Schedule(
            kind=SOURCE_SYNC,
            at=time(0, 0),
            subject=key,
            every=SYNC_EVERY_OF.get(key, SOURCE_SYNC_EVERY),
        )
        for key in sorted(source_keys)
    )
    pulls = tuple(
        Schedule(kind=CHANNEL_SALES_PULL, at=time(1, 0), subject=key, every=SOURCE_SYNC_EVERY)
        for key in sorted(source_keys)
        if key == STOCK2SHOP
    )
    return syncs + pulls


def all_schedules(settings: Settings, source_keys: Collection[str]) -> tuple[Schedule, ...]:
    """Every schedule of the deployment: the daily ones and each configured source's."""
    return daily_schedules(settings) + source_schedules(source_keys)


def worker_schedules(settings: Settings, source_keys: Collection[str]) -> tuple[Schedule, ...]:
    """The schedules this process's worker starts: all of them, or none with
    ``STOCKDESK_SCHEDULED_JOBS=false`` (jobs people start still run)."""
    return all_schedules(settings, source_keys) if settings.stockdesk_scheduled_jobs else ()
