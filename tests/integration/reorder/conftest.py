"""Fixtures: a migrated database per test (every backend), sandboxes and clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.db import make_session_factory, upgrade_to_head
from lib.pleasurestock import PleasureStockClient
from lib.sandbox import RunningSandbox
from tests.support.databases import backend_engine, database_urls_under_test
from tests.support.sandboxes import UNLIMITED, clients, sandboxes

API_KEY = "pk_test_OrderRequestsKey77"
TODAY = date(2025, 11, 10)


@pytest.fixture(
    params=[
        pytest.param(b, id=b.name, marks=[pytest.mark.postgres] if b.url else [])
        for b in database_urls_under_test()
    ]
)
def session_factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[sessionmaker[Session]]:
    """A migrated database on each backend under test."""
    with backend_engine(request.param, tmp_path) as engine:
        upgrade_to_head(engine)
        yield make_session_factory(engine)


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., RunningSandbox]]:
    """Start sandboxes (server rate limits off) with their own faults."""
    with sandboxes(api_key=API_KEY, today=TODAY) as make:
        yield make


@pytest.fixture
def sandbox(make_sandbox: Callable[..., RunningSandbox]) -> RunningSandbox:
    """A sandbox of this test alone, so the orders it holds are this test's."""
    return make_sandbox()


@pytest.fixture
def make_client() -> Iterator[Callable[..., PleasureStockClient]]:
    """Clients that never wait: no client-side limits, back-offs only recorded."""
    with clients(api_key=API_KEY, rate_limits=UNLIMITED, sleep=lambda seconds: None) as make:
        yield make
