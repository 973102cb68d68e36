"""Seeded orders across all seven statuses, with the documented shape variants mixed in."""

from __future__ import annotations

import string
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import numpy as np

from lib.sandbox.models import ORDER_STATUSES, Order, OrderItem, OrderStyle, Product, Supplier

ORDER_COUNT = 60
DUPLICATE_PAIRS = 4
FIRST_LEGACY_ID = 1200
FIRST_DELIVERY_SEQ = 1000
_CODE_CHARS = np.array(list(string.ascii_uppercase + string.digits))
# Statuses for the single (non-duplicate) orders: every status occurs, active ones dominate.
_STATUS_WEIGHTS = np.array([0.2, 0.1, 0.15, 0.15, 0.12, 0.18, 0.1])


def order_number(rng: np.random.Generator, day: date) -> str:
    """`ORD-YYYYMMDD-XXXXXX` as in the documents."""
    code = "".join(_CODE_CHARS[rng.integers(0, len(_CODE_CHARS), size=6)])
    return f"ORD-{day:%Y%m%d}-{code}"


def delivery_id(day: date, seq: int) -> str:
    """`PS-YYYY-NNNN`; duplicates add `/1`, `/2` (the higher suffix is newer)."""
    return f"PS-{day:%Y}-{seq:04d}"


def apply_status_timestamps(order: Order, status: str, at: datetime) -> None:
    """Set the timestamps a move to `status` at `at` implies."""
    order.status = status
    order.status_changed_at = at
    if status == "paid":
        order.paid_at = at
    elif status == "on_the_way":
        order.shipped_at = at
    elif status == "delivered":
        order.actual_delivery_date = at
    elif status == "accepted":
        order.accepted_at = at


def _walk_status(order: Order, status: str, rng: np.random.Generator, latest: datetime) -> None:
    """Advance a freshly created order through the workflow up to `status`, never past `latest`."""
    path = {
        "created": [],
        "part_paid": ["part_paid"],
        "paid": ["paid"],
        "on_the_way": ["paid", "on_the_way"],
        "delivered": ["paid", "on_the_way", "delivered"],
        "accepted": ["paid", "on_the_way", "delivered", "accepted"],
        "cancelled": ["cancelled"],
    }[status]
    at = order.created_at
    for step in path:
        step_time = timedelta(days=int(rng.integers(1, 5)), hours=int(rng.integers(0, 12)))
        at = max(at, min(at + step_time, latest))
        apply_status_timestamps(order, step, at)


def _items(rng: np.random.Generator, pool: list[Product], custom: bool) -> list[OrderItem]:
    count = int(rng.integers(1, 16))
    picks = rng.choice(len(pool), size=min(count, len(pool)), replace=False)
    items = [
        OrderItem(pool[p], pool[p].name, int(rng.integers(1, 40)), pool[p].price)
        for p in picks.tolist()
    ]
    if custom:
        price = Decimal(str(round(float(rng.uniform(5, 80)), 2)))
        items.append(OrderItem(None, "Custom packaging insert", int(rng.integers(10, 100)), price))
    return items


def _style(rng: np.random.Generator) -> OrderStyle:
    r = rng.random(5)
    return OrderStyle(
        dates_dmy=bool(r[0] < 0.4),
        eta_iso=bool(r[1] < 0.5),
        amount_as_string=bool(r[2] < 0.6),
        flat_items=bool(r[3] < 0.4),
        status_display=bool(r[4] >= 0.1),
    )


def make_orders(
    rng: np.random.Generator,
    products: list[Product],
    suppliers: list[Supplier],
    today: date,
) -> list[Order]:
    """About 60 orders, including cancelled `/1` duplicates next to an active `/2`."""
    by_supplier = {s.name: [p for p in products if p.supplier is s] for s in suppliers}
    singles = ORDER_COUNT - 2 * DUPLICATE_PAIRS
    statuses = list(ORDER_STATUSES) + list(
        rng.choice(ORDER_STATUSES, size=singles - len(ORDER_STATUSES), p=_STATUS_WEIGHTS)
    )
    base = datetime.combine(today, time(), tzinfo=UTC)
    orders: list[Order] = []
    seq = FIRST_DELIVERY_SEQ
    for index in range(singles + DUPLICATE_PAIRS):
        supplier = suppliers[int(rng.integers(0, len(suppliers)))]
        duplicate = index >= singles
        status = "created" if duplicate else str(statuses[index])
        early = status in ("delivered", "accepted")
        age = int(rng.integers(25, 120) if early else rng.integers(1, 60))
        created = base - timedelta(days=age, hours=int(rng.integers(0, 14)))
        eta = (created + timedelta(days=int(rng.integers(10, 30)))).date()
        items = _items(rng, by_supplier[supplier.name], custom=index % 17 == 5)
        copies = ("/1", "/2") if duplicate else ("",)
        style = _style(rng)
        for copy in copies:
            legacy = FIRST_LEGACY_ID + len(orders)
            order = Order(
                order_id=str(uuid.UUID(bytes=rng.bytes(16), version=4)),
                legacy_id=legacy,
                order_number=order_number(rng, created.date()),
                delivery_id=delivery_id(created.date(), seq) + copy,
                supplier=supplier,
                items=[OrderItem(i.product, i.name, i.quantity, i.unit_price) for i in items],
                status="created",
                created_at=created + timedelta(minutes=5 if copy == "/2" else 0),
                status_changed_at=created,
                estimated_delivery_date=eta,
                external_order_id=f"ERP-{today:%Y}-{legacy:05d}" if rng.random() < 0.5 else None,
                style=replace(style),
            )
            if copy == "/1":
                # The documents' duplicate: the cancelled copy is sparse in the list.
                order.style.sparse_list_entry = True
                apply_status_timestamps(order, "cancelled", order.created_at + timedelta(hours=1))
            else:
                _walk_status(order, status, rng, latest=base - timedelta(minutes=1))
            orders.append(order)
        seq += 1
    return orders
