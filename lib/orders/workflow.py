"""Orders: the status workflow, status badges, duplicate folding, overdue flags and filters.

Everything here is pure. Money totals live in ``lib.orders.totals``; status changes
and the per-order timeline (our changes and PleasureStock's webhooks) in
``lib.orders.history``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

import pandas as pd

from lib.pleasurestock.models import ORDER_STATUSES, Order, StatusDisplay

# The documented workflow; cancelling is allowed from every status that is not final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "created": ("part_paid", "paid", "cancelled"),
    "part_paid": ("paid", "cancelled"),
    "paid": ("on_the_way", "cancelled"),
    "on_the_way": ("delivered", "cancelled"),
    "delivered": ("accepted", "cancelled"),
    "accepted": (),
    "cancelled": (),
}
FINAL_STATUSES = frozenset({"accepted", "cancelled"})
# Moves that record a payment or that end the order's journey are asked about before they
# are sent, with what PleasureStock does on them (cancelling has a form of its own).
MOVE_CONSEQUENCES: dict[str, str] = {
    "part_paid": "PleasureStock records a partial payment and emails the supplier.",
    "paid": "PleasureStock records the full payment and emails the supplier.",
    "delivered": "PleasureStock records that the goods arrived and emails the buyer and the "
    "supplier.",
    "accepted": "Accepted is final: the order's status can never be changed again.",
}
# Goods that arrived, or will never come, cannot be late.
NEVER_OVERDUE = frozenset({"delivered", "accepted", "cancelled"})

BadgeColor = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray"]

STATUS_LABELS: dict[str, str] = {
    "created": "Created",
    "part_paid": "Partially paid",
    "paid": "Paid",
    "on_the_way": "On the way",
    "delivered": "Delivered",
    "accepted": "Accepted",
    "cancelled": "Cancelled",
}
# Our colours when the API sends no statusDisplay (or a colour we cannot show).
FALLBACK_COLORS: dict[str, BadgeColor] = {
    "created": "blue",
    "part_paid": "yellow",
    "paid": "green",
    "on_the_way": "violet",
    "delivered": "orange",
    "accepted": "gray",
    "cancelled": "red",
}
# The API names Tailwind colours; Streamlit badges have seven.
_API_COLORS: dict[str, BadgeColor] = {
    "red": "red",
    "rose": "red",
    "pink": "red",
    "orange": "orange",
    "amber": "orange",
    "yellow": "yellow",
    "lime": "green",
    "green": "green",
    "emerald": "green",
    "teal": "green",
    "sky": "blue",
    "cyan": "blue",
    "blue": "blue",
    "indigo": "violet",
    "violet": "violet",
    "purple": "violet",
    "fuchsia": "violet",
    "gray": "gray",
    "grey": "gray",
    "slate": "gray",
    "zinc": "gray",
    "neutral": "gray",
    "stone": "gray",
}
_DELIVERY_SUFFIX = re.compile(r"/(\d+)\s*$")


@dataclass(frozen=True)
class Badge:
    """A coloured label: ``color`` is one of Streamlit's badge colours."""

    label: str
    color: BadgeColor


OVERDUE_BADGE = Badge("Overdue", "red")


# -- workflow -----------------------------------------------------------------------------


def allowed_transitions(status: str) -> tuple[str, ...]:
    """The statuses an order in ``status`` may move to; none from final or unknown statuses."""
    return TRANSITIONS.get(status, ())


def status_label(status: str) -> str:
    """``part_paid`` -> ``Partially paid``; an unknown status is shown as sent, made readable."""
    return STATUS_LABELS.get(status) or status.replace("_", " ").capitalize()


def status_badge(status: str, display: StatusDisplay | None) -> Badge:
    """The API's ``statusDisplay`` label and colour, our own wherever it gives none."""
    label = (display.label or "").strip() if display else ""
    api_color = (display.color or "").strip().lower() if display else ""
    color = _API_COLORS.get(api_color) or FALLBACK_COLORS.get(status, "gray")
    return Badge(label or status_label(status), color)


def order_badges(order: Order, today: date) -> list[Badge]:
    """The status badge, followed by ``Overdue`` when the order is late."""
    badges = [status_badge(order.status, order.status_display)]
    if is_overdue(order, today):
        badges.append(OVERDUE_BADGE)
    return badges


# -- overdue ------------------------------------------------------------------------------


def is_overdue(order: Order, today: date) -> bool:
    """Past its estimated delivery date and not delivered, accepted or cancelled."""
    eta = order.estimated_delivery_date
    return eta is not None and eta < today and order.status not in NEVER_OVERDUE


def needs_delivery_date(order: Order) -> bool:
    """True when only the order's detail can say whether it is overdue.

    The order list carries no ``estimatedDeliveryDate``; orders that can no longer
    be late need no detail request.
    """
    return order.estimated_delivery_date is None and order.status not in NEVER_OVERDUE


def with_delivery_dates(orders: Iterable[Order], details: Mapping[str, Order]) -> list[Order]:
    """The list's orders with the delivery dates of their details, where fetched."""
    merged = []
    for order in orders:
        detail = details.get(order.order_number)
        if detail is not None:
            order = order.model_copy(
                update={
                    "estimated_delivery_date": detail.estimated_delivery_date,
                    "actual_delivery_date": detail.actual_delivery_date,
                }
            )
        merged.append(order)
    return merged


# -- duplicates ---------------------------------------------------------------------------


def supplier_label(order: Order) -> str:
    """The supplier's name, else its id, else ``Unknown supplier``."""
    return order.supplier_name or order.supplier_id or "Unknown supplier"


def delivery_suffix(delivery_id: str | None) -> int:
    """The copy number after the slash: ``PS-2025-1103/2`` -> 2; 0 when there is none."""
    match = _DELIVERY_SUFFIX.search(delivery_id or "")
    return int(match.group(1)) if match else 0


def _newest_first(order: Order) -> tuple[int, datetime]:
    created = order.created_at or datetime.min.replace(tzinfo=UTC)
    return delivery_suffix(order.delivery_id), created


@dataclass(frozen=True)
class OrderGroup:
    """An order and the cancelled duplicates folded under it, newest suffix first."""

    head: Order
    folded: tuple[Order, ...] = ()


def fold_duplicates(orders: Sequence[Order]) -> list[OrderGroup]:
    """Fold cancelled orders under the active one with the same supplier, amount and items.

    The head of a group is the active duplicate with the highest ``deliveryId``
    suffix. Orders whose amount or item count is unknown are never folded. Heads keep
    the order of ``orders``.
    """

    def key(order: Order) -> tuple[object, ...] | None:
        if order.total_amount is None or order.items_count is None:
            return None
        return (supplier_label(order), order.currency, order.total_amount, order.items_count)

    heads: dict[tuple[object, ...], Order] = {}
    for order in orders:
        k = key(order)
        if k is None or order.status == "cancelled":
            continue
        if k not in heads or _newest_first(order) > _newest_first(heads[k]):
            heads[k] = order
    folded: dict[str, list[Order]] = {}
    for order in orders:
        k = key(order)
        if order.status == "cancelled" and k in heads:
            folded.setdefault(heads[k].order_number, []).append(order)
    hidden = {o.order_number for group in folded.values() for o in group}
    return [
        OrderGroup(
            head=order,
            folded=tuple(
                sorted(folded.get(order.order_number, []), key=_newest_first, reverse=True)
            ),
        )
        for order in orders
        if order.order_number not in hidden
    ]


# -- filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderFilter:
    """What the user narrowed the list to; an empty field does not filter."""

    statuses: frozenset[str] = frozenset()
    suppliers: frozenset[str] = frozenset()
    created_from: date | None = None
    created_to: date | None = None
    text: str = ""
    overdue_only: bool = False


def filter_orders(orders: Iterable[Order], criteria: OrderFilter, today: date) -> list[Order]:
    """The orders matching every given criterion, in their original order.

    The text matches order number, delivery id and external id, ignoring case. An
    order without a creation date is kept by a date range: nothing says it is outside.
    """
    text = criteria.text.strip().casefold()

    def matches(order: Order) -> bool:
        if criteria.statuses and order.status not in criteria.statuses:
            return False
        if criteria.suppliers and supplier_label(order) not in criteria.suppliers:
            return False
        created = order.created_at.date() if order.created_at else None
        if created and criteria.created_from and created < criteria.created_from:
            return False
        if created and criteria.created_to and created > criteria.created_to:
            return False
        if criteria.overdue_only and not is_overdue(order, today):
            return False
        searchable = (order.order_number, order.delivery_id, order.external_order_id)
        return not text or any(text in (value or "").casefold() for value in searchable)

    return [order for order in orders if matches(order)]


# -- the table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderTable:
    """Rows to show (heads, and folded duplicates when asked) and the badges they use."""

    orders: list[Order]
    frame: pd.DataFrame
    badges: list[Badge]


def order_table(groups: Sequence[OrderGroup], today: date, *, show_folded: bool) -> OrderTable:
    """One row per order; folded duplicates follow their head when ``show_folded``.

    ``Amount`` is a float for display only; the exact amounts stay on the orders.
    """
    rows: list[dict[str, object]] = []
    shown: list[Order] = []
    badges: dict[str, Badge] = {}
    for group in groups:
        members = [(group.head, None)]
        if show_folded:
            members += [(dup, group.head.order_number) for dup in group.folded]
        for order, duplicate_of in members:
            row_badges = order_badges(order, today)
            for badge in row_badges:
                badges.setdefault(badge.label, badge)
            shown.append(order)
            rows.append(
                {
                    "Order": order.order_number,
                    "Delivery ID": order.delivery_id,
                    "Status": [badge.label for badge in row_badges],
                    "Supplier": supplier_label(order),
                    "Amount": float(order.total_amount) if order.total_amount is not None else None,
                    "Currency": order.currency,
                    "Items": order.items_count,
                    "Created": order.created_at.date() if order.created_at else None,
                    "Due": order.estimated_delivery_date,
                    "External ID": order.external_order_id,
                    "Duplicates": _duplicates_note(group, duplicate_of, show_folded),
                }
            )
    return OrderTable(orders=shown, frame=pd.DataFrame(rows), badges=list(badges.values()))


def _duplicates_note(group: OrderGroup, duplicate_of: str | None, show_folded: bool) -> str:
    if duplicate_of:
        return f"cancelled duplicate of {duplicate_of}"
    if group.folded:
        numbers = ", ".join(o.delivery_id or o.order_number for o in group.folded)
        return f"{len(group.folded)} cancelled {'below' if show_folded else 'folded'}: {numbers}"
    return ""


def items_frame(order: Order) -> pd.DataFrame:
    """An order's lines (either item shape) as a table; prices are floats for display only."""
    return pd.DataFrame(
        [
            {
                "Product": item.name,
                "SKU": item.sku,
                "PS id": item.ps_id,
                "Custom": item.is_custom,
                "Quantity": item.quantity,
                "Unit price": float(item.unit_price) if item.unit_price is not None else None,
                "Total": float(item.total_price) if item.total_price is not None else None,
                "Currency": item.currency or order.currency,
            }
            for item in order.items
        ],
        columns=[
            "Product",
            "SKU",
            "PS id",
            "Custom",
            "Quantity",
            "Unit price",
            "Total",
            "Currency",
        ],
    )


def orders_by_status(orders: Iterable[Order]) -> dict[str, int]:
    """Order count per status, in workflow order, every status present (0 when none)."""
    counts = Counter(order.status for order in orders)
    ordered = {status: counts.pop(status, 0) for status in ORDER_STATUSES}
    # A status the documents do not know is still counted, after the known ones.
    return ordered | dict(sorted(counts.items()))
