"""PleasureStock's rate classes, their documented limits, and how much of each is in use.

Each class (standard, external, smart reordering) allows so many requests per second,
minute and hour. ``budget.py`` enforces them across every StockDesk process; these are
the values it enforces and the shape it reports them in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


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
