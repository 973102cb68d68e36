"""The external (Bearer) endpoints: orders, their status workflow and smart-reorder submissions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from lib.sandbox import order_views
from lib.sandbox.jsonio import SandboxJSONResponse, error_response
from lib.sandbox.models import CENT, ORDER_STATUSES, Order, Product
from lib.sandbox.params import ParamError, is_int, is_number, json_object, query_int
from lib.sandbox.store import SandboxStore, TransitionError
from lib.sandbox.webhooks import WebhookSender

MAX_ORDER_PAGE = 100


def _optional_text(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise ParamError(f"Field '{name}' must be a string", [name])
    return value


def _order_lines(store: SandboxStore, items: Any) -> list[tuple[Product, int, Decimal | None]]:
    if not isinstance(items, list) or not items:
        raise ParamError("Field 'items' must be a non-empty array", ["items"])
    details: list[str] = []
    lines: list[tuple[Product, int, Decimal | None]] = []
    for index, item in enumerate(items):
        known_problems = len(details)
        if not isinstance(item, dict):
            details.append(f"items[{index}]: must be an object")
            continue
        ps_id, quantity, custom = item.get("ps_id"), item.get("quantity"), item.get("customPrice")
        product = store.product(ps_id) if isinstance(ps_id, str) else None
        if not isinstance(ps_id, str) or not ps_id.startswith("ps_"):
            details.append(f"items[{index}].ps_id: must be a string starting with 'ps_'")
        elif product is None:
            details.append(f"items[{index}].ps_id: product '{ps_id}' not found")
        if not is_int(quantity) or quantity <= 0:
            details.append(f"items[{index}].quantity: must be a positive integer")
        if custom is not None and (not is_number(custom) or custom < 0):
            details.append(f"items[{index}].customPrice: must be a non-negative number")
        if product is not None and len(details) == known_problems:
            price = None if custom is None else Decimal(str(custom)).quantize(CENT, ROUND_HALF_UP)
            lines.append((product, quantity, price))
    if details:
        raise ParamError("Invalid order items", details)
    return lines


async def create_orders(request: Request) -> Response:
    """POST /external/orders: one new order per supplier of the given items."""
    store: SandboxStore = request.app.state.store
    sender: WebhookSender = request.app.state.webhooks
    body = await json_object(request)
    lines = _order_lines(store, body.get("items"))
    external_id = _optional_text(body, "externalOrderId")
    comment = _optional_text(body, "comment")
    orders = store.create_orders(lines, external_id, comment)
    for order in orders:
        sender.emit("order.created", _created_event(order))
    summaries = [order_views.created_summary(o) for o in orders]
    total = sum((o.total_amount for o in orders), Decimal("0.00"))
    return SandboxJSONResponse(
        {
            "success": True,
            "data": {"orders": summaries, "totalOrders": len(orders), "totalAmount": total},
        }
    )


def _created_event(order: Order) -> dict[str, Any]:
    return {
        "orderId": order.order_id,
        "orderNumber": order.order_number,
        "deliveryId": order.delivery_id,
        "status": order.status,
        "supplierId": order.supplier.id,
        "totalAmount": order.total_amount,
        "currency": order.supplier.currency,
        "items": [
            {
                "ps_id": item.product.internal_id if item.product else None,
                "quantity": item.quantity,
                "unitPrice": item.unit_price,
                "totalPrice": item.total_price,
            }
            for item in order.items
        ],
        "externalOrderId": order.external_order_id,
        "createdAt": order_views.iso(order.created_at),
    }


async def list_orders(request: Request) -> Response:
    """GET /external/orders?status=&limit=&offset=: newest first."""
    store: SandboxStore = request.app.state.store
    status = request.query_params.get("status")
    if status and status not in ORDER_STATUSES:
        raise ParamError(f"Unknown status '{status}'", [f"Allowed: {', '.join(ORDER_STATUSES)}"])
    limit = query_int(request, "limit", 20, 1, MAX_ORDER_PAGE)
    offset = query_int(request, "offset", 0, 0)
    orders = [o for o in store.orders if not status or o.status == status]
    orders.sort(key=lambda o: (o.created_at, o.legacy_id), reverse=True)
    page = [order_views.list_entry(o) for o in orders[offset : offset + limit]]
    return SandboxJSONResponse(
        {
            "success": True,
            "data": {
                "orders": page,
                "pagination": {"total": len(orders), "limit": limit, "offset": offset},
            },
        }
    )


def _not_found(number: str) -> Response:
    return error_response(404, "Not found", f"Order '{number}' not found", [number])


async def get_order(request: Request) -> Response:
    """GET /external/orders/{orderNumber}: the order with its items."""
    store: SandboxStore = request.app.state.store
    number = request.path_params["order_number"]
    order = store.order(number)
    if order is None:
        return _not_found(number)
    root = str(request.base_url).rstrip("/")
    return SandboxJSONResponse({"success": True, "data": order_views.detail(order, root)})


async def update_status(request: Request) -> Response:
    """PUT /external/orders/{orderNumber}/status: one step of the workflow."""
    store: SandboxStore = request.app.state.store
    sender: WebhookSender = request.app.state.webhooks
    number = request.path_params["order_number"]
    body = await json_object(request)
    order = store.order(number)
    if order is None:
        return _not_found(number)
    status = body.get("status")
    if not isinstance(status, str) or status not in ORDER_STATUSES:
        raise ParamError(
            "Field 'status' is required and must be a known status",
            [f"Allowed: {', '.join(ORDER_STATUSES)}", f"received: {status!r}"],
        )
    external_id = _optional_text(body, "externalOrderId")
    comment = _optional_text(body, "comment")
    try:
        old = store.change_status(order, status, external_id, comment)
    except TransitionError as exc:
        allowed = ", ".join(exc.allowed) or "none"
        return error_response(
            400,
            "Invalid status transition",
            str(exc),
            [f"Allowed from '{order.status}': {allowed}"],
        )
    changed_at = order_views.iso(order.status_changed_at)
    if status == "cancelled":
        sender.emit(
            "order.cancelled",
            {
                "orderId": order.order_id,
                "orderNumber": order.order_number,
                "deliveryId": order.delivery_id,
                "oldStatus": old,
                "status": "cancelled",
                "reason": comment,
                "cancelledAt": changed_at,
            },
        )
    else:
        sender.emit(
            "order.status_changed",
            {
                "orderId": order.order_id,
                "orderNumber": order.order_number,
                "oldStatus": old,
                "newStatus": status,
                "changedBy": "external_api",
                "comment": comment,
                "changedAt": changed_at,
            },
        )
    return SandboxJSONResponse(
        {
            "success": True,
            "data": {
                # The documents' variant: an integer id here, UUIDs everywhere else.
                "orderId": order.legacy_id,
                "orderNumber": order.order_number,
                "status": order.status,
                "statusChangedAt": changed_at,
            },
        }
    )


def _reorder_errors(products: Any) -> list[str]:
    if not isinstance(products, list) or not products:
        return ["products: must be a non-empty array"]
    details = []
    for i, entry in enumerate(products):
        if not isinstance(entry, dict):
            details.append(f"products[{i}]: must be an object")
            continue
        ps_id = entry.get("ps_id")
        if not isinstance(ps_id, str) or not ps_id.startswith("ps_"):
            details.append(f"products[{i}].ps_id: must start with 'ps_'")
        for name in ("quantity", "current_stock"):
            if not is_number(entry.get(name)) or entry[name] < 0:
                details.append(f"products[{i}].{name}: must be a non-negative number")
        history = entry.get("sales_history")
        if not isinstance(history, list) or len(history) < 7 or not all(map(is_number, history)):
            details.append(f"products[{i}].sales_history: needs at least 7 numbers")
    return details


async def submit_smart_reorder(request: Request) -> Response:
    """POST /external/smart-reorder: validate and record the submission."""
    store: SandboxStore = request.app.state.store
    body = await json_object(request)
    details = _reorder_errors(body.get("products"))
    if details:
        raise ParamError("Invalid smart-reorder data", details)
    reorder_id = store.add_smart_reorder(body["products"])
    return SandboxJSONResponse(
        {
            "success": True,
            "data": {
                "smartReorderId": reorder_id,
                "lastUpdated": order_views.iso(store.now()),
                "isActive": True,
            },
        }
    )
