"""The other sources in the Catalog: the compare view and its data-quality issues, read
from the stored snapshots and the confirmed links; and one source's stored items
listed "under their own source", with a part's price breaks for its details.

``source_comparison`` is what the page calls; ``source_listing`` and ``item_prices`` are
pure, over one source's snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.catalog.compare import compare_frame, inventory_as_of, summed, supplier_price
from lib.catalog.source_quality import CHECKED_SOURCES, SourceIssue, source_issues
from lib.catalog.table import RateLookup
from lib.db import UnitOfWork
from lib.sources.records import PRICE2B, PSRESTFUL, CatalogSnapshot, LinkMember, StockLine

# Listing column -> heading, in display order.
LISTING_LABELS: dict[str, str] = {
    "item_key": "Item key",
    "sku": "SKU",
    "name": "Name",
    "brand": "Brand",
    "supplier_code": "Supplier code",
    "price": "Price",
    "price_kind": "Price kind",
    "price_quantity": "At quantity",
    "currency": "Currency",
    "on_hand": "On hand",
    "available": "Available",
    "as_of": "Availability as of",
}
BREAK_LABELS: dict[str, str] = {
    "kind": "Price kind",
    "min_qty": "From quantity",
    "max_qty": "To quantity",
    "amount": "Unit price",
    "currency": "Currency",
}


@dataclass(frozen=True)
class SourceComparison:
    """The compare rows, the sources' issues, and each checked source's snapshot (for
    the listings)."""

    frame: pd.DataFrame
    issues: list[SourceIssue]
    snapshots: dict[str, CatalogSnapshot]


def source_comparison(
    session_factory: sessionmaker[Session],
    ps_table: pd.DataFrame,
    rate: RateLookup,
    *,
    now: datetime,
    max_inventory_age: timedelta,
    price2b_currency_set: bool,
) -> SourceComparison:
    """The compare view of the confirmed link groups over the stored snapshots
    (``ps_table``: the catalog table), and the data-quality issues of the sources."""
    with UnitOfWork(session_factory) as uow:
        groups = [g.members for g in uow.links.groups(["confirmed"])]
        snapshots = {
            source: CatalogSnapshot(
                tuple(uow.sources.items(source, with_raw=True)),
                tuple(uow.sources.prices(source)),
                tuple(_stock(uow, source)),
            )
            for source in CHECKED_SOURCES
        }
    linked = {LinkMember(m.source, m.item_key) for members in groups for m in members}
    return SourceComparison(
        frame=compare_frame(groups, ps_table, snapshots, rate),
        issues=source_issues(
            snapshots,
            linked,
            now=now,
            max_inventory_age=max_inventory_age,
            price2b_currency_set=price2b_currency_set,
        ),
        snapshots=snapshots,
    )


def _stock(uow: UnitOfWork, source: str) -> list[StockLine]:
    """The source's stored stock; for Price2B, read a budget at a time, the last sync's
    batch and, for every other item, its newest daily reading."""
    current = uow.sources.stock(source)
    if source != PRICE2B:
        return current
    fresh = {line.item_key for line in current}
    return current + [line for line in uow.stock_days.latest(source) if line.item_key not in fresh]


def comparison_key(session_factory: sessionmaker[Session]) -> tuple[object, ...]:
    """What ``source_comparison`` depends on besides the catalog and rates, as a cache
    key: each checked source's newest sync and the confirmed links' count and newest time."""
    with UnitOfWork(session_factory) as uow:
        syncs = [uow.sources.last_sync(source) for source in CHECKED_SOURCES]
        return (*(s.finished_at if s else None for s in syncs), *uow.links.confirmed_version())


def source_listing(source: str, snapshot: CatalogSnapshot) -> pd.DataFrame:
    """One row per stored item of ``source``, by item key, in ``LISTING_LABELS`` columns:
    its price at one unit (PSRESTful: customer else net, at one unit or the first break),
    stock summed over warehouses (unknown as None) and, for a supplier, the oldest
    availability row's time."""
    prices: dict[str, list] = {}
    for point in snapshot.prices:
        prices.setdefault(point.item_key, []).append(point)
    stock: dict[str, list] = {}
    for line in snapshot.stock:
        stock.setdefault(line.item_key, []).append(line)
    rows = []
    for item in sorted(snapshot.items, key=lambda i: i.item_key):
        points = prices.get(item.item_key, [])
        if source == PSRESTFUL:
            found = supplier_price(points)
            price = (found.amount, found.kind, found.quantity, found.currency) if found else None
        else:
            one = next((p for p in points if p.kind == "price" and p.min_qty == 1), None)
            price = (one.amount, one.kind, 1, one.currency) if one else None
        lines = stock.get(item.item_key, [])
        rows.append(
            {
                "item_key": item.item_key,
                "sku": item.sku,
                "name": item.name,
                "brand": item.brand,
                "supplier_code": item.supplier_code,
                **dict(
                    zip(
                        ("price", "price_kind", "price_quantity", "currency"),
                        price or (None,) * 4,
                        strict=True,
                    )
                ),
                "on_hand": summed(lines, "on_hand"),
                "available": summed(lines, "available"),
                "as_of": inventory_as_of(item) if source == PSRESTFUL and lines else None,
            }
        )
    return pd.DataFrame(rows, columns=list(LISTING_LABELS), dtype=object)


def item_prices(snapshot: CatalogSnapshot, item_key: str) -> pd.DataFrame:
    """Every stored price point of one item (each break of each kind), by kind and
    quantity, in ``BREAK_LABELS`` columns."""
    points = sorted(
        (p for p in snapshot.prices if p.item_key == item_key), key=lambda p: (p.kind, p.min_qty)
    )
    return pd.DataFrame(
        [{c: getattr(p, c) for c in BREAK_LABELS} for p in points],
        columns=list(BREAK_LABELS),
        dtype=object,
    )
