"""Is PleasureStock reachable with our key, and how fast does it answer?"""

from __future__ import annotations

import time
from dataclasses import dataclass

from lib.pleasurestock import PleasureStockClient, PleasureStockError


@dataclass(frozen=True)
class ConnectionCheck:
    """Outcome of one round trip to the products endpoint."""

    reachable: bool
    latency_ms: float | None
    catalog_total: int | None
    error: str | None = None


def check_connection(client: PleasureStockClient) -> ConnectionCheck:
    """Fetch one product to prove the URL and key work; measures the round trip in ms."""
    started = time.perf_counter()
    try:
        page = client.list_products(limit=1)
    except PleasureStockError as error:
        return ConnectionCheck(
            reachable=False, latency_ms=None, catalog_total=None, error=str(error)
        )
    latency = (time.perf_counter() - started) * 1000
    return ConnectionCheck(reachable=True, latency_ms=latency, catalog_total=page.pagination.total)
