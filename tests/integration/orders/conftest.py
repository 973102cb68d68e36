"""Order tests' upstream and storage: a sandbox per module, a client, a fresh SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.db import open_database
from lib.pleasurestock import PleasureStockClient
from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread

API_KEY = "pk_test_OrderTests01234567"
TODAY = date(2025, 11, 10)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    """A sandbox on ``TODAY`` without rate limits, shared by one test module."""
    config = SandboxConfig(api_key=API_KEY, today=TODAY, rate_limits_enabled=False)
    with start_in_thread(config) as running:
        yield running


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[PleasureStockClient]:
    """The real client against ``sandbox``."""
    with PleasureStockClient(base_url=sandbox.base_url, api_key=API_KEY) as api:
        yield api


@pytest.fixture
def session_factory(tmp_path: Path) -> sessionmaker[Session]:
    """Sessions on a fresh, migrated SQLite database."""
    return open_database(f"sqlite:///{tmp_path / 'stockdesk.db'}").session_factory
