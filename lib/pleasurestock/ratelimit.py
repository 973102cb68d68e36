"""Client-side rate limiting per PleasureStock rate class, so normal use never meets a 429.

Each class (standard, external, smart reordering) has three sliding windows (per
second, minute and hour). ``acquire`` blocks until a request fits in all three;
``usage`` reports how much of each window is spent, for the Settings page.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# Requests sent at the very end of a window may arrive at the server just after it
# opened the next one; holding each slot a little longer keeps both views in step.
_SLOT_MARGIN_SECONDS = 0.25


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
    """Thread-safe sliding-window limiter for one rate class."""

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
        self._sent: deque[float] = deque()

    def _forget_old(self, now: float) -> None:
        horizon = max(window for window, _ in self.policy.windows()) + _SLOT_MARGIN_SECONDS
        while self._sent and now - self._sent[0] >= horizon:
            self._sent.popleft()

    def wait_time(self, now: float) -> float:
        """Seconds until one more request fits in every window (0 when it fits now)."""
        wait = 0.0
        for window, limit in self.policy.windows():
            in_window = [t for t in self._sent if now - t < window + _SLOT_MARGIN_SECONDS]
            if len(in_window) >= limit:
                oldest_to_expire = in_window[len(in_window) - limit]
                wait = max(wait, oldest_to_expire + window + _SLOT_MARGIN_SECONDS - now)
        return wait

    def acquire(self) -> float:
        """Block until a request may be sent and reserve its slot; returns seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._forget_old(now)
                wait = self.wait_time(now)
                if wait <= 0:
                    self._sent.append(now)
                    return waited
            self._sleep(wait)
            waited += wait

    def usage(self) -> list[WindowUsage]:
        """Current use of each window."""
        with self._lock:
            now = self._clock()
            self._forget_old(now)
            return [
                WindowUsage(
                    rate_class=self.name,
                    window_seconds=window,
                    used=sum(1 for t in self._sent if now - t < window),
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

    def acquire(self, rate_class: str) -> float:
        """Wait for a slot in ``rate_class``; returns seconds waited."""
        return self._limiters[rate_class].acquire()

    def usage(self) -> list[WindowUsage]:
        """Use of every window of every class."""
        return [u for limiter in self._limiters.values() for u in limiter.usage()]
