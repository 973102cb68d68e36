"""GET /products, GET /products/{id} and the SVG placeholders under /uploads/products."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from lib.sandbox.jsonio import SandboxJSONResponse, error_response
from lib.sandbox.models import Product
from lib.sandbox.params import query_bool, query_int
from lib.sandbox.store import SandboxStore


def _iso(value: Any) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def image_urls(request: Request, product: Product) -> list[str]:
    """Absolute URLs of the product's placeholder images, served by this sandbox."""
    root = str(request.base_url).rstrip("/")
    return [
        f"{root}/uploads/products/{product.sku}-{n}.svg" for n in range(1, product.image_count + 1)
    ]


@dataclass(frozen=True)
class Includes:
    """Which optional blocks a product request asked for."""

    images: bool
    category: bool
    tcc: bool
    tsp: bool

    @classmethod
    def from_query(cls, request: Request, images_default: bool) -> Includes:
        """Parse withImages/includeCategory/includeTcc/includeTsp."""
        return cls(
            images=query_bool(request, "withImages", images_default),
            category=query_bool(request, "includeCategory", False),
            tcc=query_bool(request, "includeTcc", False),
            tsp=query_bool(request, "includeTsp", False),
        )


def product_json(request: Request, product: Product, include: Includes) -> dict[str, Any]:
    """One product in the documented shape, with the optional blocks the query asks for."""
    body: dict[str, Any] = {
        "id": product.id,
        "internal_id": product.internal_id,
        "name": product.name,
        "sku": product.sku,
        "description": product.description,
        # Both documented money variants: a decimal string for most, a number for some.
        "price": product.price if product.price_as_number else f"{product.price:.2f}",
        "currency": product.currency,
        "supplier_id": product.supplier.id,
    }
    if include.images:
        body["images"] = image_urls(request, product)
    if include.category:
        category = product.category
        body["category_id"] = category.id if category else None
        body["category_name"] = category.name if category else None
        body["category_name_en"] = category.name_en if category else None
    if include.tcc:
        enabled = product.tcc_enabled
        body["tcc_enabled"] = enabled
        body["tcc_coefficient"] = product.tcc_coefficient if enabled else None
        body["tcc_total_cost"] = product.tcc_total_cost if enabled else None
        body["tcc_currency"] = product.tcc_currency
    if include.tsp:
        enabled = product.tsp_enabled
        body["tsp_enabled"] = enabled
        body["tsp_value"] = product.tsp_value if enabled else None
        body["tsp_formula"] = product.tsp_formula
        body["tsp_currency"] = product.tcc_currency
    body["created_at"] = _iso(product.created_at)
    body["updated_at"] = _iso(product.updated_at)
    return body


def _matches(product: Product, needle: str) -> bool:
    return any(needle in text.lower() for text in (product.name, product.sku, product.description))


async def list_products(request: Request) -> Response:
    """GET /products: paging, supplier filter, search, id batch and include flags."""
    store: SandboxStore = request.app.state.store
    page = query_int(request, "page", 1, 1)
    limit = query_int(request, "limit", 100, 1, 1000)
    include = Includes.from_query(request, images_default=False)
    products = store.products
    ids = request.query_params.get("ids")
    if ids:
        wanted = [part.strip() for part in ids.split(",") if part.strip()]
        found = (store.product(any_id) for any_id in dict.fromkeys(wanted))
        products = list({p.id: p for p in found if p is not None}.values())
    supplier_id = request.query_params.get("supplier_id")
    if supplier_id:
        products = [p for p in products if str(p.supplier.id) == supplier_id.strip()]
    search = request.query_params.get("search")
    if search:
        needle = search.strip().lower()
        products = [p for p in products if _matches(p, needle)]
    total = len(products)
    chunk = products[(page - 1) * limit : page * limit]
    return SandboxJSONResponse(
        {
            "success": True,
            "data": [product_json(request, p, include) for p in chunk],
            "pagination": {
                "page": page,
                "limit": limit,
                "total": total,
                "pages": math.ceil(total / limit),
            },
        }
    )


async def get_product(request: Request) -> Response:
    """GET /products/{id}: one product by UUID or ps_ id; images are included by default."""
    store: SandboxStore = request.app.state.store
    product_id = request.path_params["product_id"]
    include = Includes.from_query(request, images_default=True)
    product = store.product(product_id)
    if product is None:
        return error_response(404, "Not found", f"Product '{product_id}' not found", [product_id])
    return SandboxJSONResponse({"success": True, "data": product_json(request, product, include)})


_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240">'
    '<rect width="240" height="240" fill="{fill}"/>'
    '<text x="120" y="115" font-family="sans-serif" font-size="18" text-anchor="middle" '
    'fill="#fff">{sku}</text>'
    '<text x="120" y="145" font-family="sans-serif" font-size="14" text-anchor="middle" '
    'fill="#fff">image {n}</text></svg>'
)
_FILLS = ("#8e44ad", "#c0392b", "#16a085", "#2c3e50", "#d35400")


async def product_image(request: Request) -> Response:
    """GET /uploads/products/<sku>-<n>.svg: a small placeholder for any sandbox product."""
    store: SandboxStore = request.app.state.store
    filename: str = request.path_params["filename"]
    sku, _, number = filename.removesuffix(".svg").rpartition("-")
    if not filename.endswith(".svg") or not number.isdigit() or store.by_sku(sku) is None:
        return error_response(404, "Not found", f"No image '{filename}'")
    n = int(number)
    svg = _SVG.format(fill=_FILLS[n % len(_FILLS)], sku=html.escape(sku), n=n)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=3600"})
