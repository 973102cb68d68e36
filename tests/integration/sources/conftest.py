"""Fixtures: a migrated database per test (every backend), and the PleasureStock,
Stock2Shop, Price2B and PSRESTful sandboxes (same seed and day, so their seeded match
shares hold) served over HTTP once for the package, with each catalog fetched once
through its source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from lib.price2b import Price2BClient
from lib.psrestful import PsRestfulClient
from lib.sandbox.price2b import Price2BSandboxConfig, RunningPrice2BSandbox
from lib.sandbox.price2b import start_in_thread as start_price2b
from lib.sandbox.price2b.embedded import DEMO_TOKEN
from lib.sandbox.psrestful import PsRestfulSandboxConfig, RunningPsRestfulSandbox
from lib.sandbox.psrestful import start_in_thread as start_psrestful
from lib.sandbox.psrestful.config import DEFAULT_API_KEY as PSR_DEMO_KEY
from lib.sandbox.psrestful.config import SUPPLIERS as PSR_SUPPLIERS
from lib.sandbox.stock2shop import (
    RunningStock2ShopSandbox,
    Stock2ShopSandboxConfig,
    start_in_thread,
)
from lib.sandbox.stock2shop.embedded import DEMO_USER
from lib.sources.pleasurestock import PleasureStockSource
from lib.sources.price2b import Price2BSource
from lib.sources.psrestful import PsRestfulSource
from lib.sources.records import CatalogSnapshot
from lib.sources.stock2shop import Stock2ShopSource
from lib.stock2shop import Stock2ShopClient
from tests.integration.sales.conftest import session_factory  # noqa: F401  (per backend)
from tests.support.sandboxes import UNLIMITED, clients, sandboxes

API_KEY = "pk_test_SourcesKey12345"
TODAY = date(2025, 11, 10)


@pytest.fixture(scope="package")
def s2s_sandbox() -> Iterator[RunningStock2ShopSandbox]:
    """A Stock2Shop sandbox on a clock that stands still, rate limit off."""
    config = Stock2ShopSandboxConfig(today=TODAY, clock_flows=False, rate_limit_per_second=None)
    with start_in_thread(config) as running:
        yield running


def stock2shop_source(
    base_url: str,
    *,
    currency: str | None = "ZAR",
    password: str = DEMO_USER.password,
    max_attempts: int = 2,
) -> Stock2ShopSource:
    """The Stock2Shop source on the sandbox's read-only login, at a pace no test reaches."""
    client = Stock2ShopClient(
        base_url=base_url,
        username=DEMO_USER.username,
        password=password,
        requests_per_second=10_000,
        sleep=lambda seconds: None,
        max_attempts=max_attempts,
    )
    return Stock2ShopSource(client, currency=currency)


@pytest.fixture(scope="package")
def s2s_snapshot(s2s_sandbox: RunningStock2ShopSandbox) -> CatalogSnapshot:
    """The Stock2Shop sandbox's whole catalog, fetched once."""
    source = stock2shop_source(s2s_sandbox.base_url)
    try:
        return source.fetch_catalog()
    finally:
        source.client.close()


@pytest.fixture(scope="package")
def ps_snapshot() -> CatalogSnapshot:
    """The PleasureStock sandbox's whole catalog (same seed and day), fetched once."""
    with (
        sandboxes(api_key=API_KEY, today=TODAY) as make_sandbox,
        clients(api_key=API_KEY, rate_limits=UNLIMITED, sleep=lambda s: None) as make,
    ):
        return PleasureStockSource(make(make_sandbox().base_url)).fetch_catalog()


@pytest.fixture(scope="package")
def p2b_sandbox() -> Iterator[RunningPrice2BSandbox]:
    """A Price2B sandbox on a clock that stands still (its rate limit is off by default)."""
    with start_price2b(Price2BSandboxConfig(today=TODAY, clock_flows=False)) as running:
        yield running


def price2b_source(base_url: str, *, token: str = DEMO_TOKEN, **options: Any) -> Price2BSource:
    """The Price2B source on the sandbox's read token, at a pace no test reaches."""
    client = Price2BClient(
        base_url=base_url,
        token=token,
        requests_per_second=10_000,
        sleep=lambda seconds: None,
        max_attempts=2,
    )
    return Price2BSource(client, **options)


@pytest.fixture(scope="package")
def p2b_snapshot(p2b_sandbox: RunningPrice2BSandbox) -> CatalogSnapshot:
    """The Price2B sandbox's whole catalog (no stock), fetched once."""
    source = price2b_source(p2b_sandbox.base_url)
    try:
        return source.fetch_catalog()
    finally:
        source.client.close()


@pytest.fixture(scope="package")
def psr_sandbox() -> Iterator[RunningPsRestfulSandbox]:
    """A PSRESTful sandbox (same seed and day) on a clock that stands still, rate limit off."""
    config = PsRestfulSandboxConfig(today=TODAY, clock_flows=False, rate_limit_per_second=None)
    with start_psrestful(config) as running:
        yield running


def psrestful_source(base_url: str, *, api_key: str = PSR_DEMO_KEY) -> PsRestfulSource:
    """The PSRESTful source on every seeded supplier, at a pace no test reaches."""
    client = PsRestfulClient(
        base_url=base_url,
        api_key=api_key,
        requests_per_second=10_000,
        sleep=lambda seconds: None,
        max_attempts=2,
    )
    return PsRestfulSource(client, supplier_codes=PSR_SUPPLIERS)


@pytest.fixture(scope="package")
def psr_source(psr_sandbox: RunningPsRestfulSandbox) -> Iterator[PsRestfulSource]:
    """The source whose catalog ``psr_snapshot`` was read with (its counters kept)."""
    source = psrestful_source(psr_sandbox.base_url)
    yield source
    source.client.close()


@pytest.fixture(scope="package")
def psr_snapshot(psr_source: PsRestfulSource) -> CatalogSnapshot:
    """The PSRESTful sandbox's whole catalog (every supplier), fetched once."""
    return psr_source.fetch_catalog()
