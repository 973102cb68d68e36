"""In-memory state of a sandbox: seeded catalog, sales (SUM/MAX), orders and their workflow."""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from lib.sandbox.catalog import make_catalog
from lib.sandbox.config import PRODUCT_COUNT
from lib.sandbox.models import FINAL_STATUSES, Order, OrderItem, OrderStyle, Product
from lib.sandbox.orders_seed import (
    FIRST_DELIVERY_SEQ,
    FIRST_LEGACY_ID,
    apply_status_timestamps,
    delivery_id,
    make_orders,
    order_number,
)
from lib.sandbox.sales_seed import SalesRow, make_sales

# The workflow the documents' lifecycle table allows; cancellation is added for non-final statuses.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "created": ("part_paid", "paid", "cancelled"),
    "part_paid": ("paid", "cancelled"),
    "paid": ("on_the_way", "cancelled"),
    "on_the_way": ("delivered", "cancelled"),
    "delivered": ("accepted", "cancelled"),
    "accepted": (),
    "cancelled": (),
}


class TransitionError(ValueError):
    """A status change the workflow does not allow."""

    def __init__(self, current: str, wanted: str) -> None:
        allowed = TRANSITIONS[current]
        self.allowed = allowed
        if current in FINAL_STATUSES:
            text = f"Order status '{current}' is final and cannot be changed"
        else:
            text = f"Cannot change status from '{current}' to '{wanted}'"
        super().__init__(text)


class SandboxStore:
    """The sandbox's data; handlers run on one event loop, `lock` guards test-thread access."""

    def __init__(self, seed: int, today: date, product_count: int = PRODUCT_COUNT) -> None:
        self.seed = seed
        self.today = today
        self.product_count = product_count
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Throw away every change and re-seed from the seed and today's date."""
        with self.lock:
            rng = np.random.default_rng(self.seed)
            self.categories, self.suppliers, self.products = make_catalog(
                rng, self.today, self.product_count
            )
            self.sales: dict[tuple[str, date], SalesRow] = make_sales(
                rng, self.products, self.today
            )
            self.orders: list[Order] = make_orders(rng, self.products, self.suppliers, self.today)
            self.webhook_deliveries: list[dict[str, Any]] = []
            self.smart_reorders: list[dict[str, Any]] = []
            self._rng = np.random.default_rng(self.seed + 1)
            self._by_id = {p.id: p for p in self.products}
            self._by_internal = {p.internal_id: p for p in self.products}
            self._by_sku = {p.sku: p for p in self.products}
            self._dates: defaultdict[str, set[date]] = defaultdict(set)
            for internal_id, day in self.sales:
                self._dates[internal_id].add(day)
            self._next_legacy = FIRST_LEGACY_ID + len(self.orders)
            self._next_delivery = FIRST_DELIVERY_SEQ + len(self.orders)

    def now(self) -> datetime:
        """The current UTC time on the sandbox's `today` (so a fixed --today stays consistent)."""
        real = datetime.now(UTC)
        return datetime.combine(self.today, real.time().replace(microsecond=0), tzinfo=UTC)

    def product(self, any_id: str) -> Product | None:
        """Look a product up by UUID or ps_ id."""
        return self._by_internal.get(any_id) or self._by_id.get(any_id)

    def by_sku(self, sku: str) -> Product | None:
        """Look a product up by SKU."""
        return self._by_sku.get(sku)

    def sales_dates(self, internal_id: str) -> set[date]:
        """Dates that have a stored sales row for the product."""
        return self._dates.get(internal_id, set())

    def add_sales(self, rows: list[tuple[str, date, int, int | None]]) -> int:
        """Store rows with quantity SUMmed and stock_on_hand MAXed per product and date."""
        with self.lock:
            for any_id, day, quantity, stock in rows:
                product = self.product(any_id)
                # UUID and ps_ rows for one product land on the same key, as the docs imply.
                key = (product.internal_id if product else any_id, day)
                old_qty, old_stock = self.sales.get(key, (0, None))
                if stock is None or old_stock is None:
                    new_stock = old_stock if stock is None else stock
                else:
                    new_stock = max(old_stock, stock)
                self.sales[key] = (old_qty + quantity, new_stock)
                self._dates[key[0]].add(day)
            return len(rows)

    def order(self, number: str) -> Order | None:
        """The order with this orderNumber, if any."""
        return next((o for o in self.orders if o.order_number == number), None)

    def create_orders(
        self,
        lines: list[tuple[Product, int, Decimal | None]],
        external_order_id: str | None,
        comment: str | None,
    ) -> list[Order]:
        """Create one `created` order per supplier from (product, quantity, custom price) lines."""
        grouped: dict[str, list[OrderItem]] = {}
        suppliers = {}
        for product, quantity, custom_price in lines:
            key = str(product.supplier.id)
            suppliers[key] = product.supplier
            price = product.price if custom_price is None else custom_price
            grouped.setdefault(key, []).append(OrderItem(product, product.name, quantity, price))
        created: list[Order] = []
        with self.lock:
            now = self.now()
            for key, items in grouped.items():
                order = Order(
                    order_id=str(uuid.UUID(bytes=self._rng.bytes(16), version=4)),
                    legacy_id=self._next_legacy,
                    order_number=order_number(self._rng, now.date()),
                    delivery_id=delivery_id(now.date(), self._next_delivery),
                    supplier=suppliers[key],
                    items=items,
                    status="created",
                    created_at=now,
                    status_changed_at=now,
                    estimated_delivery_date=now.date() + timedelta(days=21),
                    external_order_id=external_order_id,
                    comment=comment,
                    style=OrderStyle(amount_as_string=False),
                )
                self._next_legacy += 1
                self._next_delivery += 1
                self.orders.append(order)
                created.append(order)
        return created

    def change_status(
        self, order: Order, status: str, external_order_id: str | None, comment: str | None
    ) -> str:
        """Move `order` to `status` if the workflow allows it; returns the old status."""
        with self.lock:
            old = order.status
            if status not in TRANSITIONS[old]:
                raise TransitionError(old, status)
            apply_status_timestamps(order, status, self.now())
            if external_order_id is not None:
                order.external_order_id = external_order_id
            if comment is not None:
                order.comment = comment
            return old

    def add_smart_reorder(self, products: list[dict[str, Any]]) -> int:
        """Record a smart-reorder submission; returns its integer id."""
        with self.lock:
            reorder_id = 100 + len(self.smart_reorders)
            self.smart_reorders.append({"id": reorder_id, "products": products})
            return reorder_id
