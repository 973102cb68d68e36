"""The sandbox clock: what token expiry, index lag and seeded dates are measured on.

It starts at the configured moment; it runs with real time (standalone, demo) or stands
still (tests), and ``advance`` moves it on either way, so no test waits or depends on
today's date.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta


class SandboxClock:
    """UTC now = start + real seconds elapsed (when ``flows``) + seconds advanced."""

    def __init__(
        self, start: datetime, *, flows: bool, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._start = start
        self._flows = flows
        self._monotonic = monotonic
        self._started_at = monotonic()
        self._advanced = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The sandbox's current time (UTC)."""
        with self._lock:
            elapsed = self._monotonic() - self._started_at if self._flows else 0.0
            return self._start + timedelta(seconds=elapsed + self._advanced)

    def advance(self, seconds: float) -> datetime:
        """Move the clock ``seconds`` forward; returns the new now."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._advanced += seconds
        return self.now()
