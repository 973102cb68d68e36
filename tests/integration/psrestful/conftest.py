"""Fixtures: the real PSRESTful client against PSRESTful sandboxes served over HTTP on
free loopback ports, on a clock that stands still until a test advances it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from lib.psrestful import PsRestfulClient
from lib.sandbox.psrestful import PsRestfulSandboxConfig, RunningPsRestfulSandbox, start_in_thread
from lib.sandbox.psrestful.config import DEFAULT_API_KEY
from tests.support.peers import client_factory, sandbox_factory

__all__ = ["API_KEY", "TODAY", "sandbox_config"]

TODAY = date(2025, 11, 10)
API_KEY = DEFAULT_API_KEY


def sandbox_config(**overrides: Any) -> PsRestfulSandboxConfig:
    """The documented defaults on a still clock, rate limit off unless asked for."""
    options: dict[str, Any] = {
        "today": TODAY,
        "clock_flows": False,
        "rate_limit_per_second": None,
        **overrides,
    }
    return PsRestfulSandboxConfig(**options)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningPsRestfulSandbox]:
    """One sandbox per module with the documented defaults (rate limit off)."""
    with start_in_thread(sandbox_config()) as running:
        yield running


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., RunningPsRestfulSandbox]]:
    """Start extra sandboxes with their own config for one test."""
    with sandbox_factory(lambda **overrides: start_in_thread(sandbox_config(**overrides))) as make:
        yield make


@pytest.fixture
def make_client() -> Iterator[Callable[..., PsRestfulClient]]:
    """Clients (closed after the test): the sandbox key, a pace no test reaches, no waits."""
    with client_factory(PsRestfulClient, api_key=API_KEY) as make:
        yield make
