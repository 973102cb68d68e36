"""Seeded PSRESTful data: five suppliers' styles and parts built on the PleasureStock
sandbox's catalog (same seed), so that known shares of parts match one PleasureStock SKU,
are ambiguous (one style code at two suppliers) or match nothing (``config``); price
breaks in USD and CAD; cached inventory per part and warehouse; the part-id map.

Records are the document's JSON (dicts, camelCase), money as ``Decimal``; a key that
starts with ``_`` (the row's supplier) is the sandbox's own and never served.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from lib.sandbox.models import Product as PsProduct
from lib.sandbox.psrestful.config import (
    AMBIGUOUS_CODES,
    FIRST_EXTRA_ID,
    INVENTORY_PART_IDS,
    LARGE_MAX_QUANTITY,
    LAST_BREAK,
    MATCHED_PARTS,
    SUPPLIERS,
    UNMAPPED_PER_INV_SUPPLIER,
    UNMATCHED_PARTS,
    WITH_CREDENTIALS,
)
from lib.sandbox.stock2shop.seed import ps_catalog

WAREHOUSES = (("WH001", "Dallas, TX"), ("WH002", "Reno, NV"), ("WH003", "Mississauga, ON"))
_COLORS = (("BLK", "Black"), ("NVY", "Navy"), ("RED", "Red"), ("WHT", "White"))
_SIZES = ("S", "M", "L", "XL")
_BREAKS = ((1, 11, "1"), (12, 35, "0.92"), (36, 71, "0.86"), (72, 143, "0.8"))
_LIST_OVER_NET = Decimal("1.43")
_CUSTOMER_OVER_NET = Decimal("0.95")
_FOUR = Decimal("0.0001")
_CENT = Decimal("0.01")


@dataclass
class Style:
    """One seeded product with its parts and its price breaks per currency."""

    supplier: str
    product_id: str
    name: str
    brand: str
    category: str
    parts: list[dict[str, Any]]
    net: Decimal
    places: Decimal
    extra_id: int = 0
    breaks: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class Seeded:
    """Everything the store serves."""

    suppliers: list[dict[str, Any]]
    styles: list[Style]
    inventory: list[dict[str, Any]]
    mappings: list[dict[str, Any]]


def inv_id(ppc_id: str) -> str:
    """A part's inventory-service id: its pricing id without separators (PC61BLKS)."""
    return ppc_id.replace("-", "")


def _drawn(value: float, places: int) -> Decimal:
    return Decimal(str(round(value, places)))


def _price_breaks(style: Style, currency: str, cad_rate: Decimal) -> list[dict[str, Any]]:
    rate = cad_rate if currency == "CAD" else Decimal(1)
    rows = []
    for index, (low, high, factor) in enumerate(_BREAKS):
        net = (style.net * Decimal(factor) * rate).quantize(style.places, ROUND_HALF_UP)
        row: dict[str, Any] = {
            "minQuantity": low,
            "maxQuantity": high,
            "listPrice": (net * _LIST_OVER_NET).quantize(style.places, ROUND_HALF_UP),
            "netPrice": net,
        }
        if style.supplier in WITH_CREDENTIALS:
            row["customerPrice"] = (net * _CUSTOMER_OVER_NET).quantize(style.places, ROUND_HALF_UP)
        if index == len(_BREAKS) - 1:
            mode = LAST_BREAK[style.supplier]
            if mode == "missing":
                del row["maxQuantity"]
            elif mode == "null":
                row["maxQuantity"] = None
            elif mode == "large":
                row["maxQuantity"] = LARGE_MAX_QUANTITY
        rows.append(row)
    return rows


def _styles(rng: np.random.Generator, ps: list[PsProduct]) -> list[Style]:
    picks = rng.choice(len(ps), size=MATCHED_PARTS + AMBIGUOUS_CODES, replace=False)
    chosen = [ps[int(i)] for i in picks]
    matched, ambiguous = chosen[:MATCHED_PARTS], chosen[MATCHED_PARTS:]
    # (partId, color, size, model) per supplier, before grouping into styles.
    loose: dict[str, list[tuple[str, str, str, PsProduct | None]]] = {s: [] for s in SUPPLIERS}
    for product in matched:
        color, size = _COLORS[int(rng.integers(len(_COLORS)))][1], str(rng.choice(_SIZES))
        loose[SUPPLIERS[int(rng.integers(len(SUPPLIERS)))]].append(
            (product.sku, color, size, product)
        )
    styles: list[Style] = []
    for k in range(UNMATCHED_PARTS):
        code, color = _COLORS[k % len(_COLORS)]
        size = _SIZES[(k // len(_COLORS)) % len(_SIZES)]
        supplier = SUPPLIERS[int(rng.integers(len(SUPPLIERS)))]
        loose[supplier].append((f"ST{5000 + k // 3}-{code}-{size}", color, size, None))
    for supplier in SUPPLIERS:
        rows = loose[supplier]
        position = 0
        while position < len(rows):
            size_of = int(rng.integers(1, 4))
            members = rows[position : position + size_of]
            position += size_of
            styles.append(
                _style(rng, supplier, f"{supplier[:2].upper()}{1000 + len(styles)}", members)
            )
    for product in ambiguous:
        pair = rng.choice(len(SUPPLIERS), size=2, replace=False)
        for s in sorted(int(i) for i in pair):
            # The same style code at two suppliers: product path ids must be extraIds.
            styles.append(
                _style(rng, SUPPLIERS[s], product.sku, [(product.sku, "Black", "M", product)])
            )
    return styles


def _style(
    rng: np.random.Generator,
    supplier: str,
    product_id: str,
    members: list[tuple[str, str, str, PsProduct | None]],
) -> Style:
    model = next((m for *_, m in members if m is not None), None)
    net = (
        model.price * _drawn(rng.uniform(0.3, 0.6), 3)
        if model is not None
        else _drawn(rng.uniform(2, 60), 2)
    )
    return Style(
        supplier=supplier,
        product_id=product_id,
        name=model.name if model is not None else f"{supplier} essential {product_id}",
        brand=f"{supplier} {('Classic', 'Pro', 'Eco')[int(rng.integers(3))]}",
        category=("Apparel", "Bags", "Drinkware", "Writing")[int(rng.integers(4))],
        parts=[{"partId": p, "color": c, "size": s} for p, c, s, _ in members],
        net=net,
        # Some suppliers' money has four decimals, as 0.0015 in the document.
        places=_FOUR if rng.random() < 0.3 else _CENT,
    )


def make_seed(seed: int, today: Any, count: int, now: datetime, cad_rate: Decimal) -> Seeded:
    """The whole seeded data for ``seed`` and ``today``, times relative to ``now``."""
    rng = np.random.default_rng([seed, 3])
    styles = _styles(rng, ps_catalog(seed, today, count))
    styles.sort(key=lambda s: (SUPPLIERS.index(s.supplier), s.product_id))
    for index, style in enumerate(styles):
        style.extra_id = FIRST_EXTRA_ID + index
        style.breaks = {c: _price_breaks(style, c, cad_rate) for c in ("USD", "CAD")}
    # A numeric style code that is another product's extraId (NOTES-peers.md 2.5.1).
    numeric = next(s for s in styles if s.supplier == "HIT" and s.product_id.startswith("HI"))
    numeric.product_id = str(styles[-1].extra_id)
    suppliers = [
        {
            "id": n + 1,
            "code": code,
            "name": code,
            "website": f"https://www.{code.lower()}.example.com",
            "shopifyReady": True,
            "credentialsAvailable": code in WITH_CREDENTIALS,
            "decorationsAvailable": False,
            "supported": True,
        }
        for n, code in enumerate(SUPPLIERS)
    ]
    inventory, mappings = [], []
    unmapped = dict.fromkeys(SUPPLIERS, 0)
    for style in styles:
        inv_format = INVENTORY_PART_IDS[style.supplier] == "inv"
        for part in style.parts:
            ppc = part["partId"]
            if inv_format and unmapped[style.supplier] < UNMAPPED_PER_INV_SUPPLIER:
                unmapped[style.supplier] += 1
            else:
                mappings.append(
                    {
                        "productId": style.product_id,
                        "medId": ppc,
                        "invId": inv_id(ppc),
                        "ppcId": ppc,
                        "_supplier": style.supplier,
                    }
                )
            count_of = int(rng.integers(1, len(WAREHOUSES) + 1))
            for warehouse_id, warehouse_name in WAREHOUSES[:count_of]:
                modified = now - timedelta(minutes=int(rng.integers(60, 10 * 24 * 60)))
                inventory.append(
                    {
                        "productId": style.product_id,
                        "partId": inv_id(ppc) if inv_format else ppc,
                        "quantityAvailable": int(rng.integers(0, 5000))
                        if rng.random() > 0.1
                        else 0,
                        "warehouseId": warehouse_id,
                        "warehouseName": warehouse_name,
                        "lastModified": modified.replace(microsecond=0),
                        "_supplier": style.supplier,
                    }
                )
    return Seeded(suppliers, styles, inventory, mappings)
