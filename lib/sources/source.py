"""The ``Source`` protocol: what StockDesk asks of every upstream platform."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from lib.sources.records import Capability, CatalogSnapshot, SourceCheck

# (steps done, steps in all): pages fetched; 0 in all when the source does not say.
ProgressCallback = Callable[[int, int], None]


class Source(Protocol):
    """One platform, read through its client; ``key`` names it in storage and links."""

    key: str
    label: str
    capabilities: frozenset[Capability]

    def check(self) -> SourceCheck:
        """A cheap round trip: reachable, latency, who we are logged in as."""
        ...

    def fetch_catalog(self, *, on_progress: ProgressCallback | None = None) -> CatalogSnapshot:
        """Every item, with the prices and stock the same read gives; raises the client's
        error rather than return part of it."""
        ...
