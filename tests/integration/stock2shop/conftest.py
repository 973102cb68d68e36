"""Fixtures: the real Stock2Shop client against Stock2Shop sandboxes served over HTTP on
free loopback ports, on a clock that stands still until a test advances it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from lib.sandbox.stock2shop import (
    RunningStock2ShopSandbox,
    Stock2ShopSandboxConfig,
    start_in_thread,
)
from lib.stock2shop import Stock2ShopClient

TODAY = date(2025, 11, 10)
USERNAME, PASSWORD = "stockdesk-reader", "reader-password"


class SleepLog:
    """Stands in for ``time.sleep``: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _config(**overrides: Any) -> Stock2ShopSandboxConfig:
    options: dict[str, Any] = {
        "today": TODAY,
        "clock_flows": False,
        "rate_limit_per_second": None,
        **overrides,
    }
    return Stock2ShopSandboxConfig(**options)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningStock2ShopSandbox]:
    """One sandbox per module with the documented defaults (rate limit off)."""
    with start_in_thread(_config()) as running:
        yield running


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., RunningStock2ShopSandbox]]:
    """Start extra sandboxes with their own config for one test."""
    started: list[RunningStock2ShopSandbox] = []

    def make(**overrides: Any) -> RunningStock2ShopSandbox:
        running = start_in_thread(_config(**overrides))
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()


@pytest.fixture
def make_client() -> Iterator[Callable[..., Stock2ShopClient]]:
    """Clients (closed after the test): the reader login, a pace no test reaches, no waits."""
    made: list[Stock2ShopClient] = []

    def make(base_url: str, **overrides: Any) -> Stock2ShopClient:
        options: dict[str, Any] = {
            "username": USERNAME,
            "password": PASSWORD,
            "requests_per_second": 10_000,
            "sleep": SleepLog(),
            **overrides,
        }
        client = Stock2ShopClient(base_url=base_url, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
