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
from tests.support.peers import client_factory, sandbox_factory

TODAY = date(2025, 11, 10)
USERNAME, PASSWORD = "stockdesk-reader", "reader-password"


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
    with sandbox_factory(lambda **overrides: start_in_thread(_config(**overrides))) as make:
        yield make


@pytest.fixture
def make_client() -> Iterator[Callable[..., Stock2ShopClient]]:
    """Clients (closed after the test): the reader login, a pace no test reaches, no waits."""
    with client_factory(Stock2ShopClient, username=USERNAME, password=PASSWORD) as make:
        yield make
