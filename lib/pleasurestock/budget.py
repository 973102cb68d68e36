"""One rate-limit budget per API key and rate class, shared by every StockDesk process.

Each rate class has one pyrate-limiter bucket named after a fingerprint of the key
(``ps_<12 hex digits>_<class>``; never the key itself), kept where every process finds it:

- ``sqlite:///<path>``: a table in that SQLite file (WAL), guarded by the file lock
  ``<path>.lock`` beside it, so two processes cannot both count and then both insert.
  The app keeps it in its own file beside the database file (``Settings.api_budget_url``:
  ``data/stockdesk.ratelimit.db`` next to ``data/stockdesk.db``).
- ``postgresql://…`` (libpq's form, no ``+psycopg``): a table ``ratelimit___ps_…`` in that
  database, locked by each insert.
- ``None``: in this process only (tests, scripts).

A request counts from when the budget lets it through, just before it is sent. Every
window is 250 ms longer than PleasureStock's: a request reaches the server a little after
it was let through (threads wait for the GIL), and the server must never count more.

An interactive caller (``max_wait`` seconds) whose request would wait longer gets
``BudgetBusyError``, saying when the budget frees and what used it last; nothing is taken.
A background caller (``max_wait=None``) waits its turn; on shared storage it leaves 2 % of
every window longer than a second to the interactive callers, so that a long upload
cannot lock the dashboard out for the rest of the hour.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pyrate_limiter import (
    AbstractBucket,
    InMemoryBucket,
    Limiter,
    PostgresBucket,
    Rate,
    RateItem,
    SQLiteBucket,
)

from lib.pleasurestock.errors import BudgetBusyError
from lib.pleasurestock.ratelimit import WindowUsage

MARGIN_MS = 250
RESERVE_SHARE = 0.02

# What a request is for. It is stored with the request, so that any process can say
# what has been using the budget.
SALES_UPLOAD = "sales_upload"
CATALOG_SYNC = "catalog_sync"
OTHER = "other"
_REASONS = {SALES_UPLOAD: "a sales upload is sending", CATALOG_SYNC: "a catalog sync is running"}
_OTHER_REASON = "other StockDesk requests"

# (window length in seconds, allowed requests) for one rate class.
Windows = Sequence[tuple[float, int]]
# The stamp (ms, the bucket's clock) of the n-th newest request (0 = newest), or None.
Newest = Callable[[int], int | None]


def key_fingerprint(key: str) -> str:
    """12 hex digits of the key's SHA-256: names the key's budget without giving it away."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def enforced_rates(windows: Windows, *, reserve: bool) -> list[Rate]:
    """The windows as pyrate rates, shortest first, each 250 ms longer; with ``reserve``,
    every window after the shortest holds back 2 % (at least one request) where its limit
    stays above the shorter window's."""
    rates: list[Rate] = []
    for seconds, limit in sorted(windows):
        allowed = limit
        if reserve and rates:
            allowed = max(limit - math.ceil(limit * RESERVE_SHARE), rates[-1].limit + 1)
        rates.append(Rate(min(allowed, limit), round(seconds * 1000) + MARGIN_MS))
    return rates


def free_at_ms(rates: Sequence[Rate], newest: Newest, now_ms: int) -> int:
    """When one more request fits every window (ms, the bucket's clock): ``now_ms`` when
    it fits now, else just after the oldest request of the last full window leaves it.

    pyrate's own wait looks at the shortest full window only, so it may say one second
    while the hour is spent.
    """
    free = now_ms
    for rate in rates:
        oldest = newest(rate.limit - 1)  # the oldest of the newest ``limit`` requests
        if oldest is not None and oldest + rate.interval >= now_ms:
            free = max(free, oldest + rate.interval + 1)
    return free


def count_since(start_ms: int, newest: Newest, at_most: int) -> int:
    """How many requests are stamped at ``start_ms`` or later, knowing there are at most
    ``at_most``: a binary search over the newest-first order."""
    low, high = 0, at_most
    while low < high:
        middle = (low + high) // 2
        stamp = newest(middle)
        if stamp is not None and stamp >= start_ms:
            low = middle + 1
        else:
            high = middle
    return low


def reason(purpose: str | None) -> str:
    """What a stored purpose means, in words for the busy message."""
    return _REASONS.get(purpose or OTHER, _OTHER_REASON)


class _StampedWhenAdmitted:
    """Stamps each request with the bucket's clock when it is let through. After a wait,
    pyrate stamps the time it planned to wake up, which falls behind the real one."""

    def put(self, item: RateItem) -> Any:
        item.timestamp = self.now()
        return super().put(item)


class _SQLiteBucket(_StampedWhenAdmitted, SQLiteBucket):
    """A table in a SQLite file shared by every process (with its file lock)."""


class _PostgresBucket(_StampedWhenAdmitted, PostgresBucket):
    """A table in the PostgreSQL database shared by every process."""

    def leak(self, current_timestamp: int | None = None) -> Any:
        """Delete the requests every window has left; nothing once the pool is closed (the
        clean-up thread may run once more after ``close``)."""
        from psycopg_pool import PoolClosed

        try:
            return super().leak(current_timestamp)
        except PoolClosed:
            return 0


class _InMemoryBucket(_StampedWhenAdmitted, InMemoryBucket):
    """This process's own requests only."""


def _bucket(url: str | None, table: str, rates: list[Rate]) -> AbstractBucket:
    """The bucket ``table`` for ``rates`` in the storage ``url`` names (see the module)."""
    if url is None:
        return _InMemoryBucket(rates)
    if url.startswith(("postgresql://", "postgres://")):
        # Imported here: it takes half a second, and only PostgreSQL deployments need it.
        from psycopg_pool import ConnectionPool

        # Its own small pool: closing a PostgresBucket closes the pool it was given.
        pool = ConnectionPool(
            url, min_size=1, max_size=2, num_workers=1, timeout=10, name=table, open=True
        )
        return _PostgresBucket(pool, table, rates)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return _SQLiteBucket.init_from_file(
            rates, table=table, db_path=str(path), use_file_lock=True
        )
    raise ValueError(f"a budget lives at sqlite:///<path> or postgresql://…, not {url[:12]}…")


def _newest(bucket: AbstractBucket) -> Newest:
    def stamp(index: int) -> int | None:
        item = bucket.peek(index)
        return None if item is None else int(item.timestamp)

    return stamp


class Budget:
    """The rate-limit budget of one API key: one pyrate ``Limiter`` per rate class.

    ``windows`` maps each rate class to its (seconds, allowed requests) windows;
    ``max_wait`` is how long ``acquire`` may wait, in seconds (None: as long as it takes).
    """

    def __init__(
        self,
        *,
        url: str | None,
        fingerprint: str,
        windows: Mapping[str, Windows],
        max_wait: float | None,
    ) -> None:
        self.max_wait = max_wait
        # Interactive callers of other processes are what the reserve is for.
        reserve = url is not None and max_wait is None
        self._windows = {name: sorted(class_windows) for name, class_windows in windows.items()}
        self._buckets = {
            name: _bucket(url, f"ps_{fingerprint}_{name}", enforced_rates(w, reserve=reserve))
            for name, w in self._windows.items()
        }
        self._limiters = {name: Limiter(bucket) for name, bucket in self._buckets.items()}

    def acquire(self, rate_class: str, purpose: str = OTHER) -> None:
        """Take one request of ``rate_class``'s budget for ``purpose`` (e.g. ``SALES_UPLOAD``),
        waiting as ``max_wait`` allows; raises ``BudgetBusyError`` (nothing taken) after."""
        limiter = self._limiters[rate_class]
        if self.max_wait is None:
            if limiter.try_acquire(purpose):
                return
        elif self._seconds_until_free(rate_class) <= self.max_wait and limiter.try_acquire(
            purpose, timeout=self.max_wait
        ):
            return
        raise self._busy(rate_class)

    def free_at(self, rate_class: str) -> datetime:
        """When one more request of ``rate_class`` fits every window (UTC; now if it does)."""
        bucket = self._buckets[rate_class]
        now_ms = bucket.now()
        wait_ms = free_at_ms(bucket.rates, _newest(bucket), now_ms) - now_ms
        # A PostgreSQL bucket counts on the server's clock: carry over the wait, not the time.
        return datetime.now(UTC) + timedelta(milliseconds=wait_ms)

    def usage(self) -> list[WindowUsage]:
        """Requests in each window of each class now, counted over every process that shares
        the budget, against the limits this budget lets through."""
        found: list[WindowUsage] = []
        for name, windows in self._windows.items():
            bucket = self._buckets[name]
            now_ms, newest = bucket.now(), _newest(bucket)
            # Longest window first: a shorter window cannot hold more than a longer one.
            used, at_most = {}, bucket.count()
            for rate in reversed(bucket.rates):
                used[rate.interval] = at_most = count_since(now_ms - rate.interval, newest, at_most)
            found += [
                WindowUsage(name, seconds, used[rate.interval], rate.limit)
                for (seconds, _), rate in zip(windows, bucket.rates, strict=True)
            ]
        return found

    def close(self) -> None:
        """Stop the limiters' clean-up threads and close their storage."""
        for limiter in self._limiters.values():
            limiter.close()

    def _seconds_until_free(self, rate_class: str) -> float:
        return (self.free_at(rate_class) - datetime.now(UTC)).total_seconds()

    def _busy(self, rate_class: str) -> BudgetBusyError:
        last = self._buckets[rate_class].peek(0)
        return BudgetBusyError(
            rate_class=rate_class,
            free_at=self.free_at(rate_class),
            reason=reason(None if last is None else last.name),
        )
