"""Fixtures: the real client against sandboxes served over HTTP on free loopback ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest

from lib.pleasurestock import PleasureStockClient
from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread
from tests.support.sandboxes import UNLIMITED, clients, sandboxes

API_KEY = "pk_test_Zq8sandboxSECRETkey42"
TODAY = date(2025, 11, 10)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    """A sandbox per test module, so one module's orders and sales never leak into another's."""
    config = SandboxConfig(api_key=API_KEY, today=TODAY, rate_limits_enabled=False)
    with start_in_thread(config) as running:
        yield running


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., RunningSandbox]]:
    """Start extra sandboxes with their own config (faults, strict limits) for one test."""
    with sandboxes(api_key=API_KEY, today=TODAY) as make:
        yield make


@pytest.fixture
def make_client() -> Iterator[Callable[..., PleasureStockClient]]:
    """Build clients (closed after the test); defaults: test key, no client-side waiting."""
    with clients(api_key=API_KEY, rate_limits=UNLIMITED) as make:
        yield make


@pytest.fixture
def client(
    sandbox: RunningSandbox, make_client: Callable[..., PleasureStockClient]
) -> PleasureStockClient:
    """A client of the module's sandbox."""
    return make_client(sandbox.base_url)
