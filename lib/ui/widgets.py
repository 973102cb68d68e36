"""Shared widgets: error display, money formatting, catalog sync with a progress bar."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from lib.catalog import sync_catalog
from lib.pleasurestock import PleasureStockClient, PleasureStockError

CURRENCY_SYMBOLS = {"TRY": "₺", "EUR": "€", "USD": "$", "GBP": "£"}


def format_money(amount: Decimal | None, currency: str | None) -> str:
    """``€1,234.50`` style: two decimals (half up), the currency's symbol or code."""
    if amount is None:
        return "—"
    rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    code = (currency or "").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{rounded:,.2f}" if symbol else f"{rounded:,.2f} {code}".strip()


def show_error(error: PleasureStockError, *, doing: str) -> None:
    """Show a client error as a user message: what failed and what to do."""
    st.error(f"**Could not {doing}.** {error}", icon=":material/error:")


def format_age(age: timedelta) -> str:
    """``45 s``, ``12 min``, ``5 h`` or ``3 days``: the largest unit that fits."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def planned_page(title: str, *, will_show: str) -> None:
    """Body of a page that a later issue fills: its title and what it will hold."""
    st.title(title)
    st.info(
        f"This page is not built yet. It will show {will_show}.", icon=":material/construction:"
    )


def sync_catalog_with_progress(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    *,
    actor: str,
    text: str = "Fetching the catalog…",
) -> int | None:
    """Sync the catalog under a progress bar; shows the error and returns None on failure."""
    bar = st.progress(0.0, text=text)
    try:
        count = sync_catalog(
            client,
            session_factory,
            actor=actor,
            on_progress=lambda done, total: bar.progress(
                done / total, text=f"Fetched page {done} of {total}"
            ),
        )
    except PleasureStockError as error:
        show_error(error, doing="sync the catalog (the previous snapshot is kept)")
        return None
    bar.progress(1.0, text=f"Stored {count:,} products")
    return count
