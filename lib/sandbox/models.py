"""Plain records the sandbox keeps in memory: catalog entries and orders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

ORDER_STATUSES: tuple[str, ...] = (
    "created",
    "part_paid",
    "paid",
    "on_the_way",
    "delivered",
    "accepted",
    "cancelled",
)
FINAL_STATUSES: frozenset[str] = frozenset({"accepted", "cancelled"})


@dataclass(frozen=True)
class Category:
    """A product category; ids are opaque strings, not always valid UUIDs."""

    id: str
    name: str
    name_en: str


@dataclass(frozen=True)
class Supplier:
    """A supplier pricing in one currency; `id` is an int or a UUID string (both documented)."""

    id: int | str
    name: str
    currency: str


@dataclass(frozen=True)
class Product:
    """A catalog product with its TCC/TSP pricing as the company configured it."""

    id: str
    legacy_id: int
    internal_id: str
    pl_id: str
    name: str
    sku: str
    description: str
    price: Decimal
    price_as_number: bool
    currency: str
    supplier: Supplier
    category: Category | None
    tcc_enabled: bool
    tcc_coefficient: Decimal
    tcc_total_cost: Decimal
    tcc_currency: str
    tsp_enabled: bool
    tsp_multiplier: Decimal
    tsp_addend: Decimal
    tsp_formula: str
    tsp_value: Decimal
    image_count: int
    created_at: datetime
    updated_at: datetime


@dataclass
class OrderItem:
    """One order line; catalog lines carry a product, custom lines only a name."""

    product: Product | None
    name: str
    quantity: int
    unit_price: Decimal

    @property
    def total_price(self) -> Decimal:
        """Line total in the order's currency, rounded to cents."""
        return (self.unit_price * self.quantity).quantize(CENT, ROUND_HALF_UP)


@dataclass
class OrderStyle:
    """Which of the documented shape variants this order is served in."""

    dates_dmy: bool = False
    eta_iso: bool = False
    amount_as_string: bool = True
    flat_items: bool = False
    status_display: bool = True
    sparse_list_entry: bool = False


@dataclass
class Order:
    """A supplier order and its workflow timestamps (UTC)."""

    order_id: str
    legacy_id: int
    order_number: str
    delivery_id: str
    supplier: Supplier
    items: list[OrderItem]
    status: str
    created_at: datetime
    status_changed_at: datetime
    estimated_delivery_date: date
    external_order_id: str | None = None
    comment: str | None = None
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    actual_delivery_date: datetime | None = None
    accepted_at: datetime | None = None
    style: OrderStyle = field(default_factory=OrderStyle)

    @property
    def total_amount(self) -> Decimal:
        """Sum of the line totals in the supplier's currency."""
        return sum((item.total_price for item in self.items), Decimal("0.00"))
