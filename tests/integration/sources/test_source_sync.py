"""A source's sync replaces only its own rows, in one transaction; a failed one keeps the
previous snapshot and leaves every other source's rows alone."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.catalog.sync import sync_catalog
from lib.db import UnitOfWork
from lib.sandbox.stock2shop import RunningStock2ShopSandbox
from lib.sandbox.stock2shop import config as seeded
from lib.sources.records import PLEASURESTOCK, STOCK2SHOP, Capability, CatalogSnapshot
from lib.sources.sync import source_status, sync_source
from lib.stock2shop import AuthenticationError
from tests.support.sandboxes import UNLIMITED, clients, sandboxes

from .conftest import API_KEY, TODAY, stock2shop_source

SessionFactory = sessionmaker[Session]


@dataclass
class FixedSource:
    """A source whose catalog read returns ``snapshot``."""

    key: str
    snapshot: CatalogSnapshot
    label: str = "Fixed"
    capabilities: frozenset[Capability] = frozenset({Capability.CATALOG})

    def check(self) -> object:
        raise NotImplementedError

    def fetch_catalog(self, *, on_progress: object = None) -> CatalogSnapshot:
        return self.snapshot


def counts(session_factory: SessionFactory, source: str) -> tuple[int, int, int]:
    with UnitOfWork(session_factory) as uow:
        return (
            uow.sources.item_count(source),
            len(uow.sources.prices(source)),
            len(uow.sources.stock(source)),
        )


def test_a_stock2shop_sync_stores_its_variants_and_leaves_pleasurestock_alone(
    session_factory: SessionFactory,
    s2s_sandbox: RunningStock2ShopSandbox,
    ps_snapshot: CatalogSnapshot,
) -> None:
    sync_source(FixedSource(PLEASURESTOCK, ps_snapshot), session_factory, actor="ayse")
    before = counts(session_factory, PLEASURESTOCK)
    source = stock2shop_source(s2s_sandbox.base_url)
    assert sync_source(source, session_factory, actor="ayse") == seeded.VARIANT_COUNT
    assert (
        counts(session_factory, PLEASURESTOCK)
        == before
        == (
            len(ps_snapshot.items),
            len(ps_snapshot.prices),
            0,
        )
    )
    status = source_status(session_factory, STOCK2SHOP)
    assert status.item_count == seeded.VARIANT_COUNT
    assert status.last_sync is not None and status.last_sync.status == "ok"
    with UnitOfWork(session_factory) as uow:
        prices = uow.sources.prices(STOCK2SHOP)
        audit = [e for e in uow.audit.recent(limit=10) if e.action == "source.sync"]
    assert {p.currency for p in prices} == {"ZAR"}
    # "Was": 0 means no was-price: never a price point of 0.
    assert all(p.amount > Decimal(0) for p in prices)
    assert {e.entity_id for e in audit} == {PLEASURESTOCK, STOCK2SHOP}


def test_a_second_sync_replaces_the_snapshot_rather_than_adding_to_it(
    session_factory: SessionFactory, s2s_snapshot: CatalogSnapshot
) -> None:
    sync_source(FixedSource(STOCK2SHOP, s2s_snapshot), session_factory, actor="ayse")
    fewer = replace(s2s_snapshot, items=s2s_snapshot.items[:10], prices=(), stock=())
    sync_source(FixedSource(STOCK2SHOP, fewer), session_factory, actor="ayse")
    assert counts(session_factory, STOCK2SHOP) == (10, 0, 0)


def test_a_failed_sync_keeps_the_previous_snapshot_and_every_other_sources_rows(
    session_factory: SessionFactory,
    s2s_sandbox: RunningStock2ShopSandbox,
    s2s_snapshot: CatalogSnapshot,
    ps_snapshot: CatalogSnapshot,
) -> None:
    sync_source(FixedSource(PLEASURESTOCK, ps_snapshot), session_factory, actor="ayse")
    sync_source(FixedSource(STOCK2SHOP, s2s_snapshot), session_factory, actor="ayse")
    before = {s: counts(session_factory, s) for s in (PLEASURESTOCK, STOCK2SHOP)}
    refused = stock2shop_source(s2s_sandbox.base_url, password="wrong-password")
    with pytest.raises(AuthenticationError) as raised:
        sync_source(refused, session_factory, actor="ayse")
    assert "wrong-password" not in str(raised.value)
    assert {s: counts(session_factory, s) for s in (PLEASURESTOCK, STOCK2SHOP)} == before
    status = source_status(session_factory, STOCK2SHOP)
    assert status.item_count == len(s2s_snapshot.items)
    assert status.last_sync is not None and status.last_sync.status == "failed"
    assert "refused" in (status.last_sync.error or "")


def test_the_catalog_sync_stores_pleasurestocks_source_snapshot_in_the_same_transaction(
    session_factory: SessionFactory,
) -> None:
    with (
        sandboxes(api_key=API_KEY, today=TODAY) as make_sandbox,
        clients(api_key=API_KEY, rate_limits=UNLIMITED, sleep=lambda s: None) as make,
    ):
        count = sync_catalog(make(make_sandbox().base_url), session_factory, actor="ayse")
    status = source_status(session_factory, PLEASURESTOCK)
    assert status.item_count == count > 0
    assert status.last_sync is not None and status.last_sync.status == "ok"
    with UnitOfWork(session_factory) as uow:
        assert [e.action for e in uow.audit.recent()] == ["catalog.sync"]
