"""Catalog sync and TRY rates against a real sandbox, stored on each database backend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lib.catalog.snapshot import catalog_status
from lib.catalog.sync import sync_catalog
from lib.currency import todays_rates
from lib.db import UnitOfWork, make_session_factory
from lib.pleasurestock import (
    AuthenticationError,
    PleasureStockClient,
    ServerError,
)
from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread
from tests.support.sandboxes import UNLIMITED

KEY = "pk_test_sandbox"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with start_in_thread(SandboxConfig(rate_limits_enabled=False)) as running:
        yield running


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


def _client(base_url: str, key: str = KEY) -> PleasureStockClient:
    return PleasureStockClient(
        base_url=base_url, api_key=key, rate_limits=UNLIMITED, max_attempts=2, sleep=lambda _: None
    )


def test_sync_stores_the_whole_catalog_and_audits_it(
    sandbox: RunningSandbox, sessions: sessionmaker[Session]
) -> None:
    with _client(sandbox.base_url) as client:
        count = sync_catalog(client, sessions, actor="tester")
    status = catalog_status(sessions)
    assert count == len(sandbox.store.products) == status.snapshot.product_count
    assert status.last_sync is not None and status.last_sync.status == "ok"
    assert not status.is_stale(timedelta(hours=1), now=datetime.now(UTC))
    with UnitOfWork(sessions) as uow:
        stored = {p.internal_id: p for p in uow.catalog.load_products()}
        audit = uow.audit.recent()
    first = sandbox.store.products[0]
    assert stored[first.internal_id].price == first.price
    assert audit[0].action == "catalog.sync" and audit[0].after == {"product_count": count}


def test_failed_sync_keeps_the_previous_snapshot_and_records_why(
    sandbox: RunningSandbox, sessions: sessionmaker[Session]
) -> None:
    with _client(sandbox.base_url) as client:
        count = sync_catalog(client, sessions, actor="tester")
    with (
        _client(sandbox.base_url, key="pk_live_revoked") as bad,
        pytest.raises(AuthenticationError),
    ):
        sync_catalog(bad, sessions, actor="tester")
    with (
        start_in_thread(SandboxConfig(rate_limits_enabled=False, fault_500=1.0)) as broken,
        _client(broken.base_url) as client,
        pytest.raises(ServerError),
    ):
        sync_catalog(client, sessions, actor="tester")

    status = catalog_status(sessions)
    assert status.snapshot.product_count == count
    assert status.last_sync is not None and status.last_sync.status == "failed"
    assert "internal error" in (status.last_sync.error or "")


def test_rates_are_fetched_once_a_day_and_stored(
    sandbox: RunningSandbox, sessions: sessionmaker[Session]
) -> None:
    with _client(sandbox.base_url) as client:
        board = todays_rates(client, sessions)
        used = _used(client)
        again = todays_rates(client, sessions)
        assert _used(client) == used  # same day: no new calls
    assert set(board.rates) == {"EUR", "USD", "GBP"}
    assert board.rate("EUR") == Decimal("34.875")
    assert board.rate("try") == Decimal(1)
    assert board.rate("CHF") is None
    assert again.rates["USD"].rate_to_try == board.rates["USD"].rate_to_try
    assert used == 3  # one call per currency


def test_failed_rate_service_falls_back_to_the_stored_rates(
    sandbox: RunningSandbox, sessions: sessionmaker[Session]
) -> None:
    with _client(sandbox.base_url) as client:
        todays_rates(client, sessions)
    with (
        start_in_thread(SandboxConfig(rate_limits_enabled=False, fault_500=1.0)) as broken,
        _client(broken.base_url) as client,
    ):
        tomorrow = date.today() + timedelta(days=1)
        board = todays_rates(client, sessions, today=tomorrow)
    assert board.error and "internal error" in board.error
    assert board.rate("GBP") == Decimal("40.65")


def _used(client: PleasureStockClient) -> int:
    return next(
        u.used
        for u in client.rate_limit_usage()
        if u.rate_class == "standard" and u.window_seconds == 3600
    )
