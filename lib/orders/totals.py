"""Order money: totals per status and supplier, in the order currency and in TRY, and the
open commitments (what is ordered but not yet accepted or cancelled), all in exact Decimal.

TRY values use a rate lookup (``RateBoard.rate`` from ``lib.currency``): TRY per unit
of a currency, or None when no rate is stored. Amounts without a rate, and orders
without an amount, are counted and reported, never left out silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from lib.money import grid_money
from lib.orders.workflow import FINAL_STATUSES, STATUS_LABELS, status_label, supplier_label
from lib.pleasurestock.models import Order

RateLookup = Callable[[str], Decimal | None]

UNKNOWN_CURRENCY = "?"
_STATUS_ORDER = {status: index for index, status in enumerate(STATUS_LABELS)}


@dataclass(frozen=True)
class StatusSupplierTotal:
    """The orders of one status, supplier and currency.

    ``amount_try`` is None when the currency has no rate; ``unpriced`` orders came
    without an amount and are counted in ``orders`` but not in the sums.
    """

    status: str
    supplier: str
    currency: str
    orders: int
    amount: Decimal
    amount_try: Decimal | None
    unpriced: int = 0


@dataclass(frozen=True)
class Commitments:
    """TRY value of the open orders, plus what could not be converted."""

    amount_try: Decimal
    orders: int
    unconverted: dict[str, Decimal] = field(default_factory=dict)
    unpriced: int = 0


def _currency(order: Order) -> str:
    return (order.currency or UNKNOWN_CURRENCY).upper()


def to_try(amount: Decimal, currency: str, rate: RateLookup) -> Decimal | None:
    """``amount`` of ``currency`` in TRY, exact; None without a rate."""
    if currency == UNKNOWN_CURRENCY:
        return None
    per_unit = rate(currency)
    return None if per_unit is None else amount * per_unit


def totals_by_status_and_supplier(
    orders: Iterable[Order], rate: RateLookup
) -> list[StatusSupplierTotal]:
    """One total per (status, supplier, currency), in workflow order, then by supplier."""
    groups: dict[tuple[str, str, str], list[Order]] = {}
    for order in orders:
        groups.setdefault((order.status, supplier_label(order), _currency(order)), []).append(order)
    totals = []
    for (status, supplier, currency), members in groups.items():
        priced = [o.total_amount for o in members if o.total_amount is not None]
        amount = sum(priced, Decimal(0))
        totals.append(
            StatusSupplierTotal(
                status=status,
                supplier=supplier,
                currency=currency,
                orders=len(members),
                amount=amount,
                amount_try=to_try(amount, currency, rate),
                unpriced=len(members) - len(priced),
            )
        )
    return sorted(
        totals,
        key=lambda t: (_STATUS_ORDER.get(t.status, len(_STATUS_ORDER)), t.status, t.supplier),
    )


def open_commitments(orders: Iterable[Order], rate: RateLookup) -> Commitments:
    """TRY value of the orders not yet accepted or cancelled."""
    amount_try = Decimal(0)
    count = unpriced = 0
    unconverted: dict[str, Decimal] = {}
    for order in orders:
        if order.status in FINAL_STATUSES:
            continue
        count += 1
        if order.total_amount is None:
            unpriced += 1
            continue
        currency = _currency(order)
        converted = to_try(order.total_amount, currency, rate)
        if converted is None:
            unconverted[currency] = unconverted.get(currency, Decimal(0)) + order.total_amount
        else:
            amount_try += converted
    return Commitments(amount_try, count, unconverted, unpriced)


def totals_frame(totals: Iterable[StatusSupplierTotal]) -> pd.DataFrame:
    """The totals as a display table; amounts rounded once to the cent (``grid_money``)."""
    return pd.DataFrame(
        [
            {
                "Status": status_label(t.status),
                "Supplier": t.supplier,
                "Orders": t.orders,
                "Amount": grid_money(t.amount),
                "Currency": t.currency,
                "Amount in TRY": grid_money(t.amount_try),
                "Note": _note(t),
            }
            for t in totals
        ],
        columns=["Status", "Supplier", "Orders", "Amount", "Currency", "Amount in TRY", "Note"],
    )


def _note(total: StatusSupplierTotal) -> str:
    notes = []
    if total.amount_try is None:
        notes.append(f"no TRY rate for {total.currency}")
    if total.unpriced:
        notes.append(f"{total.unpriced} order(s) without an amount")
    return "; ".join(notes)
