"""Sandboxes and clients made on demand in a test, stopped and closed afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from lib.pleasurestock import DOCUMENTED_LIMITS, PleasureStockClient, RateLimitPolicy
from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread

# Client-side budgets no test reaches, so tests never wait for the documented limits;
# the tests about rate limiting pass their own.
UNLIMITED = {
    name: RateLimitPolicy(per_second=10_000, per_minute=100_000, per_hour=1_000_000)
    for name in DOCUMENTED_LIMITS
}


@contextmanager
def sandboxes(*, api_key: str, today: date) -> Iterator[Callable[..., RunningSandbox]]:
    """``make(**config)`` starts a sandbox; server rate limits are off unless asked for,
    so injected faults are the only 429s."""
    started: list[RunningSandbox] = []

    def make(**overrides: Any) -> RunningSandbox:
        options: dict[str, Any] = {"rate_limits_enabled": False, **overrides}
        running = start_in_thread(SandboxConfig(api_key=api_key, today=today, **options))
        started.append(running)
        return running

    try:
        yield make
    finally:
        for running in started:
            running.stop()


@contextmanager
def clients(**defaults: Any) -> Iterator[Callable[..., PleasureStockClient]]:
    """``make(base_url, **options)`` builds a client with ``defaults`` under ``options``."""
    made: list[PleasureStockClient] = []

    def make(base_url: str, **overrides: Any) -> PleasureStockClient:
        client = PleasureStockClient(base_url=base_url, **{**defaults, **overrides})
        made.append(client)
        return client

    try:
        yield make
    finally:
        for client in made:
            client.close()
