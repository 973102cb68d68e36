"""Reorder page data: cached recommendations and the quantities open orders bring."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from lib.orders.workflow import NEVER_OVERDUE
from lib.pleasurestock import PleasureStockClient, PleasureStockError
from lib.pleasurestock.models import Order, RecommendationList
from lib.reorder.proposal import quantities_on_order
from lib.ui.loaders import detail_version, order_detail, order_listing


@st.cache_data(ttl=600, max_entries=8, show_spinner="Loading Smart Reordering recommendations…")
def recommendations(_client: PleasureStockClient, base_url: str, day: date) -> RecommendationList:
    """The recommendations for ``day``, cached for ten minutes."""
    return _client.get_recommendations(day)


@dataclass(frozen=True)
class OnOrder:
    """Units per ps id in our open orders, and how many open orders could not be read."""

    quantities: dict[str, int]
    open_orders: int
    missing: int = 0
    error: PleasureStockError | None = None


def on_order(client: PleasureStockClient) -> OnOrder:
    """Quantities in open orders, from each open order's (cached) details: the order list
    carries only item counts, not which products."""
    listed = order_listing(client, client.base_url).orders
    wanted = [order for order in listed if order.status not in NEVER_OVERDUE]
    details: list[Order] = []
    with st.spinner(f"Reading the items of {len(wanted)} open orders…"):
        for index, order in enumerate(wanted):
            try:
                details.append(
                    order_detail(client, client.base_url, order.order_number, detail_version(order))
                )
            except PleasureStockError as error:
                missing = len(wanted) - index
                return OnOrder(quantities_on_order(details), len(wanted), missing, error)
    return OnOrder(quantities_on_order(details), len(wanted))
