"""Channel orders as daily sales: statuses, the shop's day, settling, links, on literal orders."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd

from lib.sales.channel_orders import channel_sales, linked_sales, settled_before
from lib.stock2shop.models import ChannelOrder

ISTANBUL = ZoneInfo("Europe/Istanbul")
COUNTED = ["paid", "Shipped "]


def order(order_id: int, status: str, created: str | None, *lines: tuple[str, int]) -> ChannelOrder:
    return ChannelOrder.model_validate(
        {
            "id": order_id,
            "channel_id": 191,
            "status": status,
            "created": created,
            "line_items": [
                {"id": f"{order_id}-{n}", "sku": sku, "qty": qty}
                for n, (sku, qty) in enumerate(lines)
            ],
        }
    )


def sales(*orders: ChannelOrder, first_unsettled: date = date(2026, 3, 10)):
    return channel_sales(
        orders, counted_statuses=COUNTED, shop_timezone=ISTANBUL, first_unsettled=first_unsettled
    )


def test_counted_orders_sum_per_sku_and_shop_day_in_the_shops_time_zone() -> None:
    result = sales(
        order(1, "paid", "2026-03-08 10:00:00", ("A-1", 2), ("B-2", 1)),
        order(2, "SHIPPED", "2026-03-08T21:30:00+00:00", ("A-1", 3)),  # 00:30 on the 9th there
        order(3, "paid", "2026-03-08 20:59:59", ("A-1", 4)),  # 23:59:59 on the 8th there
    )
    assert result.days.to_dict("records") == [
        {"sku": "A-1", "date": date(2026, 3, 8), "quantity": 6, "orders": 2},
        {"sku": "A-1", "date": date(2026, 3, 9), "quantity": 3, "orders": 1},
        {"sku": "B-2", "date": date(2026, 3, 8), "quantity": 1, "orders": 1},
    ]


def test_other_statuses_are_left_out_and_counted_by_name() -> None:
    result = sales(
        order(1, "paid", "2026-03-08 10:00:00", ("A-1", 2)),
        order(2, "cancelled", "2026-03-08 10:00:00", ("A-1", 5)),
        order(3, "on_hold", "2026-03-08 11:00:00", ("A-1", 1)),
        order(4, "cancelled", "2026-03-08 12:00:00", ("B-2", 1)),
        order(5, "paid", None, ("A-1", 9)),
    )
    assert result.days["quantity"].tolist() == [2]
    assert result.not_counted == {"cancelled": 2, "on_hold": 1, "(no date)": 1}


def test_days_inside_the_settling_delay_are_held_back() -> None:
    today = date(2026, 3, 10)
    result = sales(
        order(1, "paid", "2026-03-07 10:00:00", ("A-1", 1)),
        order(2, "paid", "2026-03-08 10:00:00", ("A-1", 2)),
        order(3, "paid", "2026-03-09 10:00:00", ("A-1", 3)),
        first_unsettled=settled_before(today, 2),
    )
    assert settled_before(today, 2) == date(2026, 3, 8)
    assert result.days["date"].tolist() == [date(2026, 3, 7)]
    assert result.held_back["date"].tolist() == [date(2026, 3, 8), date(2026, 3, 9)]


def test_an_order_found_twice_counts_once_and_a_line_without_sku_is_reported() -> None:
    again = order(1, "paid", "2026-03-08 10:00:00", ("A-1", 2), ("", 7))
    result = sales(again, again)
    assert result.days["quantity"].tolist() == [2]
    assert result.lines_without_sku == 1


def test_links_turn_skus_into_products_and_unlinked_skus_are_bad_rows() -> None:
    days = sales(
        order(1, "paid", "2026-03-08 10:00:00", ("A-1", 2), ("A-2", 1), ("Z-9", 4)),
        order(2, "paid", "2026-03-09 10:00:00", ("Z-9", 1)),
    ).days
    # Two SKUs of the shop may be one PleasureStock product.
    result = linked_sales(days, {"A-1": "ps_1", "A-2": "ps_1"})
    assert result.totals[["ps_id", "quantity"]].to_dict("records") == [
        {"ps_id": "ps_1", "quantity": 3}
    ]
    assert result.totals["date"].tolist() == [pd.Timestamp("2026-03-08")]
    assert result.totals["stock"].isna().all()  # the orders say nothing about stock
    assert result.unlinked.to_dict("records") == [
        {
            "sku": "Z-9",
            "quantity": 5,
            "days": 2,
            "first": date(2026, 3, 8),
            "last": date(2026, 3, 9),
        }
    ]


def test_no_orders_give_empty_frames_of_the_same_shape() -> None:
    result = sales()
    linked = linked_sales(result.days, {})
    assert list(result.days.columns) == ["sku", "date", "quantity", "orders"]
    assert linked.totals.empty and list(linked.totals.columns) == [
        "ps_id",
        "date",
        "quantity",
        "stock",
    ]
    assert linked.unlinked.empty
