"""Fixtures: the sales tests' migrated database per backend, sandboxes and clients that
never wait, and a sandbox of each test's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from lib.sandbox import RunningSandbox

# The same fixtures as the sales tests use: one definition for both.
from tests.integration.sales.conftest import (  # noqa: F401
    make_client,
    make_sandbox,
    session_factory,
)
from tests.support.jobs import jobs_run_at_once


@pytest.fixture
def sandbox(make_sandbox: Callable[..., RunningSandbox]) -> RunningSandbox:  # noqa: F811
    """A sandbox of this test alone, so the orders it holds are this test's."""
    return make_sandbox()


@pytest.fixture(autouse=True)
def jobs_run_in_the_caller() -> Iterator[None]:
    """An order request's job runs at once, inside the call that starts it."""
    with jobs_run_at_once():
        yield
