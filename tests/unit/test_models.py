"""Every JSON example in both PleasureStock documents parses into the client's models."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from lib.pleasurestock.errors import ApiError, ValidationError, error_for_response
from lib.pleasurestock.models import (
    ORDER_STATUSES,
    Conversion,
    CreatedOrders,
    Order,
    OrderItem,
    OrderLine,
    OrderPage,
    Product,
    ProductPage,
    RecommendationList,
    ReorderProduct,
    SaleRow,
    SalesReceipt,
    SmartReorderReceipt,
    StatusChange,
    StatusDisplay,
    WebhookEvent,
)

DOCS = Path(__file__).parents[1] / "fixtures" / "api-docs"
DOC_FILES = ["pleasurestock-api-v1.txt", "pleasurestock-api-v1-condensed.txt"]


def json_examples(text: str) -> list[tuple[int, Any]]:
    """(line number, parsed value) of every JSON object example in a document.

    Examples start at a line ending in ``{`` and are balanced; ``// comments`` are
    stripped. JavaScript snippets (unquoted keys) are not JSON examples and are skipped.
    """
    lines = text.splitlines()
    found: list[tuple[int, Any]] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped == "{" or stripped.endswith(":{"):
            depth, buf = 0, []
            for j, line in enumerate([stripped[stripped.index("{") :], *lines[i + 1 :]]):
                code = re.sub(r"(^|\s)//.*$", "", line)
                buf.append(code)
                depth += code.count("{") + code.count("[") - code.count("}") - code.count("]")
                if depth == 0:
                    end = i + j
                    break
            body = "\n".join(buf)
            first_key = next((b.strip() for b in buf[1:] if b.strip()), "")
            if first_key.startswith('"'):
                found.append((i + 1, json.loads(body)))
            i = end
        i += 1
    return found


def parse_example(example: dict[str, Any]) -> list[Any]:
    """Parse one documented example with the model(s) it documents."""
    data = example.get("data")
    if "pagination" in example:
        return [ProductPage.model_validate(example)]
    if "sales" in example:
        return [SaleRow.model_validate(row) for row in example["sales"]]
    if "errors" in example:
        response = httpx.Response(400, json=example)
        return [error_for_response(response, secret=None)]
    if "recommendations" in example:
        return [RecommendationList.model_validate(example)]
    if "originalAmount" in example:
        return [Conversion.model_validate(example)]
    if "processed" in example:
        return [SalesReceipt.model_validate(example)]
    if "products" in example:
        return [ReorderProduct.model_validate(p) for p in example["products"]]
    if "items" in example and "data" not in example:
        return [OrderLine.model_validate(i) for i in example["items"]]
    if "event" in example:
        event = WebhookEvent.model_validate(example)
        parsed: list[Any] = [event]
        if event.event == "order.created":
            parsed.append(Order.model_validate(event.data))
        return parsed
    if example.get("success") is False:
        return [error_for_response(httpx.Response(400, json=example), secret=None)]
    if "statusDisplay" in example:
        assert example["status"] in ORDER_STATUSES
        return [StatusDisplay.model_validate(example["statusDisplay"])]
    if "status" in example:
        assert example["status"] in ORDER_STATUSES
        return [example["status"]]
    if isinstance(data, dict):
        if "internal_id" in data:
            return [Product.model_validate(data)]
        if "smartReorderId" in data:
            return [SmartReorderReceipt.model_validate(data)]
        if "totalOrders" in data:
            return [CreatedOrders.model_validate(data)]
        if "pagination" in data:
            return [OrderPage.model_validate(data)]
        if "items" in data:
            return [Order.model_validate(data)]
        if "statusChangedAt" in data:
            return [StatusChange.model_validate(data)]
    raise AssertionError(f"no model documents this example: {sorted(example)}")


@pytest.mark.parametrize("doc", DOC_FILES)
def test_every_json_example_in_the_documents_parses(doc: str) -> None:
    examples = json_examples((DOCS / doc).read_text(encoding="utf-8"))
    # 18 top-level examples in the long document, 22 in the condensed one (which adds
    # smart reordering, currency and status-update answers); counted by hand.
    assert len(examples) == {"pleasurestock-api-v1.txt": 18}.get(doc, 22)
    for line, example in examples:
        assert parse_example(example), f"{doc}:{line}"


def test_money_is_decimal_from_strings_and_numbers() -> None:
    product = Product.model_validate(
        {"internal_id": "ps_1", "price": "49.99", "tcc_total_cost": 84.98, "tcc_coefficient": 1.7}
    )
    assert product.price == Decimal("49.99")
    assert product.tcc_total_cost == Decimal("84.98")
    assert product.tcc_coefficient == Decimal("1.7")
    assert isinstance(product.price, Decimal)


def test_supplier_and_category_ids_are_opaque_strings() -> None:
    by_int = Product.model_validate({"internal_id": "ps_abc123", "supplier_id": 12})
    by_uuid = Product.model_validate(
        {
            "internal_id": "ps_abc123",
            "supplier_id": "f0229142-b869-42c6-8751-9cb3d629e192",
            "category_id": "c4f3e2d1-a2b3-4c5d-6e7f-8g9h0i1j2k3l",
        }
    )
    assert by_int.supplier_id == "12"
    assert by_uuid.supplier_id == "f0229142-b869-42c6-8751-9cb3d629e192"
    assert by_uuid.category_id == "c4f3e2d1-a2b3-4c5d-6e7f-8g9h0i1j2k3l"


def test_order_dates_in_short_and_iso_forms() -> None:
    short = Order.model_validate(
        {
            "orderNumber": "ORD-1",
            "status": "created",
            "createdAt": "03/11/25",
            "estimatedDeliveryDate": "2025-11-20",
        }
    )
    iso = Order.model_validate(
        {
            "orderNumber": "ORD-2",
            "status": "paid",
            "createdAt": "2025-01-14T10:00:00Z",
            "estimatedDeliveryDate": "2024-03-25T00:00:00Z",
        }
    )
    assert short.created_at == datetime(2025, 11, 3, tzinfo=UTC)
    assert short.estimated_delivery_date == date(2025, 11, 20)
    assert iso.created_at == datetime(2025, 1, 14, 10, 0, tzinfo=UTC)
    assert iso.estimated_delivery_date == date(2024, 3, 25)


def test_nested_and_flat_order_items_read_the_same() -> None:
    nested = OrderItem.model_validate(
        {
            "isCustom": False,
            "productId": "b421eb2c-e1ee-4537-9c19-056d63a337c4",
            "psId": "ps_uypjz2vraa",
            "product": {"name": "Vibe", "sku": "VIB-001", "imageUrl": "https://x/i.jpg"},
            "quantity": 5,
            "unitPrice": "29.99",
            "totalPrice": "149.95",
        }
    )
    flat = OrderItem.model_validate(
        {
            "productId": 567,
            "psId": "ps_uypjz2vraa",
            "name": "Vibe",
            "sku": "VIB-001",
            "imageUrl": "https://x/i.jpg",
            "quantity": 5,
            "unitPrice": 29.99,
            "totalPrice": 149.95,
        }
    )
    assert (nested.name, nested.sku, nested.image_url) == (flat.name, flat.sku, flat.image_url)
    assert nested.unit_price == flat.unit_price == Decimal("29.99")
    assert nested.total_price == flat.total_price == Decimal("149.95")
    assert flat.product_id == "567"


def test_status_change_accepts_integer_order_id() -> None:
    change = StatusChange.model_validate(
        {"orderId": 1234, "orderNumber": "ORD-2024-001234", "status": "paid"}
    )
    assert change.order_id == "1234"


def test_recommendation_pl_prefix_maps_to_ps_id_guess() -> None:
    recs = RecommendationList.model_validate(
        {"recommendations": [{"product_internal_id": "pl_1234567890", "product_sku": "W-1"}]}
    )
    assert recs.recommendations[0].ps_id_guess == "ps_1234567890"


def test_unknown_fields_are_ignored() -> None:
    product = Product.model_validate({"internal_id": "ps_1", "brand_new_field": {"x": 1}})
    assert product.internal_id == "ps_1"


def test_sale_row_omits_unknown_stock_instead_of_sending_zero() -> None:
    row = SaleRow(internal_id="ps_1", date=date(2025, 11, 3), quantity=4)
    assert row.to_payload() == {"internal_id": "ps_1", "date": "2025-11-03", "quantity": 4}
    stocked = SaleRow(internal_id="ps_1", date=date(2025, 11, 3), quantity=0, stock_on_hand=0)
    assert stocked.to_payload()["stock_on_hand"] == 0


def test_sales_validation_body_becomes_row_errors() -> None:
    body = {
        "error": "Validation errors",
        "errors": [
            {"index": 0, "error": "Invalid internal_id format", "received": "bad"},
            {"index": 3, "error": "quantity must be a non-negative integer", "received": -1},
        ],
        "processed": 0,
    }
    error = error_for_response(httpx.Response(400, json=body), secret=None)
    assert isinstance(error, ValidationError)
    assert [(r.index, r.received) for r in error.row_errors] == [(0, "bad"), (3, -1)]
    assert "2 row(s) were refused; nothing was stored" in str(error)


def test_general_error_body_keeps_server_message_and_details() -> None:
    body = {
        "success": False,
        "error": "Invalid request",
        "message": "The request payload is invalid",
        "details": ["Missing required field: internal_id"],
    }
    error = error_for_response(httpx.Response(400, json=body), secret=None)
    assert isinstance(error, ApiError)
    assert "The request payload is invalid" in str(error)
    assert error.details == ["Missing required field: internal_id"]


@pytest.mark.parametrize(
    ("status", "kind", "advice"),
    [
        (401, "AuthenticationError", "Check the API key in Settings"),
        (403, "PermissionDeniedError", "manager role"),
        (404, "NotFoundError", "no such record"),
        (429, "RateLimitedError", "Wait a minute"),
        (503, "ServerError", "Try again in a few minutes"),
    ],
)
def test_each_error_status_maps_to_an_error_that_says_what_to_do(
    status: int, kind: str, advice: str
) -> None:
    body = {"success": False, "error": "x", "message": "key pk_live_SECRET rejected"}
    error = error_for_response(httpx.Response(status, json=body), secret="pk_live_SECRET")
    assert type(error).__name__ == kind
    assert advice in str(error)
    assert "pk_live_SECRET" not in str(error)  # a server echoing the key is redacted
    assert error.status_code == status
