"""Totals per status and supplier and the open commitments, checked by hand in Decimal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from lib.orders.totals import (
    StatusSupplierTotal,
    open_commitments,
    totals_by_status_and_supplier,
    totals_frame,
)
from lib.pleasurestock.models import Order

RATES = {"EUR": Decimal("35.5"), "TRY": Decimal(1)}


def rate(currency: str) -> Decimal | None:
    return RATES.get(currency)


def order(status: str, supplier: str, amount: Any, currency: str | None) -> Order:
    return Order.model_validate(
        {
            "orderNumber": f"ORD-{status}-{supplier}-{amount}",
            "status": status,
            "supplierName": supplier,
            "totalAmount": amount,
            "currency": currency,
        }
    )


ORDERS = [
    order("paid", "Shots Europe", "100.10", "EUR"),
    order("created", "Yiqing", 255.00, "USD"),
    order("paid", "Shots Europe", 200.05, "EUR"),
    order("created", "Shots Europe", "10.00", "EUR"),
    order("paid", "Istanbul Wellness", "1000.00", "TRY"),
    order("accepted", "Shots Europe", "999.99", "EUR"),
    order("cancelled", "Shots Europe", "888.88", "EUR"),
    order("delivered", "Yiqing", None, "USD"),
]


def test_totals_per_status_and_supplier_in_workflow_order() -> None:
    totals = totals_by_status_and_supplier(ORDERS, rate)

    assert [(t.status, t.supplier) for t in totals] == [
        ("created", "Shots Europe"),
        ("created", "Yiqing"),
        ("paid", "Istanbul Wellness"),
        ("paid", "Shots Europe"),
        ("delivered", "Yiqing"),
        ("accepted", "Shots Europe"),
        ("cancelled", "Shots Europe"),
    ]
    paid_shots = totals[3]
    # 100.10 + 200.05 = 300.15 EUR; x 35.5 = 10,655.325 TRY, kept exact.
    assert paid_shots == StatusSupplierTotal(
        status="paid",
        supplier="Shots Europe",
        currency="EUR",
        orders=2,
        amount=Decimal("300.15"),
        amount_try=Decimal("10655.325"),
    )
    assert totals[2].amount_try == Decimal("1000.00")


def test_missing_rates_and_amounts_are_reported_not_dropped() -> None:
    totals = {(t.status, t.supplier): t for t in totals_by_status_and_supplier(ORDERS, rate)}

    usd = totals[("created", "Yiqing")]
    assert (usd.amount, usd.amount_try) == (Decimal("255.00"), None)
    unpriced = totals[("delivered", "Yiqing")]
    assert (unpriced.orders, unpriced.unpriced, unpriced.amount) == (1, 1, Decimal(0))

    notes = dict(
        zip(
            totals_frame(totals.values())["Supplier"],
            totals_frame(totals.values())["Note"],
            strict=True,
        )
    )
    assert "no TRY rate for USD" in notes["Yiqing"]


def test_open_commitments_leave_out_accepted_and_cancelled() -> None:
    commitments = open_commitments(ORDERS, rate)

    # EUR 100.10 + 200.05 + 10.00 = 310.15 x 35.5 = 11,010.325; plus 1,000.00 TRY.
    assert commitments.amount_try == Decimal("12010.325")
    assert commitments.orders == 6
    assert commitments.unconverted == {"USD": Decimal("255.00")}
    assert commitments.unpriced == 1


def test_an_order_without_a_currency_cannot_be_converted() -> None:
    commitments = open_commitments([order("paid", "X", "5.00", None)], rate)

    assert commitments.amount_try == 0
    assert commitments.unconverted == {"?": Decimal("5.00")}


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        # The figures the issue found shown a kuruş low: exact x.xx5 stored as x.xx4999… floats.
        ("59.40", "EUR", "₺2,071.58"),  # x 34.875 = 2,071.575
        ("10.04", "EUR", "₺350.15"),  # x 34.875 = 350.145
        ("745.43", "HALF", "₺372.72"),  # x 0.5 = 372.715
        ("1035.81", "HALF", "₺517.91"),  # x 0.5 = 517.905
    ],
)
def test_the_totals_grid_shows_the_exact_try_amount_rounded_half_up(
    amount: str, currency: str, shown: str
) -> None:
    rates = {"EUR": Decimal("34.875"), "HALF": Decimal("0.5")}
    totals = totals_by_status_and_supplier([order("paid", "X", amount, currency)], rates.get)

    grid = totals_frame(totals)

    # The grid formats its float with two decimals, as "₺%,.2f" does in the browser.
    assert f"₺{grid['Amount in TRY'].iat[0]:,.2f}" == shown
    assert Decimal(str(grid["Amount in TRY"].iat[0])) == Decimal(shown[1:].replace(",", ""))


def test_the_totals_grid_sorts_its_money_columns_as_numbers() -> None:
    grid = totals_frame(totals_by_status_and_supplier(ORDERS, rate))

    # Numbers, not text: "1,000.00" would sort above "355.00" and "10,655.33" as text.
    assert grid["Amount in TRY"].dtype == "float64" and grid["Amount"].dtype == "float64"
    assert grid.sort_values("Amount in TRY", ascending=False)[
        "Amount in TRY"
    ].dropna().tolist() == [
        35499.65,  # 999.99 x 35.5 = 35,499.645
        31555.24,
        10655.33,  # 300.15 x 35.5 = 10,655.325
        1000.00,
        355.00,
    ]
