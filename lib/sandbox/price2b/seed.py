"""Seeded Price2B products built on the PleasureStock sandbox's catalog (same seed), so
that known shares match one PleasureStock product by SKU (exactly, or once trimmed and
case-folded), are ambiguous, or match nothing (``config``), each with stock in none to
three warehouses, some of it reserved.

The PleasureStock products used are never ones the Stock2Shop sandbox (same seed)
carries, so the link counts of the three sandboxes add up. Records are the document's
JSON (dicts), money as ``Decimal`` (some integral, like the document's ``35``), times as
ISO 8601 with ``Z``; stock is kept per warehouse as (quantity, reserved).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from lib.sandbox.models import Product as PsProduct
from lib.sandbox.price2b.config import (
    AMBIGUOUS_CODES,
    DELETED_PRODUCTS,
    INACTIVE_PRODUCTS,
    MATCHED_BY_FOLDED_SKU,
    MATCHED_BY_SKU,
    NO_STOCK_SHARE,
    PRODUCT_TOTAL,
    UNMATCHED,
    WAREHOUSES,
)
from lib.sandbox.stock2shop.seed import make_products as make_stock2shop_products
from lib.sandbox.stock2shop.seed import money, ps_catalog

FIRST_ID = 12_345  # the document's example id
# A Price2B price over the PleasureStock price it is modelled on.
_MARKUP = Decimal("1.6")
_COUNTRIES = ("CN", "US", "DE", "TR", "MX")
Record = dict[str, Any]


def iso(moment: datetime) -> str:
    """A time as the document writes it: ``2026-01-15T10:30:00Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _stock2shop_codes(seed: int, ps: list[PsProduct], now: datetime) -> set[str]:
    """Every code the Stock2Shop sandbox's variants carry for this seed (its store draws
    them from this generator first)."""
    variants = (
        v
        for p in make_stock2shop_products(np.random.default_rng([seed, 2]), ps, now)
        for v in p["variants"]
    )
    return {code for v in variants for code in (v["sku"], v["barcode"]) if code}


def _codes(
    rng: np.random.Generator, ps: list[PsProduct], taken: set[str], extra: int
) -> list[tuple[str, PsProduct | None]]:
    """(sku, PleasureStock product it is modelled on) per product, in the config's shares
    plus ``extra`` unmatched ones; the active ones first, then the inactive and the
    deleted ones (house SKUs)."""
    free = [p for p in ps if p.sku not in taken]
    picks = rng.choice(
        len(free), size=MATCHED_BY_SKU + MATCHED_BY_FOLDED_SKU + AMBIGUOUS_CODES, replace=False
    )
    chosen = [free[int(i)] for i in picks]
    exact = chosen[:MATCHED_BY_SKU]
    folded = chosen[MATCHED_BY_SKU : MATCHED_BY_SKU + MATCHED_BY_FOLDED_SKU]
    ambiguous = chosen[MATCHED_BY_SKU + MATCHED_BY_FOLDED_SKU :]
    codes: list[tuple[str, PsProduct | None]] = [(p.sku, p) for p in exact]
    codes += [(f" {p.sku.lower()} ", p) for p in folded]
    for product in ambiguous:
        # Unique per account as the document says, yet one code once case-folded.
        codes += [(product.sku, product), (product.sku.lower(), product)]
    for k in range(UNMATCHED + extra + INACTIVE_PRODUCTS + DELETED_PRODUCTS):
        # Digit-only codes with leading zeros must stay text, or they stop matching.
        codes.append((f"{k + 1:08d}" if k % 3 == 0 else f"P2B-{k + 1:05d}", None))
    return codes


def _stock(rng: np.random.Generator) -> dict[int, tuple[int, int]]:
    """warehouse id -> (quantity, reserved), reserved never above quantity; empty for
    a share of products (stock in no warehouse)."""
    if rng.random() < NO_STOCK_SHARE:
        return {}
    count = int(rng.integers(1, len(WAREHOUSES) + 1))
    picked = sorted(int(i) for i in rng.choice(len(WAREHOUSES), size=count, replace=False))
    stock = {}
    for index in picked:
        quantity = int(rng.integers(0, 200))
        reserved = int(rng.integers(0, quantity + 1)) if quantity and rng.random() < 0.4 else 0
        stock[WAREHOUSES[index][0]] = (quantity, reserved)
    return stock


def _product(
    rng: np.random.Generator, pid: int, sku: str, model: PsProduct | None, now: datetime
) -> Record:
    base = (
        model.price * _MARKUP
        if model is not None
        else Decimal(str(round(float(rng.uniform(5, 400)), 2)))
    )
    name = model.name if model is not None else f"House item {pid}"
    category = model.category.name_en if model is not None and model.category else "House"
    created = now - timedelta(days=int(rng.integers(30, 900)), seconds=int(rng.integers(0, 86400)))
    updated = created + timedelta(days=int(rng.integers(0, 29)))
    # Created without a currency: stored as USD, the create default (NOTES-peers.md 3.5).
    currency = "EUR" if rng.random() < 0.15 else "USD"
    return {
        "id": pid,
        "sku": sku,
        "name": name,
        "description": f"{name} ({category})",
        "category": category,
        "price": money(base, rng.random() < 0.3),
        "currency": currency,
        "weight": Decimal(str(round(float(rng.uniform(0.05, 3)), 2))),
        "dimensions": {
            "length": int(rng.integers(5, 40)),
            "width": int(rng.integers(5, 30)),
            "height": int(rng.integers(2, 20)),
        },
        "hs_code": f"{int(rng.integers(10**9, 10**10 - 1))}",
        "country_of_origin": _COUNTRIES[int(rng.integers(0, len(_COUNTRIES)))],
        "status": "active",
        "images": [
            {
                "id": pid * 10 + k,
                "url": f"https://cdn.price2b.example/{pid}-{k}.jpg",
                "is_primary": k == 0,
            }
            for k in range(int(rng.integers(0, 3)))
        ],
        "created_at": iso(created),
        "updated_at": iso(min(updated, now)),
        "deleted": False,
        "stock": _stock(rng),
    }


def make_products(
    seed: int, today: date, now: datetime, ps_count: int, active: int = PRODUCT_TOTAL
) -> list[Record]:
    """The seeded products, in id order: ``active`` active ones of every share shuffled
    together (those beyond the shares unmatched), then the inactive and the soft-deleted
    ones."""
    ps = ps_catalog(seed, today, ps_count)
    rng = np.random.default_rng([seed, 3])
    codes = _codes(rng, ps, _stock2shop_codes(seed, ps, now), active - PRODUCT_TOTAL)
    hidden = INACTIVE_PRODUCTS + DELETED_PRODUCTS
    shown, rest = codes[: len(codes) - hidden], codes[len(codes) - hidden :]
    ordered = [shown[int(i)] for i in rng.permutation(len(shown))] + rest
    products = [
        _product(rng, FIRST_ID + index, sku, model, now)
        for index, (sku, model) in enumerate(ordered)
    ]
    for product in products[len(shown) : len(shown) + INACTIVE_PRODUCTS]:
        product["status"] = "inactive"
    for product in products[len(shown) + INACTIVE_PRODUCTS :]:
        product["deleted"] = True
    return products


def category_ids(products: list[Record]) -> dict[str, int]:
    """Category name -> the integer id the ``category_id`` filter takes (1, 2, … by name)."""
    names = sorted({p["category"] for p in products})
    return {name: index for index, name in enumerate(names, start=1)}
