"""Client-side rate limiting per PleasureStock rate class, so normal use never meets a 429.

Each class (standard, external, smart reordering) has three sliding windows (per
second, minute and hour). ``slot`` blocks until a request fits in all three and holds
its place while it is in flight; ``usage`` reports how much of each window is spent,
for the Settings page.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

# Requests sent at the very end of a window may arrive at the server just after it
# opened the next one; holding each slot a little longer keeps both views in step.
_SLOT_MARGIN_SECONDS = 0.25
_IN_FLIGHT_POLL_SECONDS = 0.02


@dataclass(frozen=True)
class RateLimitPolicy:
    """Allowed requests per second, minute and hour for one rate class."""

    per_second: int
    per_minute: int
    per_hour: int

    def windows(self) -> tuple[tuple[float, int], ...]:
        """(window length in seconds, allowed requests) pairs."""
        return ((1.0, self.per_second), (60.0, self.per_minute), (3600.0, self.per_hour))


STANDARD = "standard"
EXTERNAL = "external"
SMART_REORDERING = "smart_reordering"

DOCUMENTED_LIMITS: Mapping[str, RateLimitPolicy] = {
    STANDARD: RateLimitPolicy(per_second=10, per_minute=100, per_hour=1000),
    EXTERNAL: RateLimitPolicy(per_second=20, per_minute=200, per_hour=5000),
    SMART_REORDERING: RateLimitPolicy(per_second=2, per_minute=10, per_hour=100),
}


@dataclass(frozen=True)
class WindowUsage:
    """How many requests one window holds now, out of how many allowed."""

    rate_class: str
    window_seconds: float
    used: int
    limit: int

    @property
    def fraction(self) -> float:
        """Share of the window's budget in use, 0..1."""
        return min(1.0, self.used / self.limit) if self.limit else 1.0


class SlidingWindowLimiter:
    """Thread-safe sliding-window limiter for one rate class.

    The server counts a request when it arrives, which is some time after the client
    reserved its slot (threads wait for the GIL, connections for the pool). So a
    request in flight counts in every window, and a finished one is stamped with
    the time it finished: its arrival lies between the two, so the client never
    counts fewer requests in a window than the server does.
    """

    def __init__(
        self,
        name: str,
        policy: RateLimitPolicy,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = name
        self.policy = policy
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._finished: deque[float] = deque()
        self._in_flight = 0

    def _forget_old(self, now: float) -> None:
        horizon = max(window for window, _ in self.policy.windows()) + _SLOT_MARGIN_SECONDS
        while self._finished and now - self._finished[0] >= horizon:
            self._finished.popleft()

    def wait_time(self, now: float) -> float:
        """Seconds until one more request fits in every window (0 when it fits now)."""
        wait = 0.0
        for window, limit in self.policy.windows():
            span = window + _SLOT_MARGIN_SECONDS
            in_window = [t for t in self._finished if now - t < span]
            room = limit - self._in_flight
            if len(in_window) >= room:
                if room <= 0:
                    # Only a finishing request can free a slot: look again shortly.
                    wait = max(wait, _IN_FLIGHT_POLL_SECONDS)
                else:
                    wait = max(wait, in_window[len(in_window) - room] + span - now)
        return wait

    def acquire(self) -> float:
        """Block until a request may be sent and reserve its slot; returns seconds waited.

        Every ``acquire`` must be followed by one ``release`` once the request is over.
        """
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._forget_old(now)
                wait = self.wait_time(now)
                if wait <= 0:
                    self._in_flight += 1
                    return waited
            self._sleep(wait)
            waited += wait

    def release(self) -> None:
        """The request reserved by ``acquire`` is over: stamp its slot with the time now."""
        with self._lock:
            self._in_flight -= 1
            self._finished.append(self._clock())

    @contextmanager
    def slot(self) -> Iterator[float]:
        """``acquire`` on entry (yields the seconds waited), ``release`` on exit."""
        waited = self.acquire()
        try:
            yield waited
        finally:
            self.release()

    def usage(self) -> list[WindowUsage]:
        """Current use of each window (requests in flight included)."""
        with self._lock:
            now = self._clock()
            self._forget_old(now)
            return [
                WindowUsage(
                    rate_class=self.name,
                    window_seconds=window,
                    used=self._in_flight + sum(1 for t in self._finished if now - t < window),
                    limit=limit,
                )
                for window, limit in self.policy.windows()
            ]


class RateLimiters:
    """One limiter per rate class."""

    def __init__(
        self,
        policies: Mapping[str, RateLimitPolicy] = DOCUMENTED_LIMITS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._limiters = {
            name: SlidingWindowLimiter(name, policy, clock=clock, sleep=sleep)
            for name, policy in policies.items()
        }

    def slot(self, rate_class: str) -> AbstractContextManager[float]:
        """Hold a slot of ``rate_class`` for the length of one request."""
        return self._limiters[rate_class].slot()

    def usage(self) -> list[WindowUsage]:
        """Use of every window of every class."""
        return [u for limiter in self._limiters.values() for u in limiter.usage()]
