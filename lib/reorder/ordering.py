"""Turning the proposal into purchase orders without ever placing one twice.

The ``externalOrderId`` is made and stored (audit log) before anything is sent; when
the outcome of the POST is unknown, the order list is searched for that id before a
retry is offered, and a retry searches again before it sends.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from lib.pleasurestock import OutcomeUnknownError, PleasureStockClient
from lib.pleasurestock.models import Order, OrderLine

PlacementStatus = Literal["created", "found", "unknown"]


def new_external_order_id() -> str:
    """A fresh id for one "Create orders" action (``SD-`` and 20 hex digits)."""
    return "SD-" + uuid.uuid4().hex[:20]


def order_lines(frame: pd.DataFrame) -> list[OrderLine]:
    """One order line per row with a positive quantity."""
    chosen = frame[frame["quantity"] > 0]
    return [
        OrderLine(ps_id=str(ps_id), quantity=int(quantity))
        for ps_id, quantity in zip(chosen["ps_id"], chosen["quantity"], strict=True)
    ]


@dataclass(frozen=True)
class Placement:
    """What became of one create request: created now, found already placed, or unknown."""

    status: PlacementStatus
    external_order_id: str
    orders: list[Order] = field(default_factory=list)
    message: str = ""


def place_orders(
    client: PleasureStockClient,
    lines: list[OrderLine],
    external_order_id: str,
    *,
    check_first: bool = False,
) -> Placement:
    """Send the lines under ``external_order_id``; ``check_first`` (a retry) looks the id
    up first and sends nothing when orders carrying it already exist."""
    if check_first:
        found = client.find_orders_by_external_id(external_order_id)
        if found:
            return Placement("found", external_order_id, found)
    try:
        created = client.create_orders(lines, external_order_id=external_order_id)
    except OutcomeUnknownError as error:
        found = client.find_orders_by_external_id(external_order_id)
        if found:
            return Placement("found", external_order_id, found)
        return Placement("unknown", external_order_id, message=str(error))
    return Placement("created", external_order_id, created.orders)
