"""Fixtures: the real Price2B client against Price2B sandboxes served over HTTP on free
loopback ports, on a clock that stands still until a test advances it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from lib.price2b import Price2BClient
from lib.sandbox.price2b import Price2BSandboxConfig, RunningPrice2BSandbox, start_in_thread
from lib.sandbox.price2b.config import DEFAULT_READ_TOKEN
from tests.support.peers import client_factory, sandbox_factory

TODAY = date(2025, 11, 10)
TOKEN = DEFAULT_READ_TOKEN


def sandbox_config(**overrides: Any) -> Price2BSandboxConfig:
    """The test sandbox's config: a fixed day on a clock that stands still."""
    return Price2BSandboxConfig(**{"today": TODAY, "clock_flows": False, **overrides})


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningPrice2BSandbox]:
    """One sandbox per module with the documented defaults (rate limit off)."""
    with start_in_thread(sandbox_config()) as running:
        yield running


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., RunningPrice2BSandbox]]:
    """Start extra sandboxes with their own config for one test."""
    with sandbox_factory(lambda **overrides: start_in_thread(sandbox_config(**overrides))) as make:
        yield make


@pytest.fixture
def make_client() -> Iterator[Callable[..., Price2BClient]]:
    """Clients (closed after the test): the read token, a pace no test reaches, no waits."""
    with client_factory(Price2BClient, token=TOKEN) as make:
        yield make
