"""Tolerant models of the PSRESTful Extra API answers StockDesk reads.

Every field is read in camelCase (V2, and every V1 example) or snake_case (what V1 is
said to send): the document disagrees with itself. Money is ``Decimal`` parsed from the
JSON text, ids are opaque strings, and a missing figure is None, never 0.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from lib.upstream.values import Money, OpaqueId


class _Model(BaseModel):
    """camelCase by alias, snake_case by name; unknown fields kept out of the way."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True
    )


class PageEnvelope(_Model):
    """V2 paging fields; ``next``/``previous`` are never followed (NOTES-peers.md 2.5.7)."""

    count: int | None = None
    page: int | None = None
    page_size: int | None = None
    total_pages: int | None = None
    results: list[dict[str, Any]] = Field(default_factory=list)


class Supplier(_Model):
    """One supplier of the directory."""

    id: OpaqueId
    code: str
    name: str = ""
    supported: bool | None = None
    credentials_available: bool | None = None


class ProductSummary(_Model):
    """A product of the list: ``product_id`` is the style code, unique only within
    its supplier; ``extra_id`` is unique across PSRESTful."""

    extra_id: OpaqueId
    product_id: OpaqueId
    supplier_code: str
    name: str = ""
    description: str | None = None
    image_url: str | None = None
    list_price: Money | None = None
    currency: str | None = None


class Part(_Model):
    """A part (orderable unit) of a product; its shape on the detail is not documented,
    so this reads ``sorted-parts``' fields: ``partId``, ``color``, ``size``."""

    part_id: OpaqueId
    color: str | None = None
    size: str | None = None


class ProductDetail(_Model):
    """A product's detail (``GET /extra/v2/products/{extraId}``)."""

    extra_id: OpaqueId
    product_id: OpaqueId
    supplier_code: str
    name: str = ""
    description: str | None = None
    brand: str | None = None
    categories: list[str] = Field(default_factory=list)
    image_url: str | None = None
    parts: list[Part] = Field(default_factory=list)


class PriceBreak(_Model):
    """One quantity break; ``max_quantity`` None when the answer states no upper bound."""

    min_quantity: int
    max_quantity: int | None = None
    list_price: Money | None = None
    net_price: Money | None = None
    customer_price: Money | None = None


class PriceList(_Model):
    """A product's breaks in the one currency the answer states."""

    product_id: OpaqueId | None = None
    currency: str | None = None
    price_breaks: list[PriceBreak] = Field(default_factory=list)


class InventoryRow(_Model):
    """Cached supplier availability of one part in one warehouse."""

    product_id: OpaqueId
    part_id: OpaqueId
    quantity_available: int | None = None
    warehouse_id: OpaqueId
    warehouse_name: str = ""
    last_modified: datetime | None = None


class PartIdMapping(_Model):
    """One part's ids in the media, inventory and pricing services."""

    product_id: OpaqueId
    med_id: OpaqueId | None = None
    inv_id: OpaqueId | None = None
    ppc_id: OpaqueId | None = None


class Metafield(_Model):
    """A product's identifiers."""

    extra_id: OpaqueId
    supplier_code: str
    product_id: OpaqueId


class Named(_Model):
    """A brand or category of one supplier."""

    id: OpaqueId
    name: str
    supplier_code: str | None = None


class InventoryReading(BaseModel):
    """Inventory rows and the server's time when the first page was answered (the
    cursor a later ``changed_since`` read starts from: the server's clock, not ours)."""

    model_config = ConfigDict(frozen=True)

    rows: list[InventoryRow]
    server_time: datetime
