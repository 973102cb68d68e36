"""The source_sync job: run by its task from the schedule or a page, it stores the
snapshot and proposes links; a failing source fails the job and keeps the snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.jobs.runs import Runtime, bind_runtime
from lib.jobs.schedules import source_schedules
from lib.jobs.service import get_job, start_due, start_job
from lib.jobs.tasks import SOURCE_SYNC
from lib.sales.channel_pull import ChannelRules
from lib.sandbox.price2b import RunningPrice2BSandbox
from lib.sandbox.stock2shop import config as seeded
from lib.settings import DEMO_EQUAL_SKU_NAMESPACES
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.records import PLEASURESTOCK, PRICE2B, STOCK2SHOP, Capability, CatalogSnapshot
from lib.sources.sync import source_status, sync_source
from lib.stock2shop import NetworkError
from tests.support.jobs import jobs_run_at_once

from .conftest import price2b_source
from .test_price2b_source import ISTANBUL, link_price2b
from .test_source_sync import FixedSource

SessionFactory = sessionmaker[Session]


@dataclass
class DownSource:
    """A Stock2Shop that cannot be reached."""

    key: str = STOCK2SHOP
    label: str = "Stock2Shop"
    capabilities: frozenset[Capability] = frozenset({Capability.CATALOG})

    def check(self) -> object:
        raise NotImplementedError

    def fetch_catalog(self, *, on_progress: object = None) -> CatalogSnapshot:
        raise NetworkError("Stock2Shop cannot be reached (connection refused).")


@pytest.fixture(autouse=True)
def immediate() -> Iterator[None]:
    with jobs_run_at_once():
        yield


def bind(session_factory: SessionFactory, *sources: object) -> None:
    bind_runtime(
        Runtime(
            session_factory=session_factory,
            client=None,  # type: ignore[arg-type]
            sources=sources,  # type: ignore[arg-type]
            link_namespaces=parse_equal_namespaces(DEMO_EQUAL_SKU_NAMESPACES),
        )
    )


def test_the_scheduled_sync_stores_the_snapshot_and_proposes_links(
    session_factory: SessionFactory, ps_snapshot: CatalogSnapshot, s2s_snapshot: CatalogSnapshot
) -> None:
    sync_source(FixedSource(PLEASURESTOCK, ps_snapshot), session_factory, actor="sync")
    bind(session_factory, FixedSource(STOCK2SHOP, s2s_snapshot))
    syncs = [s for s in source_schedules([STOCK2SHOP]) if s.kind == SOURCE_SYNC]
    [job] = start_due(session_factory, syncs)
    done = get_job(session_factory, job.id)
    assert done is not None and (done.kind, done.subject, done.state) == (
        SOURCE_SYNC,
        STOCK2SHOP,
        "done",
    )
    proposed = seeded.MATCHED_BY_SKU + seeded.MATCHED_BY_BARCODE
    assert (
        done.message == f"Stored {seeded.VARIANT_COUNT:,} items; {proposed:,} link proposals open"
    )
    # The same period does not start again.
    assert start_due(session_factory, syncs) == []


def test_a_failing_source_fails_the_job_and_keeps_the_snapshot(
    session_factory: SessionFactory, s2s_snapshot: CatalogSnapshot
) -> None:
    sync_source(FixedSource(STOCK2SHOP, s2s_snapshot), session_factory, actor="sync")
    bind(session_factory, DownSource())
    job = get_job(
        session_factory, start_job(session_factory, SOURCE_SYNC, STOCK2SHOP, by="ayse").id
    )
    assert job is not None and job.state == "failed"
    assert job.last_error == "Stock2Shop cannot be reached (connection refused)."
    assert source_status(session_factory, STOCK2SHOP).item_count == seeded.VARIANT_COUNT


def test_a_source_that_is_not_configured_fails_with_that_reason(
    session_factory: SessionFactory,
) -> None:
    bind(session_factory)
    job = get_job(
        session_factory, start_job(session_factory, SOURCE_SYNC, STOCK2SHOP, by="ayse").id
    )
    assert job is not None and job.state == "failed"
    assert job.last_error == "The source 'stock2shop' is not configured."


def test_a_price2b_sync_job_stores_linked_stock_as_the_shops_day(
    session_factory: SessionFactory,
    ps_snapshot: CatalogSnapshot,
    p2b_snapshot: CatalogSnapshot,
    p2b_sandbox: RunningPrice2BSandbox,
) -> None:
    linked = link_price2b(session_factory, ps_snapshot, p2b_snapshot)
    source = price2b_source(p2b_sandbox.base_url, stock_budget=5)
    bind_runtime(
        Runtime(
            session_factory=session_factory,
            client=None,  # type: ignore[arg-type]
            sources=(source,),
            channel_rules=ChannelRules(("ordered",), ISTANBUL, settle_days=2, sales_days=14),
        )
    )
    # 22:30 UTC on 30 November is already 1 December in Istanbul.
    with time_machine.travel(datetime(2026, 11, 30, 22, 30, tzinfo=UTC), tick=False):
        job = start_job(session_factory, SOURCE_SYNC, PRICE2B, by="ayse")
    done = get_job(session_factory, job.id)
    assert done is not None and done.state == "done", done
    with UnitOfWork(session_factory) as uow:
        read = uow.stock_days.read_times(PRICE2B)
        shop_day = uow.stock_days.day(PRICE2B, date(2026, 12, 1))
        utc_day = uow.stock_days.day(PRICE2B, date(2026, 11, 30))
    assert len(read) == 5 and set(read) <= set(linked)
    assert shop_day and not utc_day
    assert {line.item_key for line, _ in shop_day} <= set(read)
