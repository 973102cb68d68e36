"""Cached API reads for the pages; the client argument starts with ``_`` so it is not hashed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from lib.connection import ConnectionCheck, check_connection
from lib.currency import RateBoard, todays_rates
from lib.orders import orders_by_status
from lib.pleasurestock import PleasureStockClient
from lib.ui.resources import AppContext


@st.cache_data(ttl=30, max_entries=4, show_spinner="Checking the connection…")
def connection_check(_client: PleasureStockClient, base_url: str) -> ConnectionCheck:
    """Reachability and latency, re-measured at most every 30 s."""
    return check_connection(_client)


@st.cache_data(ttl=120, max_entries=4, show_spinner="Loading orders…")
def order_counts(_client: PleasureStockClient, base_url: str) -> dict[str, int]:
    """Orders per status (all pages of the order list), cached for two minutes."""
    return orders_by_status(_client.fetch_all_orders())


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
    order_counts.clear()
    _rate_board.clear()
