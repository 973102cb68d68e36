"""Pydantic models of PleasureStock payloads, tolerant of every documented variant.

The two API documents disagree (see ``shared/api-docs/NOTES.md``): money arrives as
decimal strings or JSON numbers, supplier and order ids as integers or UUIDs, dates
as ``dd/mm/yy`` or ISO, order items nested or flat. Every model here accepts all of
them, normalises to ``Decimal``/``date``/``datetime``/``str`` and ignores unknown
fields, so a new field on the server never breaks the dashboard.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from lib.upstream.values import Money, OpaqueId

ORDER_STATUSES: tuple[str, ...] = (
    "created",
    "part_paid",
    "paid",
    "on_the_way",
    "delivered",
    "accepted",
    "cancelled",
)
OrderStatus = Literal[
    "created", "part_paid", "paid", "on_the_way", "delivered", "accepted", "cancelled"
]

_SHORT_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{2})$")


def _to_datetime(value: Any) -> Any:
    """Accept ISO datetimes, ISO dates and the documents' ``dd/mm/yy`` short dates."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        short = _SHORT_DATE.match(text)
        if short:
            day, month, year = (int(part) for part in short.groups())
            return datetime(2000 + year, month, day, tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return value


def _to_date(value: Any) -> Any:
    """Accept ``YYYY-MM-DD``, full ISO datetimes and ``dd/mm/yy``; keep only the date."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    parsed = _to_datetime(value)
    return parsed.date() if isinstance(parsed, datetime) else parsed


Timestamp = Annotated[datetime, BeforeValidator(_to_datetime)]
Day = Annotated[date, BeforeValidator(_to_date)]


class ApiModel(BaseModel):
    """Base for payload models: unknown fields ignored, models immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Product(ApiModel):
    """A catalog product; category, TCC and TSP fields are set when their include flag was."""

    internal_id: str
    id: str | None = None
    name: str = ""
    sku: str = ""
    description: str | None = None
    price: Money | None = None
    currency: str | None = None
    supplier_id: OpaqueId | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    images: list[str] = Field(default_factory=list)
    category_id: OpaqueId | None = None
    category_name: str | None = None
    category_name_en: str | None = None
    tcc_enabled: bool | None = None
    tcc_coefficient: Money | None = None
    tcc_total_cost: Money | None = None
    tcc_currency: str | None = None
    tsp_enabled: bool | None = None
    tsp_value: Money | None = None
    tsp_formula: str | None = None
    tsp_currency: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _image_objects_to_urls(cls, data: Any) -> Any:
        """Images may come as URL strings or as objects with a ``url`` field."""
        if isinstance(data, dict) and isinstance(data.get("images"), list):
            data = dict(data)
            data["images"] = [
                image.get("url") if isinstance(image, dict) else image
                for image in data["images"]
                if image
            ]
        return data


class Pagination(ApiModel):
    """Page-number pagination of the products list."""

    page: int
    limit: int
    total: int
    pages: int


class ProductPage(ApiModel):
    """One page of ``GET /products``."""

    data: list[Product]
    pagination: Pagination


class SaleRow(ApiModel):
    """One row of ``POST /sales``: sales of one product on one day (all warehouses summed)."""

    internal_id: str
    date: Day
    quantity: int = Field(ge=0)
    stock_on_hand: int | None = Field(default=None, ge=0)

    def to_payload(self) -> dict[str, Any]:
        """JSON body row; an unknown stock is omitted, never sent as 0 (NOTES.md point 4)."""
        row: dict[str, Any] = {
            "internal_id": self.internal_id,
            "date": self.date.isoformat(),
            "quantity": self.quantity,
        }
        if self.stock_on_hand is not None:
            row["stock_on_hand"] = self.stock_on_hand
        return row


class SalesReceipt(ApiModel):
    """Answer to an accepted ``POST /sales``."""

    success: bool = True
    message: str | None = None
    processed: int


class RowError(ApiModel):
    """One rejected row of a sales submission, as the server reports it."""

    index: int | None = None
    error: str = ""
    expected: str | None = None
    received: Any = None


class Recommendation(ApiModel):
    """One Smart Reordering recommendation; ``product_internal_id`` may carry a ``pl_`` prefix."""

    product_internal_id: str
    product_name: str | None = None
    product_sku: str | None = None
    recommended_quantity: int = 0
    current_stock: int | None = None
    average_daily_sales: Money | None = None
    forecast_accuracy: Money | None = None
    calculation_date: Timestamp | None = None

    @property
    def ps_id_guess(self) -> str:
        """The ps id this recommendation most likely refers to (``pl_x`` -> ``ps_x``)."""
        pid = self.product_internal_id
        return "ps_" + pid[3:] if pid.startswith("pl_") else pid


class RecommendationList(ApiModel):
    """Answer of ``GET /smart-reordering``."""

    date: Day | None = None
    recommendations: list[Recommendation] = Field(default_factory=list)
    total: int | None = None


class Conversion(ApiModel):
    """Answer of ``GET /currency/convert-to-try``."""

    original_amount: Money = Field(alias="originalAmount")
    original_currency: str = Field(alias="originalCurrency")
    converted_amount: Money = Field(alias="convertedAmount")
    target_currency: str = Field(default="TRY", alias="targetCurrency")
    exchange_rate: Money = Field(alias="exchangeRate")
    last_updated: Timestamp | None = Field(default=None, alias="lastUpdated")


class StatusDisplay(ApiModel):
    """The server's suggestion for rendering a status badge."""

    label: str | None = None
    color: str | None = None
    css_class: str | None = Field(default=None, alias="cssClass")


class OrderItem(ApiModel):
    """One order line; accepts the nested (``product: {...}``) and the flat item shape."""

    is_custom: bool = Field(default=False, alias="isCustom")
    product_id: OpaqueId | None = Field(default=None, alias="productId")
    ps_id: str | None = Field(default=None, alias="psId")
    name: str | None = None
    sku: str | None = None
    image_url: str | None = Field(default=None, alias="imageUrl")
    quantity: int = 0
    unit_price: Money | None = Field(default=None, alias="unitPrice")
    total_price: Money | None = Field(default=None, alias="totalPrice")
    currency: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _flatten_product(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            nested = data.pop("product", None)
            if isinstance(nested, dict):
                for key in ("name", "sku", "imageUrl"):
                    data.setdefault(key, nested.get(key))
            # Webhook payload items use snake_case ps_id.
            if "psId" not in data and "ps_id" in data:
                data["psId"] = data["ps_id"]
        return data


class Supplier(ApiModel):
    """Supplier reference inside an order detail."""

    id: OpaqueId | None = None
    name: str | None = None


class Order(ApiModel):
    """An order as listed by ``GET /external/orders`` or detailed by ``GET …/{orderNumber}``."""

    order_id: OpaqueId | None = Field(default=None, alias="orderId")
    order_number: str = Field(alias="orderNumber")
    delivery_id: str | None = Field(default=None, alias="deliveryId")
    external_order_id: str | None = Field(default=None, alias="externalOrderId")
    status: str
    status_display: StatusDisplay | None = Field(default=None, alias="statusDisplay")
    supplier_id: OpaqueId | None = Field(default=None, alias="supplierId")
    supplier_name: str | None = Field(default=None, alias="supplierName")
    total_amount: Money | None = Field(default=None, alias="totalAmount")
    currency: str | None = None
    items_count: int | None = Field(default=None, alias="itemsCount")
    has_custom_items: bool | None = Field(default=None, alias="hasCustomItems")
    items: list[OrderItem] = Field(default_factory=list)
    estimated_delivery_date: Day | None = Field(default=None, alias="estimatedDeliveryDate")
    actual_delivery_date: Day | None = Field(default=None, alias="actualDeliveryDate")
    created_at: Timestamp | None = Field(default=None, alias="createdAt")
    status_changed_at: Timestamp | None = Field(default=None, alias="statusChangedAt")
    confirmed_at: Timestamp | None = Field(default=None, alias="confirmedAt")
    paid_at: Timestamp | None = Field(default=None, alias="paidAt")
    shipped_at: Timestamp | None = Field(default=None, alias="shippedAt")
    accepted_at: Timestamp | None = Field(default=None, alias="acceptedAt")

    @model_validator(mode="before")
    @classmethod
    def _normalise_variants(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        supplier = data.get("supplier")
        if isinstance(supplier, dict):
            data.setdefault("supplierId", supplier.get("id"))
            data.setdefault("supplierName", supplier.get("name"))
        # The creation response reports the item count as ``items: 1``.
        if isinstance(data.get("items"), int):
            data.setdefault("itemsCount", data.pop("items"))
        return data


class OrderListPagination(ApiModel):
    """Offset pagination of the order list."""

    total: int
    limit: int
    offset: int


class OrderPage(ApiModel):
    """One page of ``GET /external/orders``."""

    orders: list[Order]
    pagination: OrderListPagination


class OrderLine(ApiModel):
    """One line of a new order: a product and a quantity, optionally at a custom price."""

    ps_id: str
    quantity: int = Field(gt=0)
    custom_price: Money | None = Field(default=None, ge=0, alias="customPrice")

    def to_payload(self) -> dict[str, Any]:
        """JSON body item in the documented camelCase."""
        item: dict[str, Any] = {"ps_id": self.ps_id, "quantity": self.quantity}
        if self.custom_price is not None:
            # JSON has no decimal type; a 2-decimal price survives the float's shortest repr.
            item["customPrice"] = float(self.custom_price)
        return item


class CreatedOrders(ApiModel):
    """Answer of ``POST /external/orders``: one order per supplier."""

    orders: list[Order]
    total_orders: int | None = Field(default=None, alias="totalOrders")
    total_amount: Money | None = Field(default=None, alias="totalAmount")


class StatusChange(ApiModel):
    """Answer of ``PUT /external/orders/{orderNumber}/status``; ``orderId`` may be an integer."""

    order_id: OpaqueId | None = Field(default=None, alias="orderId")
    order_number: str = Field(alias="orderNumber")
    status: str
    status_changed_at: Timestamp | None = Field(default=None, alias="statusChangedAt")


class ReorderProduct(ApiModel):
    """One product of ``POST /external/smart-reorder``."""

    ps_id: str
    quantity: Decimal = Field(ge=0)
    current_stock: Decimal = Field(ge=0)
    sales_history: list[Decimal] = Field(min_length=7)

    def to_payload(self) -> dict[str, Any]:
        """JSON body product; numbers as the API expects them."""
        return {
            "ps_id": self.ps_id,
            "quantity": float(self.quantity),
            "current_stock": float(self.current_stock),
            "sales_history": [float(value) for value in self.sales_history],
        }


class SmartReorderReceipt(ApiModel):
    """Answer of ``POST /external/smart-reorder``."""

    smart_reorder_id: OpaqueId = Field(alias="smartReorderId")
    last_updated: Timestamp | None = Field(default=None, alias="lastUpdated")
    is_active: bool | None = Field(default=None, alias="isActive")


class WebhookEvent(ApiModel):
    """A webhook delivery: ``order.created``, ``order.status_changed``, ``order.cancelled``…"""

    event: str
    timestamp: Timestamp | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def order_number(self) -> str | None:
        """The order the event is about, when it names one."""
        value = self.data.get("orderNumber")
        return str(value) if value is not None else None
