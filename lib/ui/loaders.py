"""Cached API reads for the pages; the client argument starts with ``_`` so it is not hashed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from lib.currency import RateBoard, todays_rates
from lib.orders.workflow import needs_delivery_date, orders_by_status, with_delivery_dates
from lib.pleasurestock import PleasureStockClient, PleasureStockError
from lib.pleasurestock.connection import ConnectionCheck, check_connection
from lib.pleasurestock.models import Order
from lib.ui.resources import AppContext


@st.cache_data(ttl=30, max_entries=4, show_spinner="Checking the connection…")
def connection_check(_client: PleasureStockClient, base_url: str) -> ConnectionCheck:
    """Reachability and latency, re-measured at most every 30 s."""
    return check_connection(_client)


def order_counts(client: PleasureStockClient) -> dict[str, int]:
    """Orders per status, from the cached order list the Orders page uses too."""
    return orders_by_status(order_listing(client, client.base_url).orders)


@st.cache_data(ttl=300, max_entries=4, show_spinner="Loading TRY rates…")
def _rate_board(
    _client: PleasureStockClient,
    _session_factory: sessionmaker[Session],
    base_url: str,
    database_url: str,
    day: date,
) -> RateBoard:
    return todays_rates(_client, _session_factory, today=day)


def current_rates(context: AppContext) -> RateBoard:
    """Today's TRY rates (stored in the database); a failed rate service is asked again
    after five minutes, not on every rerun."""
    return _rate_board(
        context.client,
        context.session_factory,
        context.client.base_url,
        context.settings.stockdesk_database_url,
        datetime.now(UTC).date(),
    )


def clear_api_caches() -> None:
    """Forget cached API reads so the next render asks PleasureStock again."""
    connection_check.clear()
    _rate_board.clear()
    order_listing.clear()


@dataclass(frozen=True)
class OrderListing:
    """Every order of the order list and when it was fetched."""

    orders: list[Order]
    loaded_at: datetime


@st.cache_data(ttl=120, max_entries=4, show_spinner="Loading orders…")
def order_listing(_client: PleasureStockClient, base_url: str) -> OrderListing:
    """All pages of the order list, cached for two minutes."""
    return OrderListing(orders=_client.fetch_all_orders(), loaded_at=datetime.now(UTC))


@st.cache_data(ttl=900, max_entries=2000, show_spinner=False)
def order_detail(
    _client: PleasureStockClient, base_url: str, order_number: str, version: str
) -> Order:
    """One order with items and dates; ``version`` changes with its status, so it is re-read."""
    return _client.get_order(order_number)


def detail_version(order: Order) -> str:
    """The part of a listed order that, when it changes, makes a cached detail stale."""
    return f"{order.status}|{order.status_changed_at}"


@dataclass(frozen=True)
class DatedOrders:
    """Orders with the delivery dates their details give, and why some are missing."""

    orders: list[Order]
    missing: int = 0
    error: PleasureStockError | None = None


def dated_orders(client: PleasureStockClient, orders: list[Order]) -> DatedOrders:
    """The orders with their estimated delivery dates (one cached detail per order that
    could be late); stops at the first failure, reporting how many dates are missing."""
    wanted = [order for order in orders if needs_delivery_date(order)]
    details: dict[str, Order] = {}
    with st.spinner(f"Reading the delivery dates of {len(wanted)} open orders…"):
        for index, order in enumerate(wanted):
            try:
                details[order.order_number] = order_detail(
                    client, client.base_url, order.order_number, detail_version(order)
                )
            except PleasureStockError as error:
                # The next requests would most likely fail the same way, each after retries.
                merged = with_delivery_dates(orders, details)
                return DatedOrders(merged, missing=len(wanted) - index, error=error)
    return DatedOrders(with_delivery_dates(orders, details))


def clear_order_caches() -> None:
    """Forget the cached order list (and so the counts), e.g. after a status change."""
    order_listing.clear()
