"""A PSRESTful supplier's offer beside each Reorder line whose PleasureStock supplier is
mapped to a PSRESTful supplier code (``PSRESTFUL_SUPPLIER_MAP``): the supplier's cached
availability, the unit price at the proposed quantity, how many more units reach the next
cheaper break, and its currency.

Never a price past the last documented break (``price_breaks.price_at`` says None), and
never a TRY value for a currency without a rate on the currency board (CAD has none).
The price is ``customer`` where PSRESTful gives one, else ``net`` (NOTES-peers.md 2.5.2),
and says which.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import LinkGroup, UnitOfWork
from lib.reorder.proposal import Rate
from lib.sources.price_breaks import price_at, units_to_next_break
from lib.sources.records import PLEASURESTOCK, PSRESTFUL, PricePoint, SourceItem, StockLine

PRICE_KINDS = ("customer", "net")  # the first a part has is its cost
OFFER_COLUMNS = (
    "supplier_code",
    "supplier_available",
    "supplier_unit_cost",
    "supplier_cost_kind",
    "supplier_currency",
    "supplier_unit_cost_try",
    "units_to_next_break",
)


@dataclass(frozen=True)
class SupplierOffer:
    """One PSRESTful part linked to a PleasureStock product: its supplier code, price
    breaks of one kind and currency, and availability summed over the supplier's
    warehouses (None when no warehouse row names the part: unknown, never 0)."""

    supplier_code: str
    item_key: str
    price_kind: str | None
    breaks: tuple[PricePoint, ...]
    available: int | None


def offer_of(
    supplier_code: str, item_key: str, points: Iterable[PricePoint], lines: Iterable[StockLine]
) -> SupplierOffer:
    """The offer of part ``item_key`` from its own price points and supplier stock lines."""
    points = list(points)
    kind = next((k for k in PRICE_KINDS if any(p.kind == k for p in points)), None)
    counts = [s.available for s in lines if s.kind == "supplier"]
    known = None if not counts or any(n is None for n in counts) else sum(counts)  # type: ignore[arg-type]
    chosen = sorted((p for p in points if p.kind == kind), key=lambda p: p.min_qty)
    return SupplierOffer(supplier_code, item_key, kind, tuple(chosen), known)


def offer_line(offer: SupplierOffer, quantity: int, rate: Rate) -> dict[str, object]:
    """What Reorder shows of ``offer`` at ``quantity`` units (exact amounts, rounded where
    shown)."""
    currency = offer.breaks[0].currency if offer.breaks else None
    unit = price_at(offer.breaks, quantity)
    per_try = rate(currency) if currency is not None else None
    return {
        "supplier_code": offer.supplier_code,
        "supplier_available": offer.available,
        "supplier_unit_cost": unit,
        "supplier_cost_kind": offer.price_kind,
        "supplier_currency": currency,
        "supplier_unit_cost_try": None if unit is None or per_try is None else unit * per_try,
        "units_to_next_break": units_to_next_break(offer.breaks, quantity),
    }


def with_supplier_offers(
    proposal: pd.DataFrame,
    offers: Mapping[str, SupplierOffer],
    supplier_map: Mapping[str, str],
    rate: Rate,
) -> pd.DataFrame:
    """``proposal`` with each line's offer at its ``quantity``: only where the line's
    supplier is mapped to the code of the part linked to its product; empty elsewhere."""
    rows: list[dict[str, object]] = []
    for ps_id, supplier, quantity in zip(
        proposal["ps_id"], proposal["supplier_id"], proposal["quantity"], strict=True
    ):
        offer = offers.get(ps_id)
        mapped = supplier_map.get(supplier) if isinstance(supplier, str) else None
        if offer is None or mapped is None or mapped.casefold() != offer.supplier_code.casefold():
            rows.append(dict.fromkeys(OFFER_COLUMNS))
        else:
            rows.append(offer_line(offer, int(quantity), rate))
    extra = pd.DataFrame(rows, columns=list(OFFER_COLUMNS), index=proposal.index, dtype=object)
    extra["supplier_available"] = extra["supplier_available"].astype("Int64")
    extra["units_to_next_break"] = extra["units_to_next_break"].astype("Int64")
    return pd.concat([proposal.drop(columns=list(OFFER_COLUMNS), errors="ignore"), extra], axis=1)


def linked_offers(
    groups: Iterable[LinkGroup],
    items: Iterable[SourceItem],
    prices: Iterable[PricePoint],
    stock: Iterable[StockLine],
) -> dict[str, SupplierOffer]:
    """PleasureStock product -> the offer of the one PSRESTful part a confirmed link gives
    it. A product linked to several parts gets none: which one would be ordered is not
    known, and a price is never guessed."""
    codes = {i.item_key: i.supplier_code for i in items if i.supplier_code}
    points: dict[str, list[PricePoint]] = defaultdict(list)
    for point in prices:
        points[point.item_key].append(point)
    lines: dict[str, list[StockLine]] = defaultdict(list)
    for line in stock:
        lines[line.item_key].append(line)
    found: dict[str, SupplierOffer] = {}
    for group in groups:
        ps_ids = [m.item_key for m in group.members if m.source == PLEASURESTOCK]
        parts = [m.item_key for m in group.members if m.source == PSRESTFUL]
        if group.state != "confirmed" or len(ps_ids) != 1 or len(parts) != 1:
            continue
        code = codes.get(parts[0])
        if code:
            found[ps_ids[0]] = offer_of(code, parts[0], points[parts[0]], lines[parts[0]])
    return found


def stored_offers(session_factory: sessionmaker[Session]) -> dict[str, SupplierOffer]:
    """The offers of every linked PSRESTful part, from its stored snapshot."""
    with UnitOfWork(session_factory) as uow:
        groups = uow.links.groups(["confirmed"])
        items = uow.sources.items(PSRESTFUL)
        prices = uow.sources.prices(PSRESTFUL)
        stock = uow.sources.stock(PSRESTFUL)
    return linked_offers(groups, items, prices, stock)
