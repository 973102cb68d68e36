"""Sales (SUM/MAX, all-or-nothing validation), smart reordering and currency conversion."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from lib.sandbox import RunningSandbox


def _some_product(std: httpx.Client, index: int) -> dict:
    return std.get("/products", params={"limit": 1, "page": 2000 + index}).json()["data"][0]


def test_two_warehouses_in_one_request_sum_quantity_and_max_stock(
    std: httpx.Client, sandbox: RunningSandbox
) -> None:
    product = _some_product(std, 1)
    rows = [
        {"internal_id": product["internal_id"], "date": "2030-01-01", "quantity": 10,
         "stock_on_hand": 500},
        {"internal_id": product["id"], "date": "2030-01-01", "quantity": 5, "stock_on_hand": 300},
    ]  # fmt: skip
    response = std.post("/sales", json={"sales": rows})
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "message": "Sales data submitted successfully",
        "processed": 2,
    }
    assert sandbox.store.sales[(product["internal_id"], date(2030, 1, 1))] == (15, 500)


def test_resending_doubles_the_quantity(std: httpx.Client, sandbox: RunningSandbox) -> None:
    product = _some_product(std, 2)
    row = {"internal_id": product["internal_id"], "date": "2030-01-02", "quantity": 7}
    for _ in range(2):
        assert std.post("/sales", json={"sales": [row]}).status_code == 200
    assert sandbox.store.sales[(product["internal_id"], date(2030, 1, 2))] == (14, None)


def test_unknown_but_well_formed_ids_are_accepted(
    std: httpx.Client, sandbox: RunningSandbox
) -> None:
    row = {"internal_id": "ps_abc", "date": "2030-01-03", "quantity": 1, "stock_on_hand": 0}
    assert std.post("/sales", json={"sales": [row]}).json()["processed"] == 1
    assert sandbox.store.sales[("ps_abc", date(2030, 1, 3))] == (1, 0)


def test_validation_lists_every_bad_row_and_stores_nothing(
    std: httpx.Client, sandbox: RunningSandbox
) -> None:
    good = {"internal_id": "ps_validrow01", "date": "2030-02-01", "quantity": 1}
    bad = [
        {"internal_id": "invalid_id_123", "date": "2030-02-01", "quantity": 1},
        {"internal_id": "ps_x", "date": "2030-02-30", "quantity": 1},
        {"internal_id": "ps_x", "date": "2030-02-01", "quantity": 1.5},
        {"internal_id": "ps_x", "date": "2030-02-01", "quantity": "3"},
        {"internal_id": "ps_x", "date": "2030-02-01", "quantity": True},
        {"internal_id": "ps_x", "date": "2030-02-01", "quantity": -1},
        {"internal_id": "ps_x", "date": "2030-02-01", "quantity": 1, "stock_on_hand": -5},
    ]
    response = std.post("/sales", json={"sales": [good, *bad]})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Validation errors" and body["processed"] == 0
    assert sorted({e["index"] for e in body["errors"]}) == list(range(1, len(bad) + 1))
    assert set(body["errors"][0]) == {"index", "error", "expected", "received"}
    assert body["errors"][0]["received"] == "invalid_id_123"
    assert ("ps_validrow01", date(2030, 2, 1)) not in sandbox.store.sales


def test_more_than_1000_rows_is_a_general_400(std: httpx.Client) -> None:
    rows = [{"internal_id": "ps_many", "date": "2030-03-01", "quantity": 1}] * 1001
    response = std.post("/sales", json={"sales": rows})
    assert response.status_code == 400
    assert response.json()["success"] is False


def test_smart_reordering_shape_and_pl_prefix(std: httpx.Client) -> None:
    body = std.get("/smart-reordering").json()
    assert body["success"] is True and body["date"] == "2025-11-10"
    assert body["total"] == len(body["recommendations"]) > 0
    keys = {
        "product_internal_id", "product_name", "product_sku", "recommended_quantity",
        "current_stock", "average_daily_sales", "forecast_accuracy", "calculation_date",
    }  # fmt: skip
    for rec in body["recommendations"]:
        assert set(rec) == keys
        assert rec["product_internal_id"].startswith("pl_")
        assert rec["recommended_quantity"] > 0
        assert 0 <= rec["forecast_accuracy"] <= 1


def test_smart_reordering_follows_posted_sales(std: httpx.Client) -> None:
    product = _some_product(std, 3)
    rows = [
        {"internal_id": product["internal_id"], "date": f"2031-05-{d:02d}", "quantity": 10,
         "stock_on_hand": 0 if d == 28 else 20}
        for d in range(1, 29)
    ]  # fmt: skip
    rows[-1]["quantity"] = 0
    assert std.post("/sales", json={"sales": rows}).status_code == 200
    recs = std.get("/smart-reordering", params={"date": "2031-05-28"}).json()["recommendations"]
    mine = next(r for r in recs if r["product_sku"] == product["sku"])
    # 27 selling days of 10, the stockout day excluded: avg 10, 21 days of cover, stock 0.
    assert mine["average_daily_sales"] == 10
    assert mine["current_stock"] == 0
    assert mine["recommended_quantity"] == 210


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "2025/11/01"])
def test_smart_reordering_invalid_date_is_400(std: httpx.Client, bad: str) -> None:
    assert std.get("/smart-reordering", params={"date": bad}).status_code == 400


def test_currency_conversion(std: httpx.Client) -> None:
    body = std.get("/currency/convert-to-try", params={"amount": 100, "currency": "EUR"}).json()
    assert body["convertedAmount"] == 3487.5 and body["exchangeRate"] == 34.875
    assert body["originalCurrency"] == "EUR" and body["targetCurrency"] == "TRY"
    assert body["lastUpdated"].endswith("Z")
    usd = std.get("/currency/convert-to-try", params={"amount": "10.5", "currency": "USD"})
    assert usd.json()["convertedAmount"] == 337.05


@pytest.mark.parametrize(
    "params",
    [
        {"amount": 1, "currency": "TRY"},
        {"amount": 1, "currency": "JPY"},
        {"currency": "EUR"},
        {"amount": "abc", "currency": "EUR"},
    ],
)
def test_currency_conversion_errors(std: httpx.Client, params: dict) -> None:
    response = std.get("/currency/convert-to-try", params=params)
    assert response.status_code == 400
    assert response.json()["success"] is False
