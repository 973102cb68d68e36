"""Fixtures: one shared sandbox on a free loopback port, and clients for both auth styles."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread

API_KEY = "pk_test_sandbox"
TODAY = date(2025, 11, 10)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[RunningSandbox]:
    """The shared sandbox; rate limits are off so test order cannot make them flaky."""
    with start_in_thread(SandboxConfig(today=TODAY, rate_limits_enabled=False)) as running:
        yield running


@pytest.fixture(scope="session")
def std(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """A client for the standard endpoints (X-API-Key)."""
    with httpx.Client(base_url=sandbox.base_url, headers={"X-API-Key": API_KEY}) as client:
        yield client


@pytest.fixture(scope="session")
def ext(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """A client for the external endpoints (Bearer)."""
    headers = {"Authorization": f"Bearer {API_KEY}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers) as client:
        yield client
