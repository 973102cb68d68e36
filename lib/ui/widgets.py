"""Shared widgets: error display, money formatting and safe text."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import streamlit as st

from lib.catalog import sync_catalog
from lib.pleasurestock import PleasureStockError
from lib.ui.resources import AppContext

CURRENCY_SYMBOLS = {"TRY": "₺", "EUR": "€", "USD": "$", "GBP": "£"}


def format_money(amount: Decimal | None, currency: str | None) -> str:
    """``€1,234.50`` / ``-€4.50`` style: two decimals (half up), the currency's symbol or code."""
    if amount is None:
        return "—"
    rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    code = (currency or "").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    if not symbol:
        return f"{rounded:,.2f} {code}".strip()
    sign = "-" if rounded < 0 else ""
    return f"{sign}{symbol}{abs(rounded):,.2f}"


def show_error(error: PleasureStockError, *, doing: str) -> None:
    """Show a client error as a user message: what failed and what to do."""
    st.error(f"**Could not {doing}.** {markdown_text(str(error))}", icon=":material/error:")


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


def number_format(currency: str | None) -> str:
    """A grid number format with 2 decimals: ``€%.2f`` for a known currency, else ``%.2f``."""
    symbol = CURRENCY_SYMBOLS.get((currency or "").upper(), "")
    return f"{symbol}%.2f"


# Every ASCII punctuation mark may be backslash-escaped in CommonMark; these are the ones
# Streamlit's markdown gives a meaning (emphasis, links, HTML, LaTeX, :emoji: shortcodes…).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def markdown_text(text: str) -> str:
    """``text`` escaped for Streamlit markdown, so names like ``<b>*x*</b>`` show as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def sync_catalog_with_progress(context: AppContext, *, actor: str) -> bool:
    """Sync the catalog under a progress bar (pages fetched / total); True if it worked.

    On failure the bar goes, the reason is shown and the previous snapshot stays.
    """
    bar = st.progress(0.0, text="Fetching the catalog…")
    try:
        count = sync_catalog(
            context.client,
            context.session_factory,
            actor=actor,
            on_progress=lambda done, total: bar.progress(
                done / total, text=f"Fetched page {done} of {total}"
            ),
        )
    except PleasureStockError as error:
        bar.empty()
        show_error(error, doing="sync the catalog (the previous snapshot is kept)")
        return False
    bar.progress(1.0, text=f"Stored {count:,} products")
    return True
