"""Price2B's daily stock snapshots in storage (every backend): a reading stored for
today replaces today's lines of the items it read and keeps the other days, and the
sales feed takes today's stock_on_hand from it when SALES_STOCK_SOURCE says price2b."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from lib.sales.channel_pull import ChannelRules, todays_stock
from lib.sources.links import confirm_links, links_overview, propose_links
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.own_stock import own_stock_of_day, store_stock_reading
from lib.sources.records import (
    PLEASURESTOCK,
    PRICE2B,
    CatalogSnapshot,
    SourceItem,
    StockLine,
    StockReading,
)
from lib.sources.sync import sync_source

from .test_source_sync import FixedSource

SessionFactory = sessionmaker[Session]
ISTANBUL = ZoneInfo("Europe/Istanbul")
# 22:30 UTC is already the next day in Istanbul: the snapshot belongs to the shop's day.
TAKEN = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
TODAY = date(2026, 12, 1)
RULES = ChannelRules(
    sale_statuses=("ordered",),
    time_zone=ISTANBUL,
    settle_days=2,
    sales_days=14,
    stock_source=PRICE2B,
)


def linked(session_factory: SessionFactory) -> None:
    """ps_1 <-> 101, ps_2 <-> 102, ps_3 <-> 103, confirmed."""
    for source, keys in (
        (PLEASURESTOCK, ("ps_1", "ps_2", "ps_3")),
        (PRICE2B, ("101", "102", "103")),
    ):
        items = tuple(
            SourceItem(source, key, f"Item {n}", sku=f"SKU-{n}") for n, key in enumerate(keys)
        )
        sync_source(FixedSource(source, CatalogSnapshot(items=items)), session_factory, actor="a")
    propose_links(
        session_factory, parse_equal_namespaces("pleasurestock.sku=price2b.sku"), actor="a"
    )
    ids = [v.group.group_id for v in links_overview(session_factory).proposals]
    assert confirm_links(session_factory, ids, actor="ayse") == 3


def reading(*lines: StockLine, missing: frozenset[str] = frozenset()) -> StockReading:
    return StockReading(lines, read=frozenset(line.item_key for line in lines), missing=missing)


def test_todays_reading_replaces_todays_lines_and_keeps_past_days(
    session_factory: SessionFactory,
) -> None:
    linked(session_factory)
    yesterday = reading(StockLine("101", "1", "Istanbul", 9, 0, 9))
    store_stock_reading(
        session_factory, PRICE2B, yesterday, taken_at=TAKEN - timedelta(days=1), time_zone=ISTANBUL
    )
    first = reading(
        StockLine("101", "1", "Istanbul", 10, 2, 8),
        StockLine("101", "2", "Izmir", 5, 0, 5),
        StockLine("102", "1", "Istanbul", 4, None, None),
    )
    store_stock_reading(session_factory, PRICE2B, first, taken_at=TAKEN, time_zone=ISTANBUL)
    # Read again later that day, one warehouse fewer: only the new lines count.
    later = reading(StockLine("101", "1", "Istanbul", 7, 1, 6), missing=frozenset({"103"}))
    store_stock_reading(
        session_factory, PRICE2B, later, taken_at=TAKEN + timedelta(hours=2), time_zone=ISTANBUL
    )
    today = own_stock_of_day(session_factory, PRICE2B, TODAY)
    assert (today["ps_1"].on_hand, today["ps_1"].reserved, today["ps_1"].available) == (7, 1, 6)
    assert (today["ps_2"].on_hand, today["ps_2"].reserved) == (4, None)
    assert today["ps_3"].on_hand is None  # gone from Price2B: unknown, never 0
    past = own_stock_of_day(session_factory, PRICE2B, TODAY - timedelta(days=1))
    assert past["ps_1"].on_hand == 9 and past["ps_2"].on_hand is None


def test_the_sales_feed_takes_todays_price2b_stock_when_set(
    session_factory: SessionFactory,
) -> None:
    linked(session_factory)
    lines = reading(
        StockLine("101", "1", "Istanbul", 10, 2, 8),
        StockLine("101", "2", "Izmir", 5, 0, 5),
        StockLine("102", "1", "Istanbul", None, None, None),
    )
    store_stock_reading(session_factory, PRICE2B, lines, taken_at=TAKEN, time_zone=ISTANBUL)
    # Warehouses summed by us; a product with a warehouse of unknown stock is left out.
    assert todays_stock(session_factory, RULES, TODAY) == {"ps_1": 15}
    # Yesterday's snapshot is never today's stock.
    assert todays_stock(session_factory, RULES, TODAY + timedelta(days=1)) == {}
