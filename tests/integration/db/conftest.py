"""Fixtures for storage tests: every test runs on each backend under test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from lib.db import UnitOfWork, make_session_factory, upgrade_to_head
from tests.support.databases import Backend, backend_engine, database_urls_under_test

BACKENDS = [
    pytest.param(backend, id=backend.name, marks=[pytest.mark.postgres] if backend.url else [])
    for backend in database_urls_under_test()
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    """The backend this test runs on."""
    return request.param


@pytest.fixture
def empty_engine(backend: Backend, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty, never migrated database."""
    with backend_engine(backend, tmp_path) as engine:
        yield engine


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """An engine on a database migrated to head."""
    upgrade_to_head(empty_engine)
    return empty_engine


@pytest.fixture
def uow_factory(engine: Engine) -> Callable[[], UnitOfWork]:
    """Makes a new unit of work on the migrated database."""
    session_factory = make_session_factory(engine)
    return lambda: UnitOfWork(session_factory)
