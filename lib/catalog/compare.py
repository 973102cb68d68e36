"""The Catalog's compare view: one row per confirmed link group with every source's price
in its own currency, PleasureStock's TCC and TSP, our own stock and the supplier's
availability with its age. Pure: literal snapshots in, a DataFrame out.

Every amount stays ``Decimal`` beside the currency its source stated; a TRY amount only
where the rate board has a rate for that currency (never for CAD, never for a price
without a currency). Unknown values are None, never 0: a stock figure is unknown when an
item has no stock line or a line says nothing. A group with several items of one source
shows that source's first item by key (the Product links section lists them all).

PSRESTful's price is the customer price where the answer has one, else the net price
(NOTES-peers.md 2.1), at one unit, or at the first break's quantity when the breaks
start higher; never past the last break (``lib.sources.price_breaks``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pandas as pd

from lib.catalog.table import RateLookup, to_try
from lib.sources.price_breaks import break_at, units_to_next_break
from lib.sources.psrestful import INVENTORY_MODIFIED
from lib.sources.records import (
    PLEASURESTOCK,
    PRICE2B,
    PSRESTFUL,
    STOCK2SHOP,
    CatalogSnapshot,
    LinkMember,
    PricePoint,
    SourceItem,
    StockLine,
)

# PSRESTful's price kinds, the one to use first.
SUPPLIER_KINDS = ("customer", "net")

# Compare column -> heading, in display order.
COMPARE_LABELS: dict[str, str] = {
    "ps_id": "ps id",
    "name": "Name",
    "ps_price": "PleasureStock price",
    "ps_currency": "PleasureStock currency",
    "ps_price_try": "PleasureStock price (TRY)",
    "tcc": "TCC",
    "tcc_currency": "TCC currency",
    "tcc_try": "TCC (TRY)",
    "tsp": "TSP",
    "tsp_currency": "TSP currency",
    "tsp_try": "TSP (TRY)",
    "s2s_price": "Stock2Shop price",
    "s2s_currency": "Stock2Shop currency",
    "s2s_price_try": "Stock2Shop price (TRY)",
    "p2b_price": "Price2B price",
    "p2b_currency": "Price2B currency",
    "p2b_price_try": "Price2B price (TRY)",
    "psr_price": "PSRESTful price",
    "psr_kind": "PSRESTful price kind",
    "psr_quantity": "PSRESTful price at quantity",
    "psr_next_quantity": "PSRESTful next break at",
    "psr_currency": "PSRESTful currency",
    "psr_price_try": "PSRESTful price (TRY)",
    "s2s_stock": "Stock2Shop stock",
    "p2b_on_hand": "Price2B on hand",
    "p2b_available": "Price2B available",
    "supplier_available": "Supplier availability",
    "supplier_as_of": "Supplier availability as of",
}
# What the shop pays, or may pay: hidden from roles without SEE_COSTS. Price2B documents
# no meaning for its price (NOTES-peers.md 3), so it is treated as a possible cost.
COST_COLUMNS = frozenset(
    {
        "ps_price",
        "ps_price_try",
        "tcc",
        "tcc_try",
        "psr_price",
        "psr_price_try",
        "p2b_price",
        "p2b_price_try",
    }
)


@dataclass(frozen=True)
class SupplierPrice:
    """A PSRESTful price: the amount, its kind, the quantity it applies at, the quantity
    of the next cheaper break (None when none follows), and the stated currency."""

    amount: Decimal
    kind: str
    quantity: int
    next_quantity: int | None
    currency: str | None


def supplier_price(points: Sequence[PricePoint], quantity: int = 1) -> SupplierPrice | None:
    """The customer (else net) price of one part at ``quantity`` units, or at the first
    break's quantity when ``quantity`` is below it; None past the last break or in a gap."""
    for kind in SUPPLIER_KINDS:
        breaks = [p for p in points if p.kind == kind]
        if not breaks:
            continue
        at = max(quantity, min(p.min_qty for p in breaks))
        found = break_at(breaks, at)
        if found is None:
            return None
        more = units_to_next_break(breaks, at)
        return SupplierPrice(
            found.amount, kind, at, None if more is None else at + more, found.currency
        )
    return None


def summed(lines: Iterable[StockLine], figure: str) -> int | None:
    """The sum of one figure (``on_hand``, ``available``) over ``lines``; None when there
    is no line or any line does not state it (unknown is never 0)."""
    values = [getattr(line, figure) for line in lines]
    if not values or any(v is None for v in values):
        return None
    return sum(values)


def inventory_as_of(item: SourceItem | None) -> datetime | None:
    """The oldest ``lastModified`` of a PSRESTful part's inventory rows; None when it
    has no row or a row states none (an age that is unknown is not fresh)."""
    stamps = list(((item.raw if item else {}) or {}).get(INVENTORY_MODIFIED, {}).values())
    if not stamps or any(s is None for s in stamps):
        return None
    return min(datetime.fromisoformat(s) for s in stamps)


def in_try(amount: Decimal | None, currency: str | None, rate: RateLookup) -> Decimal | None:
    """``amount`` in TRY, exact; None without an amount, a currency or a rate for it."""
    return to_try(amount, currency, {currency: rate(currency)} if currency else {})


@dataclass(frozen=True)
class _Source:
    """One source's snapshot, indexed for the compare rows."""

    items: dict[str, SourceItem]
    prices: dict[str, list[PricePoint]]
    stock: dict[str, list[StockLine]]

    @classmethod
    def of(cls, snapshot: CatalogSnapshot | None) -> _Source:
        found = cls({}, {}, {})
        for item in snapshot.items if snapshot else ():
            found.items[item.item_key] = item
        for point in snapshot.prices if snapshot else ():
            found.prices.setdefault(point.item_key, []).append(point)
        for line in snapshot.stock if snapshot else ():
            found.stock.setdefault(line.item_key, []).append(line)
        return found

    def price(self, key: str | None) -> PricePoint | None:
        """The item's one-unit ``price`` point."""
        points = self.prices.get(key, []) if key else []
        return next((p for p in points if p.kind == "price" and p.min_qty == 1), None)


def _first(members: Collection[LinkMember], source: str) -> str | None:
    keys = sorted(m.item_key for m in members if m.source == source)
    return keys[0] if keys else None


def compare_frame(
    groups: Iterable[Collection[LinkMember]],
    ps_table: pd.DataFrame,
    snapshots: Mapping[str, CatalogSnapshot],
    rate: RateLookup,
) -> pd.DataFrame:
    """One row per group (``groups``: confirmed groups' members) in ``COMPARE_LABELS``
    columns, sorted by ps id then name. ``ps_table`` is the catalog table
    (``catalog_table``: its ps id, name, price, TCC and TSP with their TRY values);
    ``snapshots`` each source's stored snapshot; ``rate`` TRY per unit of a currency."""
    ps = ps_table.set_index("ps_id", drop=False) if len(ps_table) else ps_table
    s2s, p2b, psr = (_Source.of(snapshots.get(k)) for k in (STOCK2SHOP, PRICE2B, PSRESTFUL))
    rows = []
    for members in groups:
        ps_id = _first(members, PLEASURESTOCK)
        product = ps.loc[ps_id] if ps_id is not None and ps_id in ps.index else None
        s2s_key, p2b_key, psr_key = (_first(members, k) for k in (STOCK2SHOP, PRICE2B, PSRESTFUL))
        named = [src.items.get(k) for src, k in ((s2s, s2s_key), (p2b, p2b_key), (psr, psr_key))]
        row: dict[str, object] = {
            "ps_id": ps_id,
            "name": product["name"]
            if product is not None
            else next((i.name for i in named if i is not None), None),
        }
        row |= _pleasurestock(product, rate)
        for prefix, point in (("s2s", s2s.price(s2s_key)), ("p2b", p2b.price(p2b_key))):
            amount, currency = (point.amount, point.currency) if point else (None, None)
            row |= {
                f"{prefix}_price": amount,
                f"{prefix}_currency": currency,
                f"{prefix}_price_try": in_try(amount, currency, rate),
            }
        found = supplier_price(psr.prices.get(psr_key, [])) if psr_key else None
        row |= {
            "psr_price": found.amount if found else None,
            "psr_kind": found.kind if found else None,
            "psr_quantity": found.quantity if found else None,
            "psr_next_quantity": found.next_quantity if found else None,
            "psr_currency": found.currency if found else None,
            "psr_price_try": in_try(found.amount, found.currency, rate) if found else None,
        }
        own = [line for line in s2s.stock.get(s2s_key or "", []) if line.kind == "own"]
        p2b_lines = [line for line in p2b.stock.get(p2b_key or "", []) if line.kind == "own"]
        supplier = [line for line in psr.stock.get(psr_key or "", []) if line.kind == "supplier"]
        row |= {
            "s2s_stock": summed(own, "on_hand") if s2s_key else None,
            "p2b_on_hand": summed(p2b_lines, "on_hand") if p2b_key else None,
            "p2b_available": summed(p2b_lines, "available") if p2b_key else None,
            "supplier_available": summed(supplier, "available") if psr_key else None,
            "supplier_as_of": inventory_as_of(psr.items.get(psr_key or "")) if supplier else None,
        }
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(COMPARE_LABELS), dtype=object)
    order = sorted(range(len(rows)), key=lambda n: (rows[n]["ps_id"] or "", rows[n]["name"] or ""))
    return frame.iloc[order].reset_index(drop=True)


def _pleasurestock(product: pd.Series | None, rate: RateLookup) -> dict[str, object]:
    """The PleasureStock columns of one row (all None without a product)."""
    if product is None:
        return {
            c: None
            for c in (
                "ps_price",
                "ps_currency",
                "ps_price_try",
                "tcc",
                "tcc_currency",
                "tcc_try",
                "tsp",
                "tsp_currency",
                "tsp_try",
            )
        }
    return {
        "ps_price": product["price"],
        "ps_currency": product["currency"],
        "ps_price_try": in_try(product["price"], product["currency"], rate),
        "tcc": product["tcc"],
        "tcc_currency": product["tcc_currency"],
        "tcc_try": product["tcc_try"],
        "tsp": product["tsp"],
        "tsp_currency": product["tsp_currency"],
        "tsp_try": product["tsp_try"],
    }


def compare_labelled(frame: pd.DataFrame, *, see_costs: bool) -> pd.DataFrame:
    """``frame`` with its headings, without the cost columns unless ``see_costs``."""
    shown = [c for c in frame.columns if see_costs or c not in COST_COLUMNS]
    return frame[shown].rename(columns=COMPARE_LABELS)
