"""Reorder page data: cached recommendations, the quantities open orders bring, and the
linked sources' stock and offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from lib.orders.workflow import NEVER_OVERDUE
from lib.pleasurestock import PleasureStockClient, PleasureStockError
from lib.pleasurestock.models import Order, RecommendationList
from lib.reorder.proposal import quantities_on_order
from lib.reorder.supplier_offers import SupplierOffer, stored_offers
from lib.sources.own_stock import OwnStock, own_stock_of_day
from lib.sources.records import PRICE2B
from lib.ui.loaders import detail_version, order_detail, order_listing
from lib.ui.resources import AppContext


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


@dataclass(frozen=True)
class LinkedSources:
    """What the linked sources add to Reorder: our own stock per product (Price2B's
    snapshot of the day) and the PSRESTful offers of mapped suppliers."""

    own_stock: dict[str, OwnStock]
    offers: dict[str, SupplierOffer]
    supplier_map: dict[str, str]


def linked_sources(context: AppContext, day: date, *, today: date) -> LinkedSources:
    """The stored own stock of ``day`` and the stored supplier offers (no request).

    Stock snapshots are kept per shop day (``STOCK2SHOP_TIME_ZONE``): for ``today`` (UTC)
    that is the shop's day now, which is ahead of UTC's late in a UTC day east of it."""
    if day == today:
        day = datetime.now(ZoneInfo(context.settings.stock2shop_time_zone)).date()
    return LinkedSources(
        own_stock_of_day(context.session_factory, PRICE2B, day),
        stored_offers(context.session_factory),
        context.settings.psrestful_supplier_codes_by_id,
    )
