"""Cached API reads for the pages; the client argument starts with ``_`` so it is not hashed."""

from __future__ import annotations

import streamlit as st

from lib.connection import ConnectionCheck, check_connection
from lib.orders import orders_by_status
from lib.pleasurestock import PleasureStockClient


@st.cache_data(ttl=30, max_entries=4, show_spinner="Checking the connection…")
def connection_check(_client: PleasureStockClient, base_url: str) -> ConnectionCheck:
    """Reachability and latency, re-measured at most every 30 s."""
    return check_connection(_client)


@st.cache_data(ttl=120, max_entries=4, show_spinner="Loading orders…")
def order_counts(_client: PleasureStockClient, base_url: str) -> dict[str, int]:
    """Orders per status (all pages of the order list), cached for two minutes."""
    return orders_by_status(_client.fetch_all_orders())


def clear_api_caches() -> None:
    """Forget cached API reads so the next render asks PleasureStock again."""
    connection_check.clear()
    order_counts.clear()
