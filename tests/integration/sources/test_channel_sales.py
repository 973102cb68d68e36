"""Sales from Stock2Shop's channel orders into PleasureStock, over HTTP on both sandboxes:
each settled product-day arrives equal to its orders' total, a repeated pull sends nothing
twice, a cancellation is reported as a correction and never sent as a negative."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy.orm import Session, sessionmaker

from lib.sales.channel_pull import ChannelRules, pull_channel_sales
from lib.sales.sending import send_upload
from lib.sandbox import RunningSandbox
from lib.sandbox.stock2shop import (
    RunningStock2ShopSandbox,
    Stock2ShopSandboxConfig,
    start_in_thread,
)
from lib.sources.links import (
    confirm_links,
    linked_ps_ids,
    linked_stock_on_hand,
    links_overview,
    propose_links,
)
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.pleasurestock import PleasureStockSource
from lib.sources.sync import sync_source
from lib.upstream.errors import SourceError
from tests.integration.sources.conftest import API_KEY, TODAY, stock2shop_source
from tests.support.sandboxes import UNLIMITED, clients, sandboxes

ISTANBUL = ZoneInfo("Europe/Istanbul")
RULES = ChannelRules(
    sale_statuses=("ordered", "processing", "fulfilled"),
    time_zone=ISTANBUL,
    settle_days=2,
    sales_days=14,
)
ACTOR = "buyer@example.com"


@pytest.fixture
def shop() -> Iterator[RunningStock2ShopSandbox]:
    """A Stock2Shop sandbox of this test's own (its orders change), clock standing still."""
    config = Stock2ShopSandboxConfig(
        today=TODAY, clock_flows=False, rate_limit_per_second=None, index_lag_seconds=0
    )
    with start_in_thread(config) as running:
        yield running


@pytest.fixture
def pleasurestock() -> Iterator[tuple[RunningSandbox, object]]:
    """A PleasureStock sandbox on the same seed and day, and a client that never waits."""
    with (
        sandboxes(api_key=API_KEY, today=TODAY) as make_sandbox,
        clients(api_key=API_KEY, rate_limits=UNLIMITED, sleep=lambda s: None) as make_client,
    ):
        sandbox = make_sandbox()
        yield sandbox, make_client(sandbox.base_url)


def link_everything(
    session_factory: sessionmaker[Session], ps_client: object, s2s: object, namespaces: str
) -> None:
    """Both sources synced, and every link StockDesk proposes confirmed (as a person would)."""
    sync_source(PleasureStockSource(ps_client), session_factory, actor=ACTOR)
    sync_source(s2s, session_factory, actor=ACTOR)
    propose_links(session_factory, parse_equal_namespaces(namespaces), actor=ACTOR)
    proposals = links_overview(session_factory).proposals
    confirm_links(session_factory, [v.group.group_id for v in proposals], actor=ACTOR)


def expected_days(shop: RunningStock2ShopSandbox, sku_to_ps: dict[str, str], first_unsettled: date,
                  oldest: date) -> dict[tuple[str, date], int]:  # fmt: skip
    """The orders' totals per linked product and settled shop day, from the sandbox's store."""
    totals: dict[tuple[str, date], int] = defaultdict(int)
    for order in shop.store.all_live("orders"):
        if order["status"] not in RULES.sale_statuses:
            continue
        created = datetime.fromisoformat(str(order["created"]).replace(" ", "T"))
        day = created.replace(tzinfo=ZoneInfo("UTC")).astimezone(ISTANBUL).date()
        if not oldest <= day < first_unsettled:
            continue
        for line in order["line_items"]:
            if line["sku"] in sku_to_ps:
                totals[(sku_to_ps[line["sku"]], day)] += int(line["qty"])
    return dict(totals)


def test_channel_orders_arrive_once_per_product_day_and_a_cancellation_is_flagged(
    session_factory: sessionmaker[Session],
    shop: RunningStock2ShopSandbox,
    pleasurestock: tuple[RunningSandbox, object],
) -> None:
    ps_sandbox, ps_client = pleasurestock
    s2s = stock2shop_source(shop.base_url)
    now = datetime.combine(TODAY, datetime.min.time(), tzinfo=ZoneInfo("UTC")).replace(hour=9)
    with time_machine.travel(now, tick=True):  # synced on the sandboxes' day: stock is today's
        link_everything(
            session_factory, ps_client, s2s, "pleasurestock.sku=stock2shop.sku=stock2shop.barcode"
        )

    seeded = {key: value[0] for key, value in ps_sandbox.store.sales.items()}  # its history

    def received(keys: object) -> dict[tuple[str, date], int]:
        """What the sandbox holds now for ``keys``, beyond its seeded history."""
        return {k: ps_sandbox.store.sales[k][0] - seeded.get(k, 0) for k in keys}

    first = pull_channel_sales(s2s.client, session_factory, RULES, now=now)
    assert first.started.upload_id is not None
    report = send_upload(ps_client, session_factory, first.started.upload_id)
    assert report.upload.batches.unknown == 0 and report.accepted == first.started.batches

    sku_to_ps = linked_ps_ids(session_factory, "stock2shop")
    assert sku_to_ps  # the seeded matches, confirmed
    expected = expected_days(shop, sku_to_ps, date(2025, 11, 8), date(2025, 10, 27))
    assert received(expected) == expected
    assert len(first.sales.held_back) > 0  # 8 and 9 November wait until they settle
    # Today's stock: each linked product's warehouses in the snapshot synced today, summed.
    on_hand = linked_stock_on_hand(session_factory, "stock2shop", day=TODAY, time_zone=ISTANBUL)
    assert on_hand
    sent_stock = {ps: ps_sandbox.store.sales[(ps, TODAY)][1] for ps in on_hand}
    assert sent_stock == on_hand
    assert first.unlinked_skus  # the seeded SKUs that match nothing are named, not sent

    again = pull_channel_sales(s2s.client, session_factory, RULES, now=now)
    assert again.started.upload_id is None  # nothing new: nothing sent twice
    assert received(expected) == expected

    # A counted order of a settled day is cancelled afterwards.
    cancelled = next(
        o for o in shop.store.all_live("orders")
        if o["status"] in RULES.sale_statuses
        and any(line["sku"] in sku_to_ps for line in o["line_items"])
        and date(2025, 10, 28) <= datetime.fromisoformat(str(o["created"]).replace(" ", "T")).date()
        < date(2025, 11, 7)
    )  # fmt: skip
    shop.store.change_order(int(cancelled["id"]), status="cancelled")
    after = pull_channel_sales(s2s.client, session_factory, RULES, now=now)
    assert after.started.upload_id is None
    assert after.started.plan.count("correction") >= 1
    assert "lower than already sent" in after.summary()
    assert received(expected) == expected  # nothing taken back, never a negative


def test_fourteen_days_pulled_every_two_hours_under_faults_arrive_once_and_flag_cancellations(
    request: pytest.FixtureRequest,
    session_factory: sessionmaker[Session],
    pleasurestock: tuple[RunningSandbox, object],
) -> None:
    if "postgres" in request.node.callspec.id:
        pytest.skip("the storage is the first test's; this one is about time and faults")
    config = Stock2ShopSandboxConfig(
        today=TODAY,
        clock_flows=False,
        rate_limit_per_second=None,
        index_lag_seconds=60,  # an order is searchable a minute after it is placed
        fault_500=0.05,
        fault_429=0.05,
        fault_seed=11,
    )
    ps_sandbox, ps_client = pleasurestock
    with start_in_thread(config) as shop:
        s2s = stock2shop_source(shop.base_url, max_attempts=4)  # a read fails after 4 faults
        link_everything(session_factory, ps_client, s2s, "pleasurestock.sku=stock2shop.sku")
        sku_to_ps = linked_ps_ids(session_factory, "stock2shop")
        seeded = {key: value[0] for key, value in ps_sandbox.store.sales.items()}
        # Each pull reads 4 days again (enough for a cancellation 3 days late): 168 pulls.
        rules = replace(RULES, sales_days=4)
        start_day = TODAY - timedelta(days=rules.sales_days)
        failed_pulls, cancelled_days, corrections = 0, set(), 0
        for step in range(14 * 12):
            shop.store.clock.advance(2 * 3600)
            for _ in range(step % 3):
                shop.store.add_order()
            if step % 25 == 24:  # now and then an order of a settled day is cancelled
                victim = _counted_order(
                    shop, sku_to_ps, before=shop.store.clock.now() - timedelta(days=3)
                )
                shop.store.change_order(int(victim["id"]), status="cancelled")
                cancelled_days |= _product_days(victim, sku_to_ps)
            try:
                pull = pull_channel_sales(
                    s2s.client, session_factory, rules, now=shop.store.clock.now()
                )
            except SourceError:
                failed_pulls += 1  # the next pull reads the same days again
                continue
            corrections += pull.started.plan.count("correction")
            if pull.started.upload_id is not None:
                report = send_upload(ps_client, session_factory, pull.started.upload_id)
                assert report.upload.batches.unknown == 0
        last_settled = shop.store.clock.now().astimezone(ISTANBUL).date() - timedelta(days=2)
        expected = expected_days(shop, sku_to_ps, last_settled, start_day)
        received = {
            k: ps_sandbox.store.sales.get(k, (0,))[0] - seeded.get(k, 0)
            for k in set(expected) | cancelled_days
        }
        untouched = {k: v for k, v in expected.items() if k not in cancelled_days}
        assert {k: received[k] for k in untouched} == untouched  # each exactly once
        for key in cancelled_days:  # sent before the cancellation: never taken back
            assert received[key] > expected.get(key, 0)
        assert corrections > 0 and cancelled_days
        assert failed_pulls < 14 * 12 / 10  # the faults struck, yet the pulls caught up


def _counted_order(
    shop: RunningStock2ShopSandbox, sku_to_ps: dict[str, str], *, before: datetime
) -> dict:
    """The newest counted order with a linked line created before ``before``."""
    return max(
        (
            o
            for o in shop.store.all_live("orders")
            if o["status"] in RULES.sale_statuses
            and any(line["sku"] in sku_to_ps for line in o["line_items"])
            and _created(o) < before
        ),
        key=_created,
    )


def _created(order: dict) -> datetime:
    return datetime.fromisoformat(str(order["created"]).replace(" ", "T")).replace(
        tzinfo=ZoneInfo("UTC")
    )


def _product_days(order: dict, sku_to_ps: dict[str, str]) -> set[tuple[str, date]]:
    day = _created(order).astimezone(ISTANBUL).date()
    return {
        (sku_to_ps[line["sku"]], day) for line in order["line_items"] if line["sku"] in sku_to_ps
    }
