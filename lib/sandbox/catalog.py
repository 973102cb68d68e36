"""Seeded catalog: categories, suppliers and products (2,650 by default) with TCC/TSP pricing."""

from __future__ import annotations

import string
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from lib.sandbox.config import PRODUCT_COUNT
from lib.sandbox.models import CENT, Category, Product, Supplier

_ALNUM = np.array(list(string.ascii_lowercase + string.digits))

# (Russian name, English name, SKU prefix, nouns used to build product names)
_CATEGORIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Вибраторы", "Vibrators", "VIB", ("Vibrator", "Bullet Vibe", "Wand Massager")),
    ("Лубриканты", "Lubricants", "LUB", ("Water-Based Lube", "Silicone Lube", "Gel")),
    ("Презервативы", "Condoms", "CON", ("Condoms 12 pcs", "Ultra Thin Condoms", "Condoms 3 pcs")),
    ("Белье", "Lingerie", "LIN", ("Lace Bodysuit", "Babydoll Set", "Stockings")),
    ("Фаллоимитаторы", "Dildos", "DIL", ("Realistic Dildo", "Glass Dildo", "Silicone Dildo")),
    ("Анальные игрушки", "Anal Toys", "ANL", ("Butt Plug", "Anal Beads", "Prostate Massager")),
    ("Мастурбаторы", "Masturbators", "MAS", ("Stroker", "Masturbator Cup", "Sleeve")),
    ("БДСМ", "BDSM", "BDS", ("Handcuffs", "Blindfold", "Flogger", "Collar")),
    ("Массажные масла", "Massage Oils", "OIL", ("Massage Oil", "Massage Candle", "Body Butter")),
    ("Эрекционные кольца", "Cock Rings", "RNG", ("Cock Ring", "Vibrating Ring", "Ring Set")),
    ("Вагинальные шарики", "Kegel Balls", "KEG", ("Kegel Balls", "Kegel Trainer", "Love Balls")),
    ("Кролики", "Rabbit", "RAB", ("Rabbit Vibrator", "Dual Stimulator")),
    ("Игрушки для пар", "Couples Toys", "CPL", ("Couples Vibrator", "Remote Egg", "Game Set")),
    ("Уход за игрушками", "Toy Care", "CAR", ("Toy Cleaner", "Storage Pouch", "Charging Cable")),
)
# The documents' own category id, which is not a valid UUID: the client must treat ids as opaque.
_NON_UUID_CATEGORY_ID = "c4f3e2d1-a2b3-4c5d-6e7f-8g9h0i1j2k3l"

# (id, name, currency): integer ids and UUID strings both occur in the documents.
_SUPPLIERS: tuple[tuple[int | str, str, str], ...] = (
    ("550e8400-e29b-41d4-a716-446655440001", "Yiqing", "USD"),
    (12, "Lovetoy Trading", "USD"),
    (15, "Svakom Direct", "USD"),
    ("0c6f4b1e-3f0a-4f8e-9a51-2d7c0e9b6a11", "Fun Factory", "EUR"),
    (21, "Shots Europe", "EUR"),
    ("f0229142-8d6e-4d3b-b1a5-7e4c2a9d0b33", "Satisfyer Trade", "EUR"),
    (27, "Lovehoney Wholesale", "GBP"),
    (31, "Doc Johnson UK", "GBP"),
    ("9a3e7c55-1b2d-4c6e-8f90-a1b2c3d4e5f6", "Istanbul Wellness", "TRY"),
    (44, "Anadolu Intim", "TRY"),
)
_ADJECTIVES = (
    "Premium", "Silky", "Soft", "Deluxe", "Classic", "Pulse", "Velvet", "Aqua", "Luxe",
    "Mini", "Pro", "Rechargeable", "Warming", "Flex", "Nova", "Bliss",
)  # fmt: skip
_COLOURS = ("Black", "Pink", "Purple", "Red", "Blue", "White", "Teal", "Gold")
_PRICE_RANGE = {"USD": (3, 120), "EUR": (3, 110), "GBP": (3, 95), "TRY": (90, 3800)}
# The company's TSP formula: (multiplier, addend) per pricing currency.
_TSP_TRY = (Decimal("2.5"), Decimal("104"))
_TSP_FOREIGN = (Decimal("1.8"), Decimal("5"))
_TSP_OVERRIDE = (Decimal("0.9"), Decimal("0"))


def _uuid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def _uuids(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` UUIDs in one draw: the same stream as ``count`` calls of ``_uuid``."""
    raw = rng.bytes(16 * count)
    return [str(uuid.UUID(bytes=raw[k : k + 16], version=4)) for k in range(0, 16 * count, 16)]


def _formula(multiplier: Decimal, addend: Decimal) -> str:
    return f"TCC * {multiplier}" if addend == 0 else f"TCC * {multiplier} + {addend}"


def make_categories(rng: np.random.Generator) -> list[Category]:
    """The 14 categories; one carries the documents' invalid-UUID id."""
    categories = [Category(_uuid(rng), ru, en) for ru, en, _, _ in _CATEGORIES]
    categories[11] = Category(_NON_UUID_CATEGORY_ID, categories[11].name, categories[11].name_en)
    return categories


def make_suppliers() -> list[Supplier]:
    """The fixed supplier list, one currency each."""
    return [Supplier(sid, name, currency) for sid, name, currency in _SUPPLIERS]


def _ps_ids(rng: np.random.Generator, count: int) -> list[str]:
    letters = _ALNUM[rng.integers(0, len(_ALNUM), size=(count, 10))]
    ids = ["ps_" + "".join(row) for row in letters]
    # Short ids exist in the documents (ps_abc123): the rule is only "starts with ps_".
    ids[7], ids[70] = "ps_abc123", "ps_x7k2"
    return ids


def make_products(
    rng: np.random.Generator,
    categories: list[Category],
    suppliers: list[Supplier],
    today: date,
    count: int = PRODUCT_COUNT,
) -> list[Product]:
    """Generate `count` products deterministically from `rng` and `today`."""
    n = count
    ps_ids = _ps_ids(rng, n)
    cat_idx = rng.integers(0, len(categories), size=n)
    no_category = rng.random(n) < 0.02
    sup_idx = rng.integers(0, len(suppliers), size=n)
    unit = rng.random(n)
    price_as_number = rng.random(n) < 0.15
    cat_coef = rng.uniform(1.2, 2.2, size=len(categories))
    sup_coef = rng.uniform(0.0, 0.4, size=len(suppliers))
    flags = rng.random((4, n))
    adjective = rng.integers(0, len(_ADJECTIVES), size=n)
    colour = rng.integers(0, len(_COLOURS), size=n)
    noun = rng.integers(0, 12, size=n)
    images = rng.integers(1, 5, size=n)
    created_days = rng.integers(30, 900, size=n)
    updated_days = rng.integers(0, 30, size=n)
    seconds = rng.integers(0, 86400, size=(2, n))
    base = datetime.combine(today, time(), tzinfo=UTC)
    # Rounded for all products at once (np.round is what round() does per numpy float),
    # which keeps large catalogs (--products 50000) quick to seed.
    low, high = (
        np.array([_PRICE_RANGE[s.currency][k] for s in suppliers])[sup_idx] for k in (0, 1)
    )
    prices = np.round(low + (high - low) * unit**2, 2).tolist()
    coefficients = np.round(cat_coef[cat_idx] + sup_coef[sup_idx], 2).tolist()
    ids = _uuids(rng, n)

    products: list[Product] = []
    for i in range(n):
        category = None if no_category[i] else categories[cat_idx[i]]
        ru, en, prefix, nouns = _CATEGORIES[int(cat_idx[i])]
        supplier = suppliers[int(sup_idx[i])]
        price = Decimal(str(prices[i])).quantize(CENT)
        coefficient = Decimal(str(coefficients[i]))
        tcc = (price * coefficient).quantize(CENT, ROUND_HALF_UP)
        # ~1% reproduce the documents' suspect example: value in the product currency, label TRY.
        suspect = supplier.currency != "TRY" and flags[0, i] < 0.012
        tcc_currency = "TRY" if suspect else supplier.currency
        if flags[1, i] < 0.004:
            multiplier, addend = _TSP_OVERRIDE  # manual override: sells below cost
        elif tcc_currency == "TRY":
            multiplier, addend = _TSP_TRY
        else:
            multiplier, addend = _TSP_FOREIGN
        tcc_enabled = flags[2, i] >= 0.03
        tsp_enabled = tcc_enabled and flags[3, i] >= 0.03
        created = base - timedelta(days=int(created_days[i]), seconds=int(seconds[0, i]))
        updated = base - timedelta(days=int(updated_days[i]), seconds=int(seconds[1, i]))
        pl_suffix = ps_ids[i][3:] if flags[0, i] < 0.95 else f"{(i * 7919) % 10**10:010d}"
        name_noun = nouns[int(noun[i]) % len(nouns)]
        products.append(
            Product(
                id=ids[i],
                legacy_id=500 + i,
                internal_id=ps_ids[i],
                pl_id="pl_" + pl_suffix,
                name=f"{_ADJECTIVES[adjective[i]]} {name_noun} {_COLOURS[colour[i]]}",
                sku=f"{prefix}-{10000 + i}",
                description=f"{en} / {ru}: {name_noun.lower()}, {_COLOURS[colour[i]].lower()}.",
                price=price,
                price_as_number=bool(price_as_number[i]),
                currency=supplier.currency,
                supplier=supplier,
                category=category,
                tcc_enabled=bool(tcc_enabled),
                tcc_coefficient=coefficient,
                tcc_total_cost=tcc,
                tcc_currency=tcc_currency,
                tsp_enabled=bool(tsp_enabled),
                tsp_multiplier=multiplier,
                tsp_addend=addend,
                tsp_formula=_formula(multiplier, addend),
                tsp_value=(tcc * multiplier + addend).quantize(CENT, ROUND_HALF_UP),
                image_count=int(images[i]),
                created_at=created,
                updated_at=max(created, updated),
            )
        )
    return products


def make_catalog(
    rng: np.random.Generator, today: date, count: int = PRODUCT_COUNT
) -> tuple[list[Category], list[Supplier], list[Product]]:
    """Categories, suppliers and ``count`` products, drawn from ``rng`` in the one order
    the PleasureStock sandbox draws them (other sandboxes seed from the same catalog)."""
    categories = make_categories(rng)
    suppliers = make_suppliers()
    return categories, suppliers, make_products(rng, categories, suppliers, today, count)
