"""Normalised records every source returns (NOTES-peers.md 4.2): opaque string keys,
``Decimal`` money, and unknown values as None, never 0."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

# The keys sources are stored and linked under.
PLEASURESTOCK = "pleasurestock"
STOCK2SHOP = "stock2shop"
PRICE2B = "price2b"
PSRESTFUL = "psrestful"


class Capability(StrEnum):
    """What a source can do for StockDesk."""

    CATALOG = "catalog"  # items with identity, codes, category, brand, images
    PRICES = "prices"  # price points: kind, quantity range, amount, currency
    OWN_STOCK = "own_stock"  # our stock per warehouse
    SUPPLIER_STOCK = "supplier_stock"  # a supplier's availability per warehouse
    SALES_HISTORY = "sales_history"  # our sold quantities per SKU and day
    SALES_PUSH = "sales_push"  # PleasureStock only
    RECOMMENDATIONS = "recommendations"  # PleasureStock only
    PURCHASE_ORDERS = "purchase_orders"  # PleasureStock only
    WEBHOOKS = "webhooks"  # PleasureStock only


@dataclass(frozen=True)
class SourceItem:
    """One orderable item of a source (a PleasureStock product, a Stock2Shop variant).

    ``item_key`` is unique within the source; ``parent_key`` groups variants for display.
    A code the source does not give is None (an empty code is no code).
    """

    source: str
    item_key: str
    name: str
    sku: str | None = None
    barcode: str | None = None
    parent_key: str | None = None
    category_path: tuple[str, ...] = ()
    brand: str | None = None
    supplier_code: str | None = None
    images: tuple[str, ...] = ()
    active: bool = True
    updated_at: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class PricePoint:
    """One price of an item: ``kind`` (``price``, ``tcc``, ``tsp``, ``tier:Wholesale``),
    from ``min_qty`` up to ``max_qty`` (None: no upper bound); ``currency`` None when the
    source never states it and none is configured."""

    item_key: str
    kind: str
    amount: Decimal
    currency: str | None
    min_qty: int = 1
    max_qty: int | None = None


@dataclass(frozen=True)
class StockLine:
    """Stock of one item in one warehouse (``warehouse_key`` is scoped to the source);
    each figure None when the source does not say it."""

    item_key: str
    warehouse_key: str
    warehouse_name: str
    on_hand: int | None = None
    reserved: int | None = None
    available: int | None = None
    kind: str = "own"  # "own" or "supplier"


@dataclass(frozen=True)
class CatalogSnapshot:
    """A source's whole catalog at one moment, with the prices and stock its catalog read
    carries; fetched completely, never partial."""

    items: tuple[SourceItem, ...]
    prices: tuple[PricePoint, ...] = ()
    stock: tuple[StockLine, ...] = ()


@dataclass(frozen=True)
class StockReading:
    """Stock read for some items: the lines, and which keys were read, left for a later
    run because the request budget ran out, or not found at the source."""

    lines: tuple[StockLine, ...]
    read: frozenset[str] = frozenset()
    over_budget: frozenset[str] = frozenset()
    missing: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SourceCheck:
    """One cheap round trip: reachable or not, how fast, and who we are there."""

    reachable: bool
    latency_ms: float | None = None
    account: str | None = None
    # What a person should know even when it worked (an admin login, say).
    warning: str | None = None
    error: str | None = None


LinkMethod = Literal["barcode", "sku"]


@dataclass(frozen=True, order=True)
class LinkMember:
    """One item of a link group: a source and the item's key there."""

    source: str
    item_key: str


@dataclass(frozen=True)
class ProposedLink:
    """Items of different sources that look like one product: the field that matched
    (``barcode`` when a barcode field did, else ``sku``) and the code they share."""

    method: LinkMethod
    code: str
    members: frozenset[LinkMember]
