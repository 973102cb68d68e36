"""Pydantic models of Price2B payloads, tolerant of every shape the document shows.

Ids arrive as integers and become opaque strings; money arrives as a JSON number (``35``,
``49.99``) and becomes ``Decimal`` without passing through float arithmetic; times are ISO
8601 (``2026-01-15T10:30:00Z``). One total goes by three names (NOTES-peers.md 3.4):
``stock_quantity`` on list items, ``total_stock`` on the detail, ``total.quantity`` on
the stock answer; each model reads its own. Unknown fields are ignored.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from lib.upstream.values import Money, OpaqueId


class P2BModel(BaseModel):
    """Base for payload models: unknown fields ignored, models immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Image(P2BModel):
    """One product image."""

    id: OpaqueId | None = None
    url: str
    is_primary: bool = False


class _ProductFields(P2BModel):
    """What the list and the detail both give of a product."""

    id: OpaqueId
    sku: str = ""
    name: str = ""
    description: str = ""
    price: Money | None = None
    # None when the answer names none (created without one, it is stored as USD).
    currency: str | None = None
    status: str = "active"

    @property
    def active(self) -> bool:
        """Whether the product's status is ``active``."""
        return self.status == "active"


class Product(_ProductFields):
    """A product as the list gives it: no dimensions, and only the total stock."""

    category: str | None = None
    stock_quantity: int | None = None
    images: tuple[Image, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Pagination(P2BModel):
    """Where a page sits: ``per_page`` as the server applied it, ``total`` products."""

    current_page: int
    per_page: int
    total: int
    last_page: int
    has_more_pages: bool = False


class ProductPage(P2BModel):
    """One page of the product list."""

    products: tuple[Product, ...]
    pagination: Pagination


class WarehouseStock(P2BModel):
    """Stock in one warehouse: ``quantity`` includes ``reserved``; ``available`` excludes it."""

    warehouse_id: OpaqueId
    warehouse_name: str = ""
    quantity: int | None = None
    reserved: int | None = None
    available: int | None = None


class StockTotal(P2BModel):
    """The stock answer's totals over every warehouse."""

    quantity: int | None = None
    reserved: int | None = None
    available: int | None = None


class ProductStock(P2BModel):
    """``GET /products/:id/stock``: stock per warehouse with reservations."""

    product_id: OpaqueId
    sku: str = ""
    warehouses: tuple[WarehouseStock, ...] = ()
    total: StockTotal = Field(default_factory=StockTotal)


class WarehouseQuantity(P2BModel):
    """The detail's stock in one warehouse: quantity only, no reservations."""

    warehouse_id: OpaqueId
    warehouse_name: str = ""
    quantity: int | None = None


class ProductDetail(_ProductFields):
    """``GET /products/:id``: the detail (stock by warehouse, ``total_stock``)."""

    weight: Money | None = None
    hs_code: str | None = None
    country_of_origin: str | None = None
    stock_by_warehouse: tuple[WarehouseQuantity, ...] = ()
    total_stock: int | None = None
