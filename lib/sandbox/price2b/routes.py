"""The endpoints of ``price2b-inventory-api.txt`` under ``/api/v1/inventory``: the
product list (every filter), one product, its stock, the import status, and the writes
(a read-scoped token gets 403; the rest are recorded, see ``config.ASSUMPTIONS``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from lib.sandbox.jsonio import SandboxJSONResponse
from lib.sandbox.params import ParamError, is_int, json_object, query_bool, query_int
from lib.sandbox.price2b.config import PER_PAGE_DEFAULT, PER_PAGE_MAX, WRITE_SCOPE
from lib.sandbox.price2b.store import Price2BStore, Record

_STATUSES = ("active", "inactive", "all")
# The fields each answer shows (the document's examples differ: NOTES-peers.md 3.4).
_LIST_FIELDS = (
    "id", "sku", "name", "description", "category", "price", "currency", "weight",
    "hs_code", "country_of_origin", "status", "images", "created_at", "updated_at",
)  # fmt: skip
_DETAIL_FIELDS = (
    "id", "sku", "name", "description", "price", "currency", "weight", "dimensions",
    "hs_code", "country_of_origin", "status",
)  # fmt: skip


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The sandbox's error body (a guess: the document shows none)."""
    return SandboxJSONResponse(
        {"success": False, "message": message}, status_code=status, headers=headers
    )


def _ok(data: Any, status: int = 200) -> Response:
    return SandboxJSONResponse({"success": True, "data": data}, status_code=status)


def _store(request: Request) -> Price2BStore:
    return request.app.state.store


def _total(product: Record) -> tuple[int, int]:
    """(quantity, reserved) summed over the product's warehouses."""
    stock = product["stock"].values()
    return sum(q for q, _ in stock), sum(r for _, r in stock)


def _moment(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ParamError(f"{name} must be an ISO 8601 date or time") from None


@dataclass(frozen=True)
class _Filters:
    """The list's filters, read once from the query string."""

    status: str
    search: str
    has_stock: bool
    category: str | None
    after: datetime | None
    before: datetime | None

    @classmethod
    def read(cls, request: Request, default_status: str) -> _Filters:
        status = request.query_params.get("status") or default_status
        if status not in _STATUSES:
            raise ParamError("status must be active, inactive or all")
        return cls(
            status=status,
            search=(request.query_params.get("search") or "").strip().casefold(),
            has_stock=query_bool(request, "has_stock", False),
            category=(request.query_params.get("category_id") or "").strip() or None,
            after=_moment(request, "created_after"),
            before=_moment(request, "created_before"),
        )

    def keep(self, product: Record, category_ids: dict[str, int]) -> bool:
        """Whether ``product`` passes every filter."""
        if self.status != "all" and product["status"] != self.status:
            return False
        text = " ".join((product["sku"], product["name"], product["description"])).casefold()
        if self.search and self.search not in text:
            return False
        if self.has_stock and _total(product)[0] - _total(product)[1] <= 0:
            return False
        if self.category and str(category_ids.get(product["category"])) != self.category:
            return False
        created = datetime.fromisoformat(product["created_at"].replace("Z", "+00:00"))
        return (self.after is None or created > self.after) and (
            self.before is None or created < self.before
        )


def _list_item(product: Record) -> Record:
    return {
        **{k: product[k] for k in _LIST_FIELDS},
        "stock_quantity": _total(product)[0],
    }


async def list_products(request: Request) -> Response:
    """GET /api/v1/inventory/products: paged, filtered, ascending id order."""
    store = _store(request)
    try:
        page = query_int(request, "page", 1, 1)
        per_page = query_int(request, "per_page", PER_PAGE_DEFAULT, 1)
        if per_page > PER_PAGE_MAX and not store.config.clamp_per_page:
            raise ParamError(f"per_page must be at most {PER_PAGE_MAX}")
        per_page = min(per_page, PER_PAGE_MAX)
        filters = _Filters.read(request, store.config.default_status)
        found = [p for p in store.listed() if filters.keep(p, store.category_ids)]
    except ParamError as exc:
        return error(422, exc.message)
    last_page = max(1, math.ceil(len(found) / per_page))
    rows = found[(page - 1) * per_page : page * per_page]
    pagination = {
        "current_page": page,
        "per_page": per_page,
        "total": len(found),
        "last_page": last_page,
        "has_more_pages": page < last_page,
    }
    return _ok({"products": [_list_item(p) for p in rows], "pagination": pagination})


def _found(request: Request) -> Record | Response:
    store = _store(request)
    try:
        product_id = int(request.path_params["product_id"])
    except ValueError:
        return error(404, "Product not found")
    product = store.product(product_id)
    return product if product is not None else error(404, "Product not found")


async def get_product(request: Request) -> Response:
    """GET /api/v1/inventory/products/:id: details with stock by warehouse (no reservations)."""
    product = _found(request)
    if isinstance(product, Response):
        return product
    rows = _store(request).stock_rows(product)
    return _ok(
        {
            **{k: product[k] for k in _DETAIL_FIELDS},
            "stock_by_warehouse": [
                {k: row[k] for k in ("warehouse_id", "warehouse_name", "quantity")} for row in rows
            ],
            "total_stock": _total(product)[0],
        }
    )


async def get_stock(request: Request) -> Response:
    """GET /api/v1/inventory/products/:id/stock: per warehouse with reserved and available."""
    product = _found(request)
    if isinstance(product, Response):
        return product
    quantity, reserved = _total(product)
    return _ok(
        {
            "product_id": product["id"],
            "sku": product["sku"],
            "warehouses": _store(request).stock_rows(product),
            "total": {"quantity": quantity, "reserved": reserved, "available": quantity - reserved},
        }
    )


async def import_status(request: Request) -> Response:
    """GET …/products/import/:batchId/status: the sandbox never imports, so no batch exists."""
    return error(404, "Import batch not found")


async def write(request: Request) -> Response:
    """Every documented write: recorded; 403 for a read-scoped token; a write-scoped one
    gets stock adjust applied and the rest answered 501 (not modelled)."""
    store = _store(request)
    with store.lock:
        store.write_calls.append((request.method, request.url.path))
    if request.scope.get("price2b.scope") != WRITE_SCOPE:
        return error(403, "This token lacks the inventory:write scope")
    if not request.url.path.endswith("/stock/adjust"):
        return error(501, "The sandbox does not model this write")
    product = _found(request)
    if isinstance(product, Response):
        return product
    try:
        body = await json_object(request)
    except ParamError as exc:
        return error(422, exc.message)
    warehouse, amount, kind = (
        body.get(k) for k in ("warehouse_id", "adjustment", "adjustment_type")
    )
    if not (is_int(warehouse) and is_int(amount) and kind in ("add", "subtract", "set")):
        return error(422, "warehouse_id, adjustment (integers) and adjustment_type are required")
    previous, new = store.adjust(product["id"], warehouse, amount, kind)
    return SandboxJSONResponse(
        {
            "success": True,
            "message": "Stock adjusted successfully",
            "data": {
                "product_id": product["id"],
                "warehouse_id": warehouse,
                "previous_quantity": previous,
                "adjustment": amount,
                "new_quantity": new,
                "adjustment_type": kind,
            },
        }
    )
