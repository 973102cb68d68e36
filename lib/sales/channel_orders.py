"""Sales from the shop's channel orders (Stock2Shop): quantities per SKU and shop day, pure.

An order counts as a sale when its status is one the shop names (a setting); its day is
the day of its ``created`` moment in the shop's time zone. Days inside the settling
delay are held back: orders of those days may still be cancelled or refunded. A later
decrease is not this module's business: the ledger sees a lower total for a day already
sent and reports it as a correction for a person, never a negative quantity.

SKUs become PleasureStock ids only through confirmed links; a SKU without one is a bad
row, named with its quantity and days, never guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from lib.stock2shop.models import ChannelOrder

DAY_COLUMNS = ["sku", "date", "quantity", "orders"]


@dataclass(frozen=True)
class ChannelSales:
    """The counted quantities of settled days, those held back, and what was not counted."""

    days: pd.DataFrame  # sku, date, quantity, orders: settled days, one row per sku and day
    held_back: pd.DataFrame  # the same columns, days inside the settling delay
    not_counted: Mapping[str, int]  # status -> orders of that status left out
    lines_without_sku: int  # order lines that name no SKU (reported, not sent)


def settled_before(today: date, settle_days: int) -> date:
    """The first day still inside the settling delay: days before it are final."""
    return today - timedelta(days=settle_days)


def channel_sales(
    orders: Iterable[ChannelOrder],
    *,
    counted_statuses: Collection[str],
    shop_timezone: ZoneInfo,
    first_unsettled: date,
) -> ChannelSales:
    """Sum the lines of the orders whose status counts into one row per SKU and shop day.

    Statuses compare trimmed and case-folded; an order with no ``created`` moment cannot
    be dated and is counted under the status ``(no date)`` instead. Each order counts
    once however often a search returned it.
    """
    counted = {status.strip().casefold() for status in counted_statuses}
    seen: set[str] = set()
    not_counted: Counter[str] = Counter()
    without_sku = 0
    rows: list[tuple[str, date, int, str]] = []
    for order in orders:
        if order.id in seen:
            continue
        seen.add(order.id)
        status = order.status.strip().casefold()
        if status not in counted:
            not_counted[order.status] += 1
            continue
        if order.created is None:
            not_counted["(no date)"] += 1
            continue
        day = order.created.astimezone(shop_timezone).date()
        for line in order.line_items:
            if not line.sku:
                without_sku += 1
                continue
            rows.append((line.sku, day, line.qty, order.id))
    frame = pd.DataFrame(rows, columns=["sku", "date", "quantity", "order"])
    days = (
        frame.groupby(["sku", "date"], sort=True)
        .agg(quantity=("quantity", "sum"), orders=("order", "nunique"))
        .reset_index()
        if not frame.empty
        else pd.DataFrame(columns=DAY_COLUMNS)
    )
    settled = days["date"] < first_unsettled
    return ChannelSales(
        days=days[settled].reset_index(drop=True),
        held_back=days[~settled].reset_index(drop=True),
        not_counted=dict(not_counted),
        lines_without_sku=without_sku,
    )


@dataclass(frozen=True)
class LinkedSales:
    """Channel sales keyed by PleasureStock id, and the SKUs no confirmed link covers."""

    totals: pd.DataFrame  # ps_id, date, quantity, stock (unknown): what the ledger plans
    unlinked: pd.DataFrame  # sku, quantity, days, first, last: one bad row per SKU


def linked_sales(days: pd.DataFrame, links: Mapping[str, str]) -> LinkedSales:
    """``days`` (from ``channel_sales``) through the confirmed links (SKU -> ps id).

    Two SKUs linked to one product add up to one row per product and day. Stock is left
    unknown: the orders say nothing about it, and unknown is never sent as 0.
    """
    ps_ids = days["sku"].map(links)
    linked = days[ps_ids.notna()].assign(ps_id=ps_ids[ps_ids.notna()])
    totals = (
        linked.groupby(["ps_id", "date"], sort=True)["quantity"].sum().reset_index()
        if not linked.empty
        else pd.DataFrame(columns=["ps_id", "date", "quantity"])
    )
    totals["quantity"] = totals["quantity"].astype("int64")
    totals["date"] = pd.to_datetime(totals["date"]).astype("datetime64[s]")  # as the ledger's
    totals["stock"] = pd.array([pd.NA] * len(totals), dtype="Int64")
    missing = days[ps_ids.isna()]
    unlinked = (
        missing.groupby("sku", sort=True)
        .agg(
            quantity=("quantity", "sum"),
            days=("date", "nunique"),
            first=("date", "min"),
            last=("date", "max"),
        )
        .reset_index()
        if not missing.empty
        else pd.DataFrame(columns=["sku", "quantity", "days", "first", "last"])
    )
    return LinkedSales(totals=totals, unlinked=unlinked)
