"""Sliding-window rate limits per API key and endpoint class, as the documents state them."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping

# class -> ((window seconds, allowed requests), ...)
DOCUMENTED_LIMITS: dict[str, tuple[tuple[int, int], ...]] = {
    "standard": ((1, 10), (60, 100), (3600, 1000)),
    "external": ((1, 20), (60, 200), (3600, 5000)),
    "smart": ((1, 2), (60, 10), (3600, 100)),
}


def endpoint_class(method: str, path: str) -> str:
    """The rate-limit class of a request path under /api/v1."""
    if path.rstrip("/") in ("/api/v1/smart-reordering", "/api/v1/external/smart-reorder"):
        return "smart"
    if path.startswith("/api/v1/external"):
        return "external"
    return "standard"


class RateLimiter:
    """Counts requests in sliding windows; `check` says how long to wait, or 0 if allowed."""

    def __init__(
        self,
        scale: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        limits: Mapping[str, tuple[tuple[int, int], ...]] = DOCUMENTED_LIMITS,
    ) -> None:
        """``limits``: class -> (window seconds, allowed requests) pairs; PleasureStock's by
        default, another platform's sandbox passes its own."""
        self._limits = {
            name: tuple((window, max(1, int(count * scale))) for window, count in windows)
            for name, windows in limits.items()
        }
        self._clock = clock
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def forget(self) -> None:
        """Forget every request counted so far: each window starts empty, as in a sandbox
        just started (the tests' demo sandbox is one per process, each test a fresh app)."""
        with self._lock:
            self._hits.clear()

    def check(self, key: str, klass: str) -> int:
        """Record a request and return 0, or the whole seconds until one is allowed again."""
        now = self._clock()
        windows = self._limits[klass]
        longest = max(window for window, _ in windows)
        with self._lock:
            hits = self._hits.setdefault((key, klass), deque())
            while hits and hits[0] <= now - longest:
                hits.popleft()
            wait = 0.0
            for window, allowed in windows:
                recent = [t for t in hits if t > now - window] if window != longest else hits
                if len(recent) >= allowed:
                    # The request that frees a slot is the `allowed`-th newest one.
                    oldest_blocking = list(recent)[-allowed]
                    wait = max(wait, oldest_blocking + window - now)
            if wait > 0:
                return max(1, math.ceil(wait))
            hits.append(now)
            return 0


def account_limiter(
    per_second: int | None, clock: Callable[[], float], account: str
) -> RateLimiter | None:
    """One account's budget of ``per_second`` requests in any second on ``clock`` (a
    peer sandbox's own, so a test decides what "within a second" is); None when off."""
    if per_second is None:
        return None
    return RateLimiter(clock=clock, limits={account: ((1, per_second),)})
