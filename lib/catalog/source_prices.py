"""Stock2Shop's price and named tiers beside each PleasureStock product it is linked to.

Only confirmed links count (``lib.sources.links``). Amounts stay ``Decimal`` in the
currency the price points were stored with (``STOCK2SHOP_CURRENCY`` at the sync; None
when it was not set: the API never states one). A tier priced 0 means "not priced"
(NOTES-peers.md 1.5.4), so it is unknown (None), never 0; so is a tier a variant
does not carry at all.

A product linked to several Stock2Shop variants keeps every one of them, in order: the
variants still in the snapshot first, then by item key. The catalog table shows the
first with the number of variants beside it, and the product's details list each.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.sources.records import PLEASURESTOCK, STOCK2SHOP, LinkMember, PricePoint, SourceItem

TIER_KIND = "tier:"
# Table columns; a tier's column is TIER_COLUMN + its name.
LINKED = "s2s_linked"
TIER_COLUMN = "s2s_tier:"
FIXED_LABELS: dict[str, str] = {
    "s2s_item": "Stock2Shop variant id",
    "s2s_sku": "Stock2Shop SKU",
    "s2s_price": "Stock2Shop price",
    "s2s_currency": "Stock2Shop currency",
    "s2s_variants": "Stock2Shop variants",
}
# Shown in the product's details, not in the grid (like the supplier id).
ID_COLUMNS = frozenset({"s2s_item"})


@dataclass(frozen=True)
class LinkedVariant:
    """One Stock2Shop variant linked to a product: its codes, its price and its tiers
    (tier name -> amount, None when unknown), and the currency they are in."""

    item_key: str
    sku: str | None
    in_snapshot: bool
    price: Decimal | None = None
    tiers: dict[str, Decimal | None] = field(default_factory=dict)
    currency: str | None = None


@dataclass(frozen=True)
class SourcePrices:
    """Per PleasureStock product (ps id), its linked variants in display order; and the
    names of the tiers any linked variant carries, sorted."""

    by_product: dict[str, tuple[LinkedVariant, ...]]
    tiers: tuple[str, ...]

    @property
    def without_currency(self) -> bool:
        """True when a linked variant has an amount but no currency to state it in."""
        return any(
            v.currency is None
            and (v.price is not None or any(a is not None for a in v.tiers.values()))
            for variants in self.by_product.values()
            for v in variants
        )


def linked_prices(
    groups: Iterable[Collection[LinkMember]],
    items: Iterable[SourceItem],
    points: Iterable[PricePoint],
) -> SourcePrices:
    """Each confirmed link group's Stock2Shop variants with their prices, per
    PleasureStock product of the group (``groups``: the groups' members; ``items`` and
    ``points``: Stock2Shop's stored snapshot). A variant gone from the snapshot is kept,
    with every amount unknown."""
    by_key = {item.item_key: item for item in items}
    prices: dict[str, dict[str, Decimal | None]] = {}
    currencies: dict[str, str | None] = {}
    for point in points:
        if point.min_qty != 1:  # the price of one unit: Stock2Shop states no quantity breaks
            continue
        amount = None if point.kind.startswith(TIER_KIND) and point.amount == 0 else point.amount
        prices.setdefault(point.item_key, {})[point.kind] = amount
        currencies[point.item_key] = point.currency
    linked: dict[str, set[str]] = {}
    for members in groups:
        keys = {m.item_key for m in members if m.source == STOCK2SHOP}
        for member in members:
            if member.source == PLEASURESTOCK and keys:
                linked.setdefault(member.item_key, set()).update(keys)
    by_product = {
        ps_id: tuple(
            sorted(
                (
                    _variant(key, by_key.get(key), prices.get(key, {}), currencies.get(key))
                    for key in keys
                ),
                key=lambda v: (not v.in_snapshot, v.item_key),
            )
        )
        for ps_id, keys in linked.items()
    }
    tiers = {name for variants in by_product.values() for v in variants for name in v.tiers}
    return SourcePrices(by_product, tuple(sorted(tiers, key=lambda name: (name.casefold(), name))))


def _variant(
    key: str, item: SourceItem | None, kinds: dict[str, Decimal | None], currency: str | None
) -> LinkedVariant:
    return LinkedVariant(
        item_key=key,
        sku=item.sku if item else None,
        in_snapshot=item is not None,
        price=kinds.get("price"),
        tiers={k.removeprefix(TIER_KIND): a for k, a in kinds.items() if k.startswith(TIER_KIND)},
        currency=currency,
    )


def source_price_columns(ps_ids: pd.Series, prices: SourcePrices) -> pd.DataFrame:
    """The Stock2Shop columns of the catalog table (same index as ``ps_ids``): whether
    the product is linked; and, when any product is, the first variant's id, SKU, price,
    currency and one column per tier, and how many variants it is linked to."""
    variants = [prices.by_product.get(ps_id, ()) for ps_id in ps_ids]
    columns: dict[str, list[object]] = {LINKED: [bool(v) for v in variants]}
    if prices.by_product:
        first = [v[0] if v else None for v in variants]
        columns |= {
            "s2s_item": [v.item_key if v else None for v in first],
            "s2s_sku": [v.sku if v else None for v in first],
            "s2s_price": [v.price if v else None for v in first],
            **{
                TIER_COLUMN + name: [v.tiers.get(name) if v else None for v in first]
                for name in prices.tiers
            },
            "s2s_currency": [v.currency if v else None for v in first],
            "s2s_variants": [len(v) for v in variants],
        }
    return pd.DataFrame(columns, index=ps_ids.index, dtype=object)


def tier_label(name: str) -> str:
    """How a tier's column is headed: ``Stock2Shop Wholesale tier``."""
    return f"Stock2Shop {name} tier"


def source_labels(columns: Iterable[str]) -> dict[str, str]:
    """Of the table's ``columns``, the Stock2Shop ones shown, with their headings, in order."""
    return {
        column: FIXED_LABELS.get(column) or tier_label(column.removeprefix(TIER_COLUMN))
        for column in columns
        if column in FIXED_LABELS or column.startswith(TIER_COLUMN)
    }


def is_source_money(column: str) -> bool:
    """True for a Stock2Shop amount column (its price or a tier)."""
    return column == "s2s_price" or column.startswith(TIER_COLUMN)


def stock2shop_prices(session_factory: sessionmaker[Session]) -> SourcePrices:
    """The confirmed links' Stock2Shop prices, from the stored snapshot."""
    with UnitOfWork(session_factory) as uow:
        groups = [g.members for g in uow.links.groups(["confirmed"])]
        items = uow.sources.items(STOCK2SHOP)
        points = uow.sources.prices(STOCK2SHOP)
    return linked_prices(groups, items, points)


def stock2shop_prices_key(
    session_factory: sessionmaker[Session],
) -> tuple[datetime | None, int, datetime | None]:
    """What ``stock2shop_prices`` depends on, as a cache key: Stock2Shop's newest sync
    (a sync replaces its snapshot) and the confirmed links' count and newest time."""
    with UnitOfWork(session_factory) as uow:
        last = uow.sources.last_sync(STOCK2SHOP)
        return (last.finished_at if last else None, *uow.links.confirmed_version())
