"""Order workflow, badges, duplicate folding, overdue flags, filters and the list table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from lib.orders.workflow import (
    OVERDUE_BADGE,
    Badge,
    OrderFilter,
    allowed_transitions,
    delivery_suffix,
    filter_orders,
    fold_duplicates,
    is_overdue,
    items_frame,
    needs_delivery_date,
    order_table,
    status_badge,
    status_label,
    with_delivery_dates,
)
from lib.pleasurestock.models import Order, StatusDisplay

TODAY = date(2025, 11, 20)


def order(number: str, status: str = "created", **fields: Any) -> Order:
    """An order as the list sends it; the defaults make orders that are duplicates."""
    payload: dict[str, Any] = {
        "orderNumber": number,
        "status": status,
        "supplierName": "Yiqing",
        "totalAmount": "5669.57",
        "currency": "USD",
        "itemsCount": 15,
        "createdAt": "2025-11-03T10:00:00Z",
    }
    payload.update(fields)
    return Order.model_validate(payload)


def numbers(orders: list[Order]) -> list[str]:
    return [o.order_number for o in orders]


# -- workflow -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("created", ("part_paid", "paid", "cancelled")),
        ("part_paid", ("paid", "cancelled")),
        ("paid", ("on_the_way", "cancelled")),
        ("on_the_way", ("delivered", "cancelled")),
        ("delivered", ("accepted", "cancelled")),
        ("accepted", ()),
        ("cancelled", ()),
        ("on_hold", ()),
    ],
)
def test_only_the_documented_transitions_are_allowed(status: str, allowed: tuple[str, ...]) -> None:
    assert allowed_transitions(status) == allowed


def test_no_backward_moves() -> None:
    assert "created" not in allowed_transitions("paid")
    assert "paid" not in allowed_transitions("on_the_way")
    assert "part_paid" not in allowed_transitions("paid")


# -- badges -------------------------------------------------------------------------------


def test_badge_uses_the_api_label_and_maps_its_tailwind_colour() -> None:
    display = StatusDisplay(label="Geliyor", color="indigo", cssClass="bg-indigo-100")
    assert status_badge("on_the_way", display) == Badge("Geliyor", "violet")
    assert status_badge("accepted", StatusDisplay(label="Accepted", color="emerald")).color == (
        "green"
    )


def test_badge_falls_back_to_our_label_and_colour() -> None:
    assert status_badge("part_paid", None) == Badge("Partially paid", "yellow")
    # A colour Streamlit cannot show, or a blank label, is replaced field by field.
    assert status_badge("paid", StatusDisplay(label="", color="chartreuse")) == Badge(
        "Paid", "green"
    )
    assert status_badge("on_hold", None) == Badge("On hold", "gray")
    assert status_label("on_hold") == "On hold"


# -- folding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delivery_id", "suffix"),
    [("PS-2025-1103/2", 2), ("PS-2025-1103/10", 10), ("PS-2025-1103", 0), (None, 0)],
)
def test_delivery_suffix(delivery_id: str | None, suffix: int) -> None:
    assert delivery_suffix(delivery_id) == suffix


def test_cancelled_duplicate_is_folded_under_the_active_order() -> None:
    active = order("A", deliveryId="PS-2025-1103/2")
    cancelled = order("B", "cancelled", deliveryId="PS-2025-1103/1")
    other = order("C", supplierName="Svakom Direct")

    groups = fold_duplicates([cancelled, active, other])

    assert [(g.head.order_number, numbers(list(g.folded))) for g in groups] == [
        ("A", ["B"]),
        ("C", []),
    ]


def test_folded_duplicates_are_newest_suffix_first_by_number_not_text() -> None:
    active = order("A", deliveryId="PS-2025-1103/11")
    older = [order(f"X{n}", "cancelled", deliveryId=f"PS-2025-1103/{n}") for n in (1, 10, 2)]

    (group,) = fold_duplicates([*older, active])

    assert numbers(list(group.folded)) == ["X10", "X2", "X1"]


def test_the_newest_active_duplicate_is_the_head() -> None:
    first = order("A1", "paid", deliveryId="PS-2025-1103/1")
    second = order("A2", deliveryId="PS-2025-1103/3")
    cancelled = order("B", "cancelled", deliveryId="PS-2025-1103/2")

    groups = fold_duplicates([first, second, cancelled])

    assert [(g.head.order_number, numbers(list(g.folded))) for g in groups] == [
        ("A1", []),
        ("A2", ["B"]),
    ]


@pytest.mark.parametrize(
    "difference",
    [
        {"supplierName": "Svakom Direct"},
        {"totalAmount": "5669.58"},
        {"itemsCount": 14},
        {"currency": "EUR"},
        {"totalAmount": None},
    ],
)
def test_orders_that_differ_are_not_folded(difference: dict[str, Any]) -> None:
    active = order("A")
    cancelled = order("B", "cancelled", **difference)

    assert len(fold_duplicates([active, cancelled])) == 2


def test_amounts_compare_as_decimals() -> None:
    active = order("A", totalAmount=5669.57)
    cancelled = order("B", "cancelled", totalAmount="5669.570")

    assert len(fold_duplicates([active, cancelled])) == 1


def test_cancelled_orders_without_an_active_twin_stay_visible() -> None:
    cancelled = [order("B1", "cancelled"), order("B2", "cancelled")]

    assert [g.head.order_number for g in fold_duplicates(cancelled)] == ["B1", "B2"]


# -- overdue ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "eta", "overdue"),
    [
        ("on_the_way", "2025-11-19", True),
        ("created", "2025-11-01", True),
        ("paid", "2025-11-20", False),  # due today is not late yet
        ("paid", "2025-11-21", False),
        ("delivered", "2025-11-01", False),
        ("accepted", "2025-11-01", False),
        ("cancelled", "2025-11-01", False),
        ("on_the_way", None, False),
    ],
)
def test_overdue(status: str, eta: str | None, overdue: bool) -> None:
    assert is_overdue(order("A", status, estimatedDeliveryDate=eta), TODAY) is overdue


def test_only_orders_that_could_be_late_need_their_detail() -> None:
    assert needs_delivery_date(order("A", "on_the_way"))
    assert not needs_delivery_date(order("A", "delivered"))
    assert not needs_delivery_date(order("A", "paid", estimatedDeliveryDate="2025-11-01"))


def test_delivery_dates_come_from_the_details() -> None:
    listed = [order("A", "paid"), order("B", "paid")]
    detail = order("A", "paid", estimatedDeliveryDate="2024-03-25T00:00:00Z")

    merged = with_delivery_dates(listed, {"A": detail})

    assert [o.estimated_delivery_date for o in merged] == [date(2024, 3, 25), None]
    assert merged[0].total_amount == Decimal("5669.57")


# -- filters ------------------------------------------------------------------------------

ORDERS = [
    order("ORD-1", "created", deliveryId="PS-2025-0001", createdAt="01/11/25"),
    order(
        "ORD-2",
        "paid",
        deliveryId="PS-2025-0002",
        externalOrderId="ERP-77",
        supplierName="Svakom Direct",
        createdAt="2025-11-05T08:00:00Z",
        estimatedDeliveryDate="2025-11-10",
    ),
    order("ORD-3", "cancelled", deliveryId="PS-2025-0003/1", createdAt="10/11/25"),
    order("ORD-4", "on_the_way", createdAt=None, estimatedDeliveryDate="2025-12-01"),
]


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (OrderFilter(), ["ORD-1", "ORD-2", "ORD-3", "ORD-4"]),
        (OrderFilter(statuses=frozenset({"created", "cancelled"})), ["ORD-1", "ORD-3"]),
        (OrderFilter(suppliers=frozenset({"Svakom Direct"})), ["ORD-2"]),
        (
            OrderFilter(created_from=date(2025, 11, 5), created_to=date(2025, 11, 10)),
            ["ORD-2", "ORD-3", "ORD-4"],
        ),
        (OrderFilter(text="ps-2025-0003"), ["ORD-3"]),
        (OrderFilter(text=" erp-77 "), ["ORD-2"]),
        (OrderFilter(text="ord-4"), ["ORD-4"]),
        (OrderFilter(overdue_only=True), ["ORD-2"]),
        (OrderFilter(statuses=frozenset({"paid"}), text="ORD-1"), []),
    ],
)
def test_filters(criteria: OrderFilter, expected: list[str]) -> None:
    assert numbers(filter_orders(ORDERS, criteria, TODAY)) == expected


# -- table --------------------------------------------------------------------------------


def test_table_folds_by_default_and_lists_duplicates_below_their_head_when_asked() -> None:
    active = order(
        "A", "on_the_way", deliveryId="PS-2025-1103/2", estimatedDeliveryDate="2025-11-01"
    )
    cancelled = order("B", "cancelled", deliveryId="PS-2025-1103/1")
    groups = fold_duplicates([cancelled, active])

    folded = order_table(groups, TODAY, show_folded=False)
    unfolded = order_table(groups, TODAY, show_folded=True)

    assert list(folded.frame["Order"]) == ["A"]
    assert folded.frame["Status"][0] == ["On the way", "Overdue"]
    assert folded.frame["Duplicates"][0] == "1 cancelled folded: PS-2025-1103/1"
    assert list(unfolded.frame["Order"]) == ["A", "B"]
    assert unfolded.frame["Duplicates"][1] == "cancelled duplicate of A"
    assert OVERDUE_BADGE in folded.badges
    assert numbers(unfolded.orders) == ["A", "B"]


def test_items_of_both_documented_shapes_become_one_table() -> None:
    detail = order(
        "A",
        items=[
            {
                "isCustom": False,
                "productId": "b421eb2c-e1ee-4537-9c19-056d63a337c4",
                "psId": "ps_uypjz2vraa",
                "product": {"name": "Premium Silicone Vibrator", "sku": "VIB-001"},
                "quantity": 5,
                "unitPrice": "29.99",
                "totalPrice": "149.95",
                "currency": "USD",
            },
            {
                "productId": 567,
                "psId": "ps_abc123",
                "name": "Massage Oil",
                "sku": "OIL-2",
                "quantity": 10,
                "unitPrice": 25.5,
                "totalPrice": 255.0,
            },
        ],
    )

    frame = items_frame(detail)

    assert list(frame["Product"]) == ["Premium Silicone Vibrator", "Massage Oil"]
    assert list(frame["SKU"]) == ["VIB-001", "OIL-2"]
    assert list(frame["Total"]) == [149.95, 255.0]
    assert list(frame["Currency"]) == ["USD", "USD"]
