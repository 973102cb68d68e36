"""Seeded Stock2Shop data: products and variants built on the PleasureStock sandbox's
catalog (same seed), so that known shares of variants match one PleasureStock product by
SKU or barcode, are ambiguous, or match nothing (``config``), plus channel orders over
the days before the sandbox clock, in the document's shapes.

Records are the document's JSON (dicts), money as ``Decimal`` (integral amounts print
as integers, like the document's ``10`` and ``55``), times as zoneless strings.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from lib.sandbox.catalog import make_catalog
from lib.sandbox.models import CENT
from lib.sandbox.models import Product as PsProduct
from lib.sandbox.stock2shop.config import (
    AMBIGUOUS_CODES,
    CLIENT_ID,
    INACTIVE_VARIANTS,
    MATCHED_BY_BARCODE,
    MATCHED_BY_SKU,
    ORDER_STATUSES,
    UNMATCHED,
    VARIANT_COUNT,
)

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# The document's own source and channel ids; 318 is a source linked to 57.
SOURCES: tuple[dict[str, Any], ...] = (
    {"id": 57, "description": "Main ERP", "type": "apifact_sapone", "source_id": None},
    {"id": 318, "description": "Linked ERP (Cape Town)", "type": "apifact_sapone", "source_id": 57},
)
CHANNELS: tuple[dict[str, Any], ...] = (
    {"id": 47, "description": "Web shop", "type": "shopify"},
    {"id": 191, "description": "Marketplace", "type": "takealot"},
    {"id": 255, "description": "B2B trade store", "type": "b2b_trade"},
)
_WAREHOUSES = ("Cape Town DC", "Johannesburg", "Durban Store")
_STATUS_WEIGHTS = (0.62, 0.08, 0.16, 0.07, 0.04, 0.03)
_TAX = Decimal("0.15")
# A shop's price over the PleasureStock price it is modelled on, and a was-price's over it.
_MARKUP = Decimal("1.9")
_WAS = Decimal("1.2")
_NAMES = (("Roger", "Waters"), ("Thandi", "Nkosi"), ("Pieter", "van Wyk"), ("Aisha", "Patel"))


def stamp(moment: datetime) -> str:
    """A time as the document writes products and orders: zoneless, to the second."""
    return moment.strftime(TIME_FORMAT)


def iso_stamp(moment: datetime) -> str:
    """A time as the document writes users, sources and channels: ``…T07:30:06+0000``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def ps_catalog(seed: int, today: date, count: int) -> list[PsProduct]:
    """The PleasureStock sandbox's products for ``seed`` and ``today`` (its store draws
    them from the same generator the same way)."""
    return make_catalog(np.random.default_rng(seed), today, count)[2]


def _codes(
    rng: np.random.Generator, ps: list[PsProduct], extra: int
) -> list[tuple[str, str, PsProduct | None]]:
    """(sku, barcode, PleasureStock product it is modelled on) per variant, in the shares
    the config names plus ``extra`` unmatched ones; local codes and barcodes are unique
    and unknown to PleasureStock."""
    picks = rng.choice(
        len(ps), size=MATCHED_BY_SKU + MATCHED_BY_BARCODE + AMBIGUOUS_CODES, replace=False
    )
    chosen = [ps[int(i)] for i in picks]
    by_sku = chosen[:MATCHED_BY_SKU]
    by_barcode = chosen[MATCHED_BY_SKU : MATCHED_BY_SKU + MATCHED_BY_BARCODE]
    ambiguous = chosen[MATCHED_BY_SKU + MATCHED_BY_BARCODE :]
    eans = iter(f"600{n:010d}" for n in rng.choice(10**9, size=2000 + extra, replace=False))
    local = iter(range(1, 10**6))
    codes: list[tuple[str, str, PsProduct | None]] = []
    for product in by_sku:
        codes.append((product.sku, next(eans) if rng.random() < 0.5 else "", product))
    for product in by_barcode:
        codes.append((f"ERP-{next(local):05d}", product.sku, product))
    for product in ambiguous:
        codes += [(product.sku, "", product), (product.sku, next(eans), product)]
    for k in range(UNMATCHED + extra + INACTIVE_VARIANTS):
        # Digit-only codes with leading zeros must stay text, or they stop matching.
        sku = f"{next(local):07d}" if k % 2 == 0 else f"S2S-{next(local):05d}"
        codes.append((sku, next(eans) if k % 3 else "", None))
    return codes


def _drawn(value: float, places: int) -> Decimal:
    """A number the generator drew, as a Decimal rounded to ``places`` (money and its
    factors never pass through float arithmetic)."""
    return Decimal(str(round(value, places)))


def money(amount: Decimal, as_integer: bool) -> Decimal:
    """An amount to the cent, or to the unit (the document's ``10`` and ``55``)."""
    cents = amount.quantize(CENT, ROUND_HALF_UP)
    return cents.to_integral_value(ROUND_HALF_UP) if as_integer else cents


def _variant(
    rng: np.random.Generator,
    vid: int,
    pid: int,
    image_id: int,
    code: tuple[str, str, PsProduct | None],
) -> dict[str, Any]:
    sku, barcode, model = code
    base = model.price * _MARKUP if model is not None else _drawn(rng.uniform(40, 900), 2)
    as_integer = rng.random() < 0.3
    price = money(base, as_integer)
    wholesale = base * _drawn(rng.uniform(0.55, 1.1), 3)
    tiers = [{"tier": "Wholesale", "price": money(wholesale, as_integer)}]
    # "Was": 0 means "no was-price", as in the document.
    tiers.append(
        {
            "tier": "Was",
            "price": Decimal(0) if rng.random() < 0.7 else money(base * _WAS, as_integer),
        }
    )
    qty = int(rng.integers(0, 80))
    shape = rng.random()
    if shape < 0.3:
        warehouses: list[dict[str, Any]] = []
    else:
        count = int(rng.integers(1, len(_WAREHOUSES) + 1))
        split = rng.multinomial(qty, [1 / count] * count)
        warehouses = [{"description": _WAREHOUSES[w], "qty": int(q)} for w, q in enumerate(split)]
        if shape > 0.9:  # the document's own case: qty is not the warehouses' sum
            warehouses[0]["qty"] += 1
    return {
        "id": vid,
        "source_variant_code": sku if rng.random() < 0.85 else f"SVC{vid}",
        "price": price,
        "barcode": barcode,
        "sku": sku,
        "qty": qty,
        "grams": int(rng.integers(0, 900)),
        "inventory_management": bool(rng.random() >= 0.03),
        "active": True,
        "product_id": pid,
        # A few point at an image the product does not have, as in the document.
        "image_id": image_id if rng.random() >= 0.05 else image_id + 100_000,
        "client_id": CLIENT_ID,
        "option1": f"Pack of {int(rng.choice([1, 3, 10, 25]))}",
        "price_tiers": tiers,
        "qty_availability": warehouses,
    }


def make_products(
    rng: np.random.Generator, ps: list[PsProduct], now: datetime, variants: int = VARIANT_COUNT
) -> list[dict[str, Any]]:
    """Products of one to three variants each, ``variants`` active ones in all; the last
    ones are deactivated. Modified times fall in the 60 days before ``now``, some
    products sharing one second."""
    codes = _codes(rng, ps, variants - VARIANT_COUNT)
    active_codes, inactive_codes = (
        codes[: len(codes) - INACTIVE_VARIANTS],
        codes[len(codes) - INACTIVE_VARIANTS :],
    )
    order = rng.permutation(len(active_codes))
    groups: list[tuple[list[tuple[str, str, PsProduct | None]], bool]] = []
    position = 0
    while position < len(order):
        size = int(rng.integers(1, 4))
        groups.append(([active_codes[int(i)] for i in order[position : position + size]], True))
        position += size
    groups += [(inactive_codes[k : k + 2], False) for k in range(0, len(inactive_codes), 2)]
    products: list[dict[str, Any]] = []
    vid = 67_000
    tie: datetime | None = None
    for index, (members, active) in enumerate(groups):
        pid = 62_000 + index
        image_id = 271_000 + index
        if tie is not None and rng.random() < 0.15:
            modified = tie  # several products changed in the same second
        else:
            modified = (now - timedelta(seconds=int(rng.integers(60, 60 * 86400)))).replace(
                microsecond=0
            )
            tie = modified
        created = modified - timedelta(days=int(rng.integers(1, 700)))
        model = next((m for _, _, m in members if m is not None), None)
        title = model.name if model is not None else f"House brand item {pid}"
        variants = []
        for code in members:
            variants.append(_variant(rng, vid, pid, image_id, code))
            vid += 1
        products.append(
            {
                "id": pid,
                "created": stamp(created),
                "active": active,
                "source_product_code": f"P{pid}",
                "modified": stamp(modified),
                "client_id": CLIENT_ID,
                "source_id": 57,
                "body_html": f'<p>{title}. <a href="https://example.com/{pid}">More</a></p>',
                "collection": model.category.name_en
                if model is not None and model.category
                else "House",
                "title": title,
                "product_type": "Wellness",
                "vendor": "",
                "hash": f"{pid:032x}",
                "channels": [{"channel_id": "47", "channel_product_code": str(pid)}],
                "tags": "",
                "options": [{"name": "Selection", "position": 1}],
                "meta": [],
                "images": [
                    {
                        "id": image_id,
                        "src": f"https://s2s-image.example/{pid}.jpg",
                        "src_50x50": f"https://s2s-image.example/thumb/50x50/{pid}.jpg",
                        "src_160x160": f"https://s2s-image.example/thumb/160x160/{pid}.jpg",
                        "storage_code": f"{pid}.jpg",
                        "hash": f"{image_id:032x}",
                        "product_id": pid,
                        "active": True,
                        "source_image_code": None,
                        "client_id": CLIENT_ID,
                    }
                ],
                "variants": variants,
            }
        )
    return products


def _display(amount: Decimal) -> str:
    return f"{amount:.2f}"


def order_line(line_id: int, variant: dict[str, Any], qty: int) -> dict[str, Any]:
    """One line item: per-unit ``price``, ``sub_total`` = price x qty, 15 % tax."""
    price = Decimal(variant["price"])
    sub_total = (price * qty).quantize(CENT)
    tax = (sub_total * _TAX).quantize(CENT, ROUND_HALF_UP)
    total = sub_total + tax
    line = {
        "id": line_id,
        "grams": variant["grams"],
        "price": price,
        "sku": variant["sku"],
        "total_discount": Decimal(0),
        "qty": qty,
        "variant_id": variant["id"],
        "source_id": 318,
        "tax_lines": [{"rate": "15"}],
        "sub_total": sub_total,
        "tax": tax,
        "tax_per_unit": (price * _TAX).quantize(CENT, ROUND_HALF_UP),
        "total": total,
    }
    for name in ("sub_total", "tax", "tax_per_unit", "total", "price", "total_discount"):
        line[f"{name}_display"] = _display(line[name])
    return line


def total_order(order: dict[str, Any]) -> None:
    """Recompute an order's totals from its lines (after a line changed)."""
    sub_total = sum((line["sub_total"] for line in order["line_items"]), Decimal(0))
    tax = sum((line["tax"] for line in order["line_items"]), Decimal(0))
    order.update(sub_total=sub_total, tax=tax, total=sub_total + tax)
    for name in ("sub_total", "tax", "total"):
        order[f"{name}_display"] = _display(order[name])


def _person(rng: np.random.Generator, number: int) -> dict[str, Any]:
    first, last = _NAMES[int(rng.integers(0, len(_NAMES)))]
    return {
        "address1": f"{number} Sunny Str",
        "address2": None,
        "city": "Cape Town",
        "company": None,
        "country": "ZA",
        "country_code": "ZA",
        "first_name": first,
        "last_name": last,
        "phone": f"0821{number:06d}",
        "province": None,
        "province_code": None,
        "zip": "8001",
    }


def new_order(
    rng: np.random.Generator,
    order_id: int,
    line_id: int,
    created: datetime,
    status: str,
    variants: list[dict[str, Any]],
) -> dict[str, Any]:
    """An order of one to three lines of ``variants``, created at ``created``."""
    channel = CHANNELS[int(rng.integers(0, len(CHANNELS)))]
    picks = rng.choice(len(variants), size=int(rng.integers(1, 4)), replace=False)
    person = _person(rng, order_id % 1000)
    order: dict[str, Any] = {
        "id": order_id,
        "created": stamp(created),
        "channel_order_code": f"{order_id % 10**7:07d}",
        "modified": stamp(created),
        "channel_id": channel["id"],
        "client_id": CLIENT_ID,
        "customer_id": 495_000 + order_id % 1000,
        "notes": "",
        "status": status,
        "total_discount": Decimal(0),
        # Zero at order level, as in the document: the lines hold the amounts.
        "line_item_sub_total": Decimal(0),
        "line_item_tax": Decimal(0),
        "shipping_sub_total": Decimal(0),
        "shipping_tax": Decimal(0),
        "shipping_total": Decimal(0),
        "customer": {
            "channel_customer_code": f"{order_id:010x}",
            "email": f"customer{order_id}@example.com",
            "first_name": person["first_name"],
            "last_name": person["last_name"],
        },
        "sources": [{"source_id": "318", "source_order_code": str(3_360_000 + order_id)}],
        "line_items": [
            order_line(line_id + k, variants[int(p)], int(rng.integers(1, 5)))
            for k, p in enumerate(picks)
        ],
        "meta": [{"key": "customer_reference", "value": f"PO {order_id}"}],
        "shipping_address": person,
        "billing_address": dict(person),
        "shipping_total_display": "0.00",
        "shipping_tax_display": "0.00",
        "total_discount_display": "0.00",
    }
    total_order(order)
    return order


def make_orders(
    rng: np.random.Generator,
    products: list[dict[str, Any]],
    now: datetime,
    days: int,
    per_day: float,
    daily: tuple[int, ...] = (),
) -> list[dict[str, Any]]:
    """Orders on each of the ``days`` days before ``now`` (and today until ``now``), or
    exactly ``daily[k]`` on the k-th of the ``len(daily)`` days before today (none today)
    when ``daily`` is given; some were cancelled or refunded days after they were placed
    (``modified`` later)."""
    sellable = [v for p in products if p["active"] for v in p["variants"]]
    days = len(daily) if daily else days
    start = datetime.combine(
        now.date() - timedelta(days=days), datetime.min.time(), tzinfo=now.tzinfo
    )
    orders: list[dict[str, Any]] = []
    order_id, line_id = 933_000, 3_715_000
    for day in range(days + 1):
        midnight = start + timedelta(days=day)
        count = (daily[day] if day < days else 0) if daily else int(rng.poisson(per_day))
        for _ in range(count):
            created = midnight + timedelta(seconds=int(rng.integers(0, 86400)))
            if created >= now:
                continue
            status = str(rng.choice(ORDER_STATUSES, p=_STATUS_WEIGHTS))
            order = new_order(rng, order_id, line_id, created, status, sellable)
            if status in ("cancelled", "refunded", "fulfilled"):
                later = min(created + timedelta(hours=int(rng.integers(2, 120))), now)
                order["modified"] = stamp(later)
            orders.append(order)
            order_id += 1
            line_id += len(order["line_items"])
    return orders
