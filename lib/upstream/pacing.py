"""At most N requests per second to one platform, counted in this process with
pyrate-limiter (Stock2Shop: "not more than 1 request per second"; Price2B: a setting).

A request waits its turn; the clock and the sleep are injectable, so the pacing is
tested without waiting real seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from pyrate_limiter import InMemoryBucket, Limiter, Rate, RateItem

# A request reaches the server a little after it was let through: the window is a bit
# longer than the server's second, so the server never counts two in one.
MARGIN_MS = 100


class _Bucket(InMemoryBucket):
    """An in-memory bucket on an injected clock (ms), stamping when a request is let through."""

    def __init__(self, rates: list[Rate], clock_ms: Callable[[], int]) -> None:
        super().__init__(rates)
        self._clock_ms = clock_ms

    def now(self) -> int:
        """The injected clock, in milliseconds."""
        return self._clock_ms()

    def put(self, item: RateItem) -> Any:
        """Stamp the request now, then count it."""
        item.timestamp = self.now()
        return super().put(item)


def rate_for(per_second: float) -> Rate:
    """``per_second`` as one pyrate rate: N per second, or one per 1/N seconds below 1."""
    if per_second <= 0:
        raise ValueError("requests_per_second must be positive")
    if per_second >= 1:
        return Rate(round(per_second), 1000 + MARGIN_MS)
    return Rate(1, round(1000 / per_second) + MARGIN_MS)


class RequestPacer:
    """Lets requests through at ``per_second`` at most, waiting (``sleep``) when needed."""

    def __init__(
        self,
        per_second: float = 1.0,
        *,
        name: str = "platform",
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate_for(per_second)
        self._bucket = _Bucket([self.rate], lambda: int(clock() * 1000))
        self._limiter = Limiter(self._bucket)
        self._sleep = sleep
        self._lock = threading.Lock()
        self._name = name

    def try_acquire(self) -> bool:
        """Take a request's slot now if one is free; False (nothing taken) if not."""
        return bool(self._limiter.try_acquire(self._name, blocking=False))

    def seconds_until_free(self) -> float:
        """How long until a slot frees (0 when one is free now)."""
        oldest = self._bucket.peek(self.rate.limit - 1)
        if oldest is None:
            return 0.0
        return max(0.0, (oldest.timestamp + self.rate.interval + 1 - self._bucket.now()) / 1000)

    def acquire(self) -> None:
        """Wait for a slot and take it."""
        with self._lock:
            while not self.try_acquire():
                self._sleep(max(self.seconds_until_free(), 0.001))

    def close(self) -> None:
        """Stop the limiter's clean-up thread."""
        self._limiter.close()
