"""Price2B as a source: link proposals against PleasureStock give the seeded shares
exactly (and add up with Stock2Shop's), a sync stores its products and prices with
stock only for the linked keys, within the budget, and a failing sync keeps the
previous snapshot."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.price2b import AuthenticationError
from lib.sandbox.price2b import RunningPrice2BSandbox, start_in_thread
from lib.sandbox.price2b import config as seeded
from lib.sandbox.price2b.config import WAREHOUSES, Price2BSandboxConfig
from lib.sandbox.stock2shop import config as s2s_seeded
from lib.settings import DEMO_EQUAL_SKU_NAMESPACES, Settings
from lib.sources.links import confirm_links, links_overview, propose_links
from lib.sources.matching import normalised
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.price2b import demo_price2b, live_price2b
from lib.sources.records import PLEASURESTOCK, PRICE2B, STOCK2SHOP, CatalogSnapshot, StockLine
from lib.sources.sync import source_status, sync_source

from .conftest import TODAY, price2b_source
from .test_source_sync import FixedSource, counts

SessionFactory = sessionmaker[Session]
ISTANBUL = ZoneInfo("Europe/Istanbul")


def _carried(ps: CatalogSnapshot, *others: CatalogSnapshot) -> CatalogSnapshot:
    """The PleasureStock items whose SKU some other item carries (the rest match nothing)."""
    codes = {normalised(c) for o in others for i in o.items for c in (i.sku, i.barcode)}
    return CatalogSnapshot(items=tuple(i for i in ps.items if normalised(i.sku) in codes))


def _store(session_factory: SessionFactory, **snapshots: CatalogSnapshot) -> None:
    for key, snapshot in snapshots.items():
        sync_source(FixedSource(key, snapshot), session_factory, actor="sync")


def test_proposals_against_pleasurestock_are_the_seeded_shares_exactly(
    session_factory: SessionFactory, ps_snapshot: CatalogSnapshot, p2b_snapshot: CatalogSnapshot
) -> None:
    _store(
        session_factory,
        **{PLEASURESTOCK: _carried(ps_snapshot, p2b_snapshot), PRICE2B: p2b_snapshot},
    )
    declared = parse_equal_namespaces("pleasurestock.sku=price2b.sku")
    summary = propose_links(session_factory, declared, actor="ayse")
    assert summary.by_method == {"sku": seeded.MATCHED_BY_SKU + seeded.MATCHED_BY_FOLDED_SKU}
    # One code, three items: two Price2B products ("VIB-1", "vib-1") and PleasureStock's.
    assert summary.ambiguous_items == seeded.AMBIGUOUS_PRODUCTS + seeded.AMBIGUOUS_CODES
    assert summary.items_per_source[PRICE2B] == seeded.PRODUCT_TOTAL + seeded.INACTIVE_PRODUCTS
    # Nothing is proposed by SKU until the namespaces are declared equal.
    assert propose_links(session_factory, (), actor="ayse").proposed == 0


def test_three_sources_propose_their_shares_side_by_side(
    session_factory: SessionFactory,
    ps_snapshot: CatalogSnapshot,
    s2s_snapshot: CatalogSnapshot,
    p2b_snapshot: CatalogSnapshot,
) -> None:
    _store(
        session_factory,
        **{
            PLEASURESTOCK: _carried(ps_snapshot, s2s_snapshot, p2b_snapshot),
            STOCK2SHOP: s2s_snapshot,
            PRICE2B: p2b_snapshot,
        },
    )
    declared = parse_equal_namespaces(DEMO_EQUAL_SKU_NAMESPACES)
    summary = propose_links(session_factory, declared, actor="ayse")
    assert summary.by_method == {
        "sku": s2s_seeded.MATCHED_BY_SKU + seeded.MATCHED_BY_SKU + seeded.MATCHED_BY_FOLDED_SKU,
        "barcode": s2s_seeded.MATCHED_BY_BARCODE,
    }
    assert summary.ambiguous_items == (
        s2s_seeded.AMBIGUOUS_VARIANTS
        + s2s_seeded.AMBIGUOUS_CODES
        + seeded.AMBIGUOUS_PRODUCTS
        + seeded.AMBIGUOUS_CODES
    )
    # Every proposal pairs PleasureStock with exactly one other source.
    for view in links_overview(session_factory).proposals:
        sources = sorted(m.source for m in view.group.members)
        assert sources in ([PLEASURESTOCK, PRICE2B], [PLEASURESTOCK, STOCK2SHOP])


def link_price2b(
    session_factory: SessionFactory, ps: CatalogSnapshot, p2b: CatalogSnapshot
) -> list[str]:
    """Propose PleasureStock-Price2B links by SKU and confirm them all; the linked keys."""
    _store(session_factory, **{PLEASURESTOCK: _carried(ps, p2b), PRICE2B: p2b})
    propose_links(
        session_factory, parse_equal_namespaces("pleasurestock.sku=price2b.sku"), actor="a"
    )
    groups = [v.group.group_id for v in links_overview(session_factory).proposals]
    confirm_links(session_factory, groups, actor="ayse")
    return sorted(
        m.item_key
        for v in links_overview(session_factory).confirmed
        for m in v.group.members
        if m.source == PRICE2B
    )


def test_a_sync_stores_products_and_prices_and_stock_only_for_the_linked_keys(
    session_factory: SessionFactory, p2b_snapshot: CatalogSnapshot, ps_snapshot: CatalogSnapshot
) -> None:
    linked = link_price2b(session_factory, ps_snapshot, p2b_snapshot)
    with start_in_thread(Price2BSandboxConfig(today=TODAY, clock_flows=False)) as fresh:
        source = price2b_source(fresh.base_url, stock_budget=len(linked))
        count = sync_source(source, session_factory, actor="ayse")
        requests = dict(fresh.store.by_kind)
    assert count == seeded.PRODUCT_TOTAL + seeded.INACTIVE_PRODUCTS
    # 494 products in pages of 100, then one stock read per linked product, no more.
    assert requests == {"list": 5, "stock": len(linked)}
    with UnitOfWork(session_factory) as uow:
        prices = uow.sources.prices(PRICE2B)
        stock = uow.sources.stock(PRICE2B)
    assert len(prices) == count and {p.currency for p in prices} == {"USD", "EUR"}
    assert all(isinstance(p.amount, Decimal) and p.kind == "price" for p in prices)
    assert {s.item_key for s in stock} <= set(linked)
    assert {s.warehouse_name for s in stock} <= {name for _, name in WAREHOUSES}
    for line in stock:
        assert line.on_hand is not None and line.reserved is not None
        assert line.available == line.on_hand - line.reserved


def test_linked_stock_over_the_budget_is_read_in_turn_and_kept_per_day(
    session_factory: SessionFactory, p2b_snapshot: CatalogSnapshot, ps_snapshot: CatalogSnapshot
) -> None:
    linked = link_price2b(session_factory, ps_snapshot, p2b_snapshot)
    budget = 7
    syncs = -(-len(linked) // budget)  # ceil
    assert syncs >= 3  # the seed links enough products for the rotation to matter
    first_day = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    seen: list[str] = []
    with start_in_thread(Price2BSandboxConfig(today=TODAY, clock_flows=False)) as fresh:
        source = price2b_source(fresh.base_url, stock_budget=budget)
        for run in range(syncs):
            with time_machine.travel(first_day + timedelta(minutes=10 * run), tick=False):
                sync_source(source, session_factory, actor="sync", time_zone=ISTANBUL)
            read = read_times(session_factory)
            newest = max(read.values())
            seen += [k for k, at in read.items() if at == newest]
        stock_calls = fresh.store.by_kind["stock"]
        # Every linked product was read within ceil(linked / budget) syncs, each sync
        # spending its whole budget (the last one re-reads the oldest).
        assert set(seen) == set(linked) and stock_calls == budget * syncs
        lines = [line for line, _ in day_stock(session_factory, date(2026, 12, 1))]
        # A product read twice that day holds the second reading only.
        assert len({(line.item_key, line.warehouse_key) for line in lines}) == len(lines)
        one_day = {(line.item_key, line.warehouse_key): line for line in lines}
        # The next day's first sync reads the oldest-read again; the first day stays.
        before = read_times(session_factory)
        with time_machine.travel(first_day + timedelta(days=1), tick=False):
            sync_source(source, session_factory, actor="sync", time_zone=ISTANBUL)
    after = read_times(session_factory)
    again = {k for k in after if after[k] != before[k]}
    assert len(again) == budget
    assert max(before[k] for k in again) <= min(before[k] for k in set(before) - again)
    kept = day_stock(session_factory, date(2026, 12, 1))
    assert {(line.item_key, line.warehouse_key): line for line, _ in kept} == one_day
    next_day = day_stock(session_factory, date(2026, 12, 2))
    assert {line.item_key for line, _ in next_day} <= again
    assert {taken for _, taken in next_day} == {first_day + timedelta(days=1)}
    # What the Catalog's compare view shows: every item's newest reading, not only the
    # batch the last sync read.
    with UnitOfWork(session_factory) as uow:
        latest = {(s.item_key, s.warehouse_key): s for s in uow.stock_days.latest(PRICE2B)}
    reread = {line.item_key for line, _ in next_day}
    newest = {(s.item_key, s.warehouse_key): s for s, _ in kept if s.item_key not in reread}
    newest |= {(s.item_key, s.warehouse_key): s for s, _ in next_day}
    assert latest == newest and len({key for key, _ in latest}) > budget


def read_times(session_factory: SessionFactory) -> dict[str, datetime]:
    """When each Price2B item's stock was last read."""
    with UnitOfWork(session_factory) as uow:
        return uow.stock_days.read_times(PRICE2B)


def day_stock(session_factory: SessionFactory, day: date) -> list[tuple[StockLine, datetime]]:
    """The stored stock lines of ``day`` with when each was taken."""
    with UnitOfWork(session_factory) as uow:
        return uow.stock_days.day(PRICE2B, day)


def test_on_hand_follows_the_setting_and_the_currency_override_wins(
    p2b_sandbox: RunningPrice2BSandbox, p2b_snapshot: CatalogSnapshot
) -> None:
    key = next(
        i.item_key
        for i in p2b_snapshot.items
        if any(r for _, r in p2b_sandbox.store.product(int(i.item_key))["stock"].values())
    )
    quantity = price2b_source(p2b_sandbox.base_url).fetch_stock([key]).lines
    available = price2b_source(p2b_sandbox.base_url, on_hand="available").fetch_stock([key]).lines
    assert [line.on_hand for line in available] == [line.available for line in quantity]
    assert any(q.on_hand > a.on_hand for q, a in zip(quantity, available, strict=True))
    source = price2b_source(p2b_sandbox.base_url, currency="TRY", stock_keys=lambda: [])
    assert {p.currency for p in source.fetch_catalog().prices} == {"TRY"}


def test_stock_reads_stop_at_the_budget_and_say_which_keys_wait(
    p2b_sandbox: RunningPrice2BSandbox, p2b_snapshot: CatalogSnapshot
) -> None:
    keys = [i.item_key for i in p2b_snapshot.items[:10]]
    before = p2b_sandbox.store.by_kind["stock"]
    reading = price2b_source(p2b_sandbox.base_url, stock_budget=4).fetch_stock([*keys, "1"])
    assert p2b_sandbox.store.by_kind["stock"] - before == 4
    assert reading.missing == {"1"}
    assert len(reading.read) == 3 and len(reading.over_budget) == 7
    assert reading.read | reading.over_budget | reading.missing == {*keys, "1"}


def test_a_failing_sync_keeps_the_previous_snapshot(
    session_factory: SessionFactory,
    p2b_sandbox: RunningPrice2BSandbox,
    p2b_snapshot: CatalogSnapshot,
    ps_snapshot: CatalogSnapshot,
) -> None:
    _store(session_factory, **{PLEASURESTOCK: ps_snapshot, PRICE2B: p2b_snapshot})
    before = {s: counts(session_factory, s) for s in (PLEASURESTOCK, PRICE2B)}
    refused = price2b_source(p2b_sandbox.base_url, token="p2b_revoked_token_77")
    with pytest.raises(AuthenticationError) as raised:
        sync_source(refused, session_factory, actor="ayse")
    assert "p2b_revoked_token_77" not in str(raised.value)
    assert {s: counts(session_factory, s) for s in (PLEASURESTOCK, PRICE2B)} == before
    status = source_status(session_factory, PRICE2B)
    assert status.item_count == len(p2b_snapshot.items)
    assert status.last_sync is not None and status.last_sync.status == "failed"


def test_the_live_source_is_built_from_the_settings_and_off_without_a_token(
    tmp_path: Path,
) -> None:
    absent = tmp_path / "absent.toml"
    assert live_price2b(Settings.from_secrets_file(absent)) is None
    settings = Settings.from_secrets_file(
        absent,
        price2b_token=SecretStr("p2b_live_token_0123456789"),
        price2b_currency="eur",
        price2b_on_hand="available",
        price2b_stock_budget=50,
    )
    source = live_price2b(settings)
    assert source is not None
    try:
        assert (source.currency, source.on_hand, source.stock_budget) == ("EUR", "available", 50)
        assert source.client.base_url == "https://app.price2b.com/api"
        assert "p2b_live_token_0123456789" not in repr(source.client)
    finally:
        source.client.close()


def test_the_check_is_one_cheap_read_and_a_refusal_is_shown_without_the_token(
    p2b_sandbox: RunningPrice2BSandbox,
) -> None:
    before = p2b_sandbox.store.requests
    check = price2b_source(p2b_sandbox.base_url).check()
    assert check.reachable and check.latency_ms is not None
    assert (
        check.account == f"token seeing {seeded.PRODUCT_TOTAL + seeded.INACTIVE_PRODUCTS} products"
    )
    assert p2b_sandbox.store.requests - before == 1
    refused = price2b_source(p2b_sandbox.base_url, token="p2b_revoked_token_77").check()
    assert not refused.reachable and "PRICE2B_TOKEN" in (refused.error or "")
    assert "p2b_revoked_token_77" not in (refused.error or "")


def test_the_demo_source_reads_the_embedded_sandbox(tmp_path: Path) -> None:
    source = demo_price2b(Settings.from_secrets_file(tmp_path / "absent.toml"))
    try:
        assert source.check().reachable
    finally:
        source.client.close()
