"""Fixtures: the real client against sandboxes served over HTTP on free loopback ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest

from lib.pleasurestock import PleasureStockClient, RateLimitPolicy
from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread

API_KEY = "pk_test_Zq8sandboxSECRETkey42"
TODAY = date(2025, 11, 10)
# Generous client-side budgets so tests do not wait for the documented per-minute limits;
# the tests about rate limiting build their own clients.
UNLIMITED = {
    name: RateLimitPolicy(per_second=10_000, per_minute=100_000, per_hour=1_000_000)
    for name in ("standard", "external", "smart_reordering")
}


class SleepLog:
    """Stands in for ``time.sleep``: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    """A sandbox per test module, so one module's orders and sales never leak into another's."""
    config = SandboxConfig(api_key=API_KEY, today=TODAY, rate_limits_enabled=False)
    with start_in_thread(config) as running:
        yield running


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., RunningSandbox]]:
    """Start extra sandboxes with their own config (faults, strict limits) for one test.

    Server-side rate limits are off unless asked for, so injected faults are the only 429s.
    """
    started: list[RunningSandbox] = []

    def make(**overrides: object) -> RunningSandbox:
        options: dict[str, object] = {"rate_limits_enabled": False, **overrides}
        config = SandboxConfig(api_key=API_KEY, today=TODAY, **options)  # type: ignore[arg-type]
        running = start_in_thread(config)
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()


@pytest.fixture
def make_client() -> Iterator[Callable[..., PleasureStockClient]]:
    """Build clients (closed after the test); defaults: test key, no client-side waiting."""
    clients: list[PleasureStockClient] = []

    def make(base_url: str, **overrides: object) -> PleasureStockClient:
        options: dict[str, object] = {"api_key": API_KEY, "rate_limits": UNLIMITED}
        options.update(overrides)
        client = PleasureStockClient(base_url=base_url, **options)  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(
    sandbox: RunningSandbox, make_client: Callable[..., PleasureStockClient]
) -> PleasureStockClient:
    """A client of the module's sandbox."""
    return make_client(sandbox.base_url)
