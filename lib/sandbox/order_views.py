"""Orders rendered in the documented JSON shapes, each order in its own variant."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from lib.sandbox.models import Order, OrderItem

_STATUS_DISPLAY: dict[str, tuple[str, str]] = {
    "created": ("Created", "blue"),
    "part_paid": ("Partially paid", "yellow"),
    "paid": ("Paid", "green"),
    "on_the_way": ("On the way", "indigo"),
    "delivered": ("Delivered", "purple"),
    "accepted": ("Accepted", "emerald"),
    "cancelled": ("Cancelled", "red"),
}


def iso(value: datetime | None) -> str | None:
    """`2025-01-14T10:00:00Z`, or None."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _stamp(order: Order, value: datetime | None) -> str | None:
    # The documents show both `03/11/25` (day/month/year) and ISO timestamps.
    if value is None:
        return None
    return value.strftime("%d/%m/%y") if order.style.dates_dmy else iso(value)


def _money(order: Order, value: Decimal) -> Decimal | str:
    return f"{value:.2f}" if order.style.amount_as_string else value


def status_display(status: str) -> dict[str, str]:
    """The `statusDisplay` badge block: label, colour and Tailwind classes."""
    label, color = _STATUS_DISPLAY[status]
    return {"label": label, "color": color, "cssClass": f"bg-{color}-100 text-{color}-800"}


def _counts(order: Order) -> tuple[int, int]:
    custom = sum(1 for item in order.items if item.product is None)
    return custom, len(order.items) - custom


def _identity(order: Order) -> dict[str, Any]:
    """The fields that name an order and its status, in the list and the detail alike."""
    return {
        "orderId": order.order_id,
        "orderNumber": order.order_number,
        "deliveryId": order.delivery_id,
        "externalOrderId": order.external_order_id,
        "status": order.status,
        "statusDisplay": status_display(order.status),
    }


def list_entry(order: Order) -> dict[str, Any]:
    """An order as it appears in GET /external/orders."""
    custom, catalog = _counts(order)
    entry: dict[str, Any] = {
        **_identity(order),
        "supplierName": order.supplier.name,
        "totalAmount": _money(order, order.total_amount),
        "currency": order.supplier.currency,
        "itemsCount": len(order.items),
        "hasCustomItems": custom > 0,
        "customItemsCount": custom,
        "catalogItemsCount": catalog,
        "createdAt": _stamp(order, order.created_at),
        "statusChangedAt": _stamp(order, order.status_changed_at),
    }
    if order.style.sparse_list_entry:
        # The documents' cancelled duplicate omits these fields.
        for key in ("externalOrderId", "hasCustomItems", "customItemsCount", "catalogItemsCount"):
            del entry[key]
    if not order.style.status_display:
        del entry["statusDisplay"]
    return entry


def _nested_item(order: Order, item: OrderItem, image_root: str) -> dict[str, Any]:
    product = item.product
    return {
        "isCustom": product is None,
        "productId": product.id if product else None,
        "psId": product.internal_id if product else None,
        "product": {
            "name": item.name,
            "sku": product.sku if product else None,
            "imageUrl": f"{image_root}/{product.sku}-1.svg" if product else None,
        },
        "quantity": item.quantity,
        "unitPrice": f"{item.unit_price:.2f}",
        "totalPrice": f"{item.total_price:.2f}",
        "currency": order.supplier.currency,
    }


def _flat_item(order: Order, item: OrderItem, image_root: str) -> dict[str, Any]:
    product = item.product
    return {
        "productId": product.legacy_id if product else None,
        "psId": product.internal_id if product else None,
        "name": item.name,
        "sku": product.sku if product else None,
        "quantity": item.quantity,
        "unitPrice": item.unit_price,
        "totalPrice": item.total_price,
        "currency": order.supplier.currency,
        "imageUrl": f"{image_root}/{product.sku}-1.svg" if product else None,
    }


def detail(order: Order, root_url: str) -> dict[str, Any]:
    """An order as GET /external/orders/{orderNumber} returns it."""
    image_root = f"{root_url}/uploads/products"
    render = _flat_item if order.style.flat_items else _nested_item
    custom, _ = _counts(order)
    eta = order.estimated_delivery_date
    body: dict[str, Any] = {
        **_identity(order),
        "supplier": {"id": order.supplier.id, "name": order.supplier.name},
        "hasCustomItems": custom > 0,
        "items": [render(order, item, image_root) for item in order.items],
        "totalAmount": _money(order, order.total_amount),
        "currency": order.supplier.currency,
        "estimatedDeliveryDate": f"{eta.isoformat()}T00:00:00Z"
        if order.style.eta_iso
        else eta.isoformat(),
        "actualDeliveryDate": iso(order.actual_delivery_date),
        "createdAt": _stamp(order, order.created_at),
        "confirmedAt": _stamp(order, order.created_at),
        "statusChangedAt": _stamp(order, order.status_changed_at),
        "paidAt": iso(order.paid_at),
        "shippedAt": iso(order.shipped_at),
        "acceptedAt": iso(order.accepted_at),
    }
    if not order.style.status_display:
        del body["statusDisplay"]
    return body


def created_summary(order: Order) -> dict[str, Any]:
    """An order as POST /external/orders reports it."""
    return {
        "orderId": order.order_id,
        "orderNumber": order.order_number,
        "deliveryId": order.delivery_id,
        "supplierId": order.supplier.id,
        "status": order.status,
        "totalAmount": order.total_amount,
        "currency": order.supplier.currency,
        "items": len(order.items),
        "createdAt": iso(order.created_at),
    }
