"""The endpoints of ``psrestful-extra-api.txt`` a buying desk reads, in the document's
envelopes: V2 paging (``next``/``previous`` only on products and suppliers), per-endpoint
page-size maxima, V1 price breaks without the envelope, ``{"detail"}`` errors."""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from lib.sandbox.jsonio import SandboxJSONResponse
from lib.sandbox.psrestful.seed import Style
from lib.sandbox.psrestful.store import PsRestfulStore

_SINCE = re.compile(r"^(\d+)([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class BadRequest(Exception):
    """A parameter the sandbox cannot read: 400 ``{"detail"}``."""


def error(status: int, detail: str) -> Response:
    """The documented error body."""
    return SandboxJSONResponse({"detail": detail}, status_code=status)


def _store(request: Request) -> PsRestfulStore:
    return request.app.state.store


def _public(record: dict[str, Any]) -> dict[str, Any]:
    """A record without the sandbox's own ``_`` keys."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


def _int(request: Request, name: str, default: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit() or int(text) < 1:
        raise BadRequest(f"{name} must be a positive integer")
    return int(text)


def paged(
    request: Request,
    records: list[dict[str, Any]],
    *,
    maximum: int,
    links: bool,
) -> Response:
    """One page of ``records`` in the V2 envelope, with the configured page faults."""
    config = _store(request).config
    page = _int(request, "page", 1)
    size = _int(request, "page_size", 20)
    if size > maximum:
        if config.oversize == "refuse":
            raise BadRequest(f"page_size must be at most {maximum}")
        size = maximum
    total_pages = max(1, math.ceil(len(records) / size))
    served = page
    if config.page_fault is not None and page > 1:
        served = 1
    body: dict[str, Any] = {
        "count": len(records),
        "page": 1 if config.page_fault == "ignore_page" else page,
        "pageSize": size,
        "totalPages": total_pages,
    }
    if links:
        body["next"] = _next(request, page, size) if page < total_pages else None
        body["previous"] = _link(request, page - 1, size, keep=True) if page > 1 else None
    body["results"] = [_public(r) for r in records[(served - 1) * size : served * size]]
    return SandboxJSONResponse(body)


def _next(request: Request, page: int, size: int) -> str:
    mode = _store(request).config.next_mode
    if mode == "loop":
        return _link(request, 1, size, keep=True)
    if mode == "foreign":
        origin = _store(request).config.foreign_origin
        return f"{origin}{request.url.path}?page={page + 1}"
    return _link(request, page + 1, size, keep=mode == "kept")


def _link(request: Request, page: int, size: int, *, keep: bool) -> str:
    """An absolute link to ``page``; ``keep`` False drops page_size and the filters."""
    base = str(request.url.replace(query=""))
    if not keep:
        return f"{base}?page={page}"
    params = {k: v for k, v in request.query_params.items() if k not in ("page", "page_size")}
    return f"{base}?{urlencode({**params, 'page': page, 'page_size': size})}"


def summary(style: Style) -> dict[str, Any]:
    """A product as the list shows it (list price of the first USD break)."""
    return {
        "extraId": style.extra_id,
        "productId": style.product_id,
        "supplierCode": style.supplier,
        "name": style.name,
        "description": f"{style.name} from {style.supplier}.",
        "imageUrl": f"https://images.example.com/{style.extra_id}.jpg",
        "listPrice": style.breaks["USD"][0]["listPrice"],
        "currency": "USD",
    }


async def suppliers(request: Request) -> Response:
    """GET /extra/v2/suppliers."""
    store = _store(request)
    return paged(request, store.suppliers, maximum=store.config.page_size_max, links=True)


async def products(request: Request) -> Response:
    """GET /extra/v2/products with supplier_code, brand, category, search."""
    store = _store(request)
    q = request.query_params
    found = [
        s
        for s in store.styles
        if (not q.get("supplier_code") or s.supplier.casefold() == q["supplier_code"].casefold())
        and (not q.get("brand") or s.brand == q["brand"])
        and (not q.get("category") or s.category == q["category"])
        and (not q.get("search") or q["search"].casefold() in s.name.casefold())
    ]
    rows = [summary(s) for s in found]
    return paged(request, rows, maximum=store.config.page_size_max, links=True)


def _style(request: Request) -> Style:
    store = _store(request)
    product_id = request.path_params["product_id"]
    with store.lock:
        store.product_path_ids.append(product_id)
    style = store.resolve(product_id)
    if style is None:
        raise LookupError(f"product {product_id} not found")
    return style


async def product(request: Request) -> Response:
    """GET /extra/v2/products/{product_id} (productId or extraId)."""
    style = _style(request)
    return SandboxJSONResponse(
        {
            **summary(style),
            "brand": style.brand,
            "categories": ["Promotional", style.category],
            "images": [],
            "colors": sorted({p["color"] for p in style.parts}),
            "sizes": sorted({p["size"] for p in style.parts}),
            "parts": style.parts,
        }
    )


def _currency(request: Request) -> str:
    currency = request.query_params.get("currency", "USD").upper()
    if currency not in ("USD", "CAD"):
        raise BadRequest("currency must be USD or CAD")
    return currency


async def ppcs(request: Request) -> Response:
    """GET /extra/v2/products/{product_id}/ppcs?currency=USD|CAD."""
    style = _style(request)
    currency = _currency(request)
    return SandboxJSONResponse(
        {
            "productId": style.product_id,
            "currency": currency,
            "fobPoints": [],
            "priceBreaks": style.breaks[currency],
            "decorationPricing": [],
        }
    )


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


async def ppcs_v1(request: Request) -> Response:
    """GET /extra/v1/products/{product_id}/ppcs: no envelope, in the configured casing."""
    style = _style(request)
    currency = _currency(request)
    body = {
        "productId": style.product_id,
        "currency": currency,
        "priceBreaks": style.breaks[currency],
    }
    if _store(request).config.v1_casing == "snake":
        body = {
            "product_id": style.product_id,
            "currency": currency,
            "price_breaks": [{_snake(k): v for k, v in b.items()} for b in style.breaks[currency]],
        }
    return SandboxJSONResponse(body)


def _meta(style: Style) -> dict[str, Any]:
    return {
        "extraId": style.extra_id,
        "supplierCode": style.supplier,
        "productId": style.product_id,
    }


async def metafields(request: Request) -> Response:
    """GET /extra/v2/products/metafields?extra_id=1,2,3."""
    store = _store(request)
    wanted = [p.strip() for p in request.query_params.get("extra_id", "").split(",") if p.strip()]
    if not all(w.isdigit() for w in wanted):
        raise BadRequest("extra_id must be comma-separated integers")
    rows = [_meta(store.by_extra_id[int(w)]) for w in wanted if int(w) in store.by_extra_id]
    return paged(request, rows, maximum=store.config.page_size_max, links=False)


def _one_style(request: Request, key: str, matches: Any) -> Response:
    """The metafields of the supplier's style for which ``matches(style, value)``, with
    ``supplier_code`` and ``key`` required; 404 when none."""
    q = request.query_params
    if not q.get("supplier_code") or not q.get(key):
        raise BadRequest(f"supplier_code and {key} are required")
    code = q["supplier_code"].casefold()
    style = next(
        (s for s in _store(request).styles if s.supplier.casefold() == code and matches(s, q[key])),
        None,
    )
    if style is None:
        raise LookupError("product not found")
    return SandboxJSONResponse(_meta(style))


async def get_extra_id(request: Request) -> Response:
    """GET /extra/v2/products/get-extra-id/?supplier_code=&product_id= (both required)."""
    return _one_style(request, "product_id", lambda s, v: s.product_id == v)


async def by_title(request: Request) -> Response:
    """GET /extra/v2/products/get-metafields-by-title/ (whole title, any case)."""
    return _one_style(request, "title", lambda s, v: s.name.casefold() == v.casefold())


def _for_supplier(request: Request, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    store = _store(request)
    q = request.query_params
    code = q.get("supplier_code")
    number = q.get("supplier") or q.get("supplier_id")
    if number is not None:
        if not number.isdigit():
            raise BadRequest("supplier must be an integer")
        code = next((s["code"] for s in store.suppliers if s["id"] == int(number)), "")
    if code:
        rows = [r for r in rows if r["_supplier"].casefold() == code.casefold()]
    if q.get("product_id"):
        rows = [r for r in rows if r["productId"] == q["product_id"]]
    return rows


async def inventory(request: Request) -> Response:
    """GET /extra/v2/inventory/{supplier_code} with product_id, part_id, last_modified__since."""
    store = _store(request)
    code = request.path_params["supplier_code"]
    supplier = next(
        (s["code"] for s in store.suppliers if s["code"].casefold() == code.casefold()), None
    )
    if supplier is None:
        raise LookupError(f"supplier {code} not found")
    rows = store.inventory_rows(supplier)
    q = request.query_params
    if q.get("product_id"):
        rows = [r for r in rows if r["productId"] == q["product_id"]]
    if q.get("part_id"):
        rows = [r for r in rows if r["partId"] == q["part_id"]]
    since = q.get("last_modified__since")
    if since is not None:
        found = _SINCE.match(since)
        if found is None:
            raise BadRequest("last_modified__since must be like 30m, 1h or 2d")
        window = timedelta(**{_UNITS[found[2]]: int(found[1])})
        cutoff = store.clock.now() - window
        rows = [r for r in rows if r["lastModified"] >= cutoff]
    served = [{**r, "lastModified": r["lastModified"].strftime("%Y-%m-%dT%H:%M:%SZ")} for r in rows]
    return paged(request, served, maximum=store.config.inventory_page_size_max, links=False)


async def part_id_mappings(request: Request) -> Response:
    """GET /extra/v2/part-id-mappings with supplier (int), supplier_code, product_id."""
    store = _store(request)
    rows = _for_supplier(request, store.mappings)
    return paged(request, rows, maximum=store.config.page_size_max, links=False)


def _named(request: Request, field: str) -> Response:
    store = _store(request)
    rows = []
    for supplier in store.suppliers:
        names = sorted({getattr(s, field) for s in store.styles if s.supplier == supplier["code"]})
        rows += [
            {
                "id": supplier["id"] * 100 + n,
                "name": name,
                "supplierCode": supplier["code"],
                "_supplier": supplier["code"],
            }
            for n, name in enumerate(names, start=1)
        ]
    return paged(
        request, _for_supplier(request, rows), maximum=store.config.page_size_max, links=False
    )


async def brands(request: Request) -> Response:
    """GET /extra/v2/brands with supplier_id or supplier_code."""
    return _named(request, "brand")


async def categories(request: Request) -> Response:
    """GET /extra/v2/categories with supplier_id or supplier_code."""
    return _named(request, "category")


async def scrape(request: Request) -> Response:
    """GET /extra/v1/scrape/{supplier_code}/: 403 unless the key has the scrape permission
    (StockDesk never calls it; it shows what a 403 looks like)."""
    key = request.headers.get("x-api-key", "")
    if "scrape" not in _store(request).config.api_keys.get(key, frozenset()):
        return error(403, "Insufficient permissions for the scraper")
    return SandboxJSONResponse({"pmsMatch": True, "casePack": 72, "openingDiameter": None})
