"""Pydantic models of Stock2Shop payloads, tolerant of every shape the document shows.

Ids arrive as integers or strings (``channel_id`` 191 and ``"47"``) and become opaque
strings; money arrives as integers or decimals and becomes ``Decimal``; booleans as
``true``, ``1`` or ``"true"``; times zoneless (``2021-01-05 08:25:04``, read as UTC, the
one zone the document's example fits) or ISO with an offset. Unknown fields are ignored,
and so is the personal data on orders (customer, addresses): it is never kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from lib.upstream.values import Money, OpaqueId, to_opaque_id


def _to_bool(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) if isinstance(value, int) else value


def _to_utc(value: Any) -> Any:
    """Zoneless times are UTC; ``+0000`` offsets (no colon) are read too."""
    if not isinstance(value, str) or not value.strip():
        return None if value in ("", None) else value
    text = value.strip().replace(" ", "T", 1)
    if text.endswith("+0000"):
        text = text[:-5] + "+00:00"
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _to_code(value: Any) -> Any:
    """Codes stay text ("0027795" keeps its zero); a number becomes its decimal text."""
    return "" if value is None else to_opaque_id(value)


T = TypeVar("T")
Flag = Annotated[bool, BeforeValidator(_to_bool)]
UtcTime = Annotated[datetime | None, BeforeValidator(_to_utc)]
Code = Annotated[str, BeforeValidator(_to_code)]


class S2SModel(BaseModel):
    """Base for payload models: unknown fields ignored, models immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Role(S2SModel):
    """One role of the account (``read_only``, ``trade``, …)."""

    id: OpaqueId
    description: str


NO_ROLE_WARNING = (
    "This Stock2Shop account has no role, which the document says makes it an "
    "administrator: it may change products and orders. StockDesk only reads, but give it "
    "a read_only user (STOCK2SHOP_USERNAME / STOCK2SHOP_PASSWORD)."
)


class Session(S2SModel):
    """Who we are logged in as (the token is held by the client, never here)."""

    user_id: OpaqueId
    client_id: OpaqueId
    username: str
    roles: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        """No role assigned means an admin user (the document's Users section)."""
        return not self.roles

    @property
    def warning(self) -> str | None:
        """What a person should know about this login, or None."""
        return NO_ROLE_WARNING if self.is_admin else None


class SourceInfo(S2SModel):
    """A data source (an ERP), not a supplier; ``linked_to`` is set for a linked source."""

    id: OpaqueId
    description: str = ""
    type: str = ""
    active: Flag = True
    linked_to: OpaqueId | None = Field(default=None, alias="source_id")


class Channel(S2SModel):
    """A sales channel (web shop, marketplace, B2B store)."""

    id: OpaqueId
    description: str = ""
    type: str = ""
    active: Flag = True
    price_tier: str | None = None


class PriceTier(S2SModel):
    """A named price; 0 means "no price in this tier" (``"Was": 0``), so it reads as None."""

    tier: str
    price: Money | None = None

    @property
    def amount(self) -> Decimal | None:
        """The tier's price, or None when the tier is priced 0 (not set)."""
        return self.price if self.price else None


class WarehouseQty(S2SModel):
    """Stock in one warehouse, known only by its description."""

    description: str
    qty: int | None = None


class Variant(S2SModel):
    """The orderable unit: codes, price, tiers and stock (total and per warehouse)."""

    id: OpaqueId
    product_id: OpaqueId
    sku: Code = ""
    barcode: Code = ""
    source_variant_code: Code = ""
    price: Money | None = None
    price_tiers: tuple[PriceTier, ...] = ()
    qty: int | None = None
    qty_availability: tuple[WarehouseQty, ...] = ()
    inventory_management: Flag = True
    active: Flag = True
    option1: str | None = None

    @property
    def stock_known(self) -> bool:
        """False when Stock2Shop does not track this variant's stock: unknown, not 0."""
        return self.inventory_management


class Product(S2SModel):
    """A product and its variants, as ``system_products`` (the live record) gives it."""

    id: OpaqueId
    source_product_code: Code = ""
    title: str = ""
    active: Flag = True
    collection: str = ""
    product_type: str = ""
    vendor: str = ""
    created: UtcTime = None
    modified: UtcTime = None
    variants: tuple[Variant, ...] = ()


class LineItem(S2SModel):
    """One order line: SKU, quantity and money (``price`` per unit, our reading)."""

    id: OpaqueId
    sku: Code = ""
    variant_id: OpaqueId | None = None
    qty: int
    price: Money | None = None
    sub_total: Money | None = None
    tax: Money | None = None
    total: Money | None = None


class ChannelOrder(S2SModel):
    """A sales-channel order, without the customer's personal data."""

    id: OpaqueId
    channel_id: OpaqueId
    channel_order_code: Code = ""
    status: str
    created: UtcTime = None
    modified: UtcTime = None
    total: Money | None = None
    line_items: tuple[LineItem, ...] = ()


class SearchPage(S2SModel, Generic[T]):
    """One page of a search: ``total`` hits (``capped`` when it is at the cap, so at least
    that many) and the live records of this page."""

    total: int
    capped: bool
    records: tuple[T, ...]
