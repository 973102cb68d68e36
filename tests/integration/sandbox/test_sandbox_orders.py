"""External orders: creation grouped by supplier, listing, detail variants and the workflow."""

from __future__ import annotations

import re

import httpx
import pytest

from lib.sandbox import RunningSandbox

STATUSES = ["created", "part_paid", "paid", "on_the_way", "delivered", "accepted", "cancelled"]


def _all_orders(ext: httpx.Client, **params: object) -> list[dict]:
    return ext.get("/external/orders", params={"limit": 100, **params}).json()["data"]["orders"]


def _products_of_two_suppliers(std: httpx.Client) -> list[dict]:
    products = std.get("/products", params={"limit": 200}).json()["data"]
    first = products[0]
    other = next(p for p in products if p["supplier_id"] != first["supplier_id"])
    same = next(p for p in products[1:] if p["supplier_id"] == first["supplier_id"])
    return [first, same, other]


def _new_order(ext: httpx.Client, std: httpx.Client) -> str:
    product = std.get("/products", params={"limit": 1, "page": 5}).json()["data"][0]
    body = {"items": [{"ps_id": product["internal_id"], "quantity": 1}]}
    return ext.post("/external/orders", json=body).json()["data"]["orders"][0]["orderNumber"]


def test_create_groups_items_by_supplier(ext: httpx.Client, std: httpx.Client) -> None:
    first, same, other = _products_of_two_suppliers(std)
    body = {
        "items": [
            {"ps_id": first["internal_id"], "quantity": 2, "customPrice": 10.5},
            {"ps_id": other["internal_id"], "quantity": 1},
            {"ps_id": same["internal_id"], "quantity": 3},
        ],
        "externalOrderId": "ERP-TEST-001",
        "comment": "Urgent order",
    }
    response = ext.post("/external/orders", json=body)
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["totalOrders"] == 2
    orders = {o["supplierId"]: o for o in data["orders"]}
    grouped = orders[first["supplier_id"]]
    assert grouped["items"] == 2 and grouped["status"] == "created"
    assert re.fullmatch(r"ORD-\d{8}-[A-Z0-9]{6}", grouped["orderNumber"])
    expected = round(2 * 10.5 + 3 * float(same["price"]), 2)
    assert grouped["totalAmount"] == pytest.approx(expected)
    assert data["totalAmount"] == pytest.approx(sum(o["totalAmount"] for o in data["orders"]))
    listed = _all_orders(ext, status="created")
    assert any(o.get("externalOrderId") == "ERP-TEST-001" for o in listed)


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"ps_id": "ps_doesnotexist", "quantity": 1}],
        [{"ps_id": "abc", "quantity": 1}],
        [{"ps_id": "ps_abc123", "quantity": 0}],
        [{"ps_id": "ps_abc123", "quantity": 1, "customPrice": -1}],
    ],
)
def test_create_rejects_bad_items(ext: httpx.Client, items: list) -> None:
    response = ext.post("/external/orders", json={"items": items})
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["details"]


def test_list_paging_limit_offset_and_status_filter(ext: httpx.Client) -> None:
    everything = _all_orders(ext)
    total = ext.get("/external/orders").json()["data"]["pagination"]["total"]
    assert len(everything) == total >= 60
    first = ext.get("/external/orders", params={"limit": 5}).json()["data"]
    second = ext.get("/external/orders", params={"limit": 5, "offset": 5}).json()["data"]
    assert first["pagination"] == {"total": total, "limit": 5, "offset": 0}
    assert [o["orderNumber"] for o in first["orders"] + second["orders"]] == [
        o["orderNumber"] for o in everything[:10]
    ]
    assert ext.get("/external/orders").json()["data"]["pagination"]["limit"] == 20
    for status in STATUSES:
        subset = _all_orders(ext, status=status)
        assert subset and {o["status"] for o in subset} == {status}


@pytest.mark.parametrize("params", [{"status": "shipped"}, {"limit": 101}, {"offset": -1}])
def test_list_rejects_bad_parameters(ext: httpx.Client, params: dict) -> None:
    assert ext.get("/external/orders", params=params).status_code == 400


def test_detail_item_shapes_both_occur(ext: httpx.Client) -> None:
    nested = flat = 0
    for order in _all_orders(ext):
        detail = ext.get(f"/external/orders/{order['orderNumber']}").json()["data"]
        assert set(detail["supplier"]) == {"id", "name"}
        for item in detail["items"]:
            if "product" in item:
                nested += 1
                assert isinstance(item["unitPrice"], str)
            else:
                flat += 1
                assert isinstance(item["unitPrice"], int | float)
    assert nested and flat
    missing = ext.get("/external/orders/ORD-00000000-NOPE00")
    assert missing.status_code == 404 and missing.json()["success"] is False


def test_workflow_allowed_steps_and_integer_order_id(ext: httpx.Client, std: httpx.Client) -> None:
    number = _new_order(ext, std)
    for status in ["part_paid", "paid", "on_the_way", "delivered", "accepted"]:
        response = ext.put(f"/external/orders/{number}/status", json={"status": status})
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert isinstance(data["orderId"], int) and data["status"] == status
        assert data["orderNumber"] == number and data["statusChangedAt"].endswith("Z")
    detail = ext.get(f"/external/orders/{number}").json()["data"]
    assert detail["paidAt"] and detail["shippedAt"] and detail["actualDeliveryDate"]
    assert detail["acceptedAt"]
    final = ext.put(f"/external/orders/{number}/status", json={"status": "cancelled"})
    assert final.status_code == 400 and "final" in final.json()["message"]


def test_workflow_refusals(ext: httpx.Client, std: httpx.Client) -> None:
    number = _new_order(ext, std)
    skip = ext.put(f"/external/orders/{number}/status", json={"status": "delivered"})
    assert skip.status_code == 400
    assert "paid" in " ".join(skip.json()["details"])
    unknown = ext.put(f"/external/orders/{number}/status", json={"status": "shipped"})
    assert unknown.status_code == 400
    assert ext.put(f"/external/orders/{number}/status", json={}).status_code == 400
    cancel = ext.put(
        f"/external/orders/{number}/status", json={"status": "cancelled", "comment": "dup"}
    )
    assert cancel.status_code == 200
    again = ext.put(f"/external/orders/{number}/status", json={"status": "paid"})
    assert again.status_code == 400
    missing = ext.put("/external/orders/ORD-NOPE/status", json={"status": "paid"})
    assert missing.status_code == 404


def test_smart_reorder_submission(ext: httpx.Client, sandbox: RunningSandbox) -> None:
    good = {"ps_id": "ps_abc123", "quantity": 15, "current_stock": 85,
            "sales_history": [5, 8, 12, 6, 9, 11, 7]}  # fmt: skip
    response = ext.post("/external/smart-reorder", json={"products": [good]})
    assert response.status_code == 200
    data = response.json()["data"]
    assert isinstance(data["smartReorderId"], int) and data["isActive"] is True
    short = {**good, "sales_history": [1, 2, 3]}
    assert ext.post("/external/smart-reorder", json={"products": [short]}).status_code == 400
    wrong_id = {**good, "ps_id": "x_1"}
    assert ext.post("/external/smart-reorder", json={"products": [wrong_id]}).status_code == 400
