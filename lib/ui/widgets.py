"""Shared widgets: error display, money formatting, badges and the "Your name" box."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import streamlit as st

from lib.orders import Badge
from lib.pleasurestock import PleasureStockError

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


# Pill colours for badges inside tables, close to Streamlit's own badge palette.
BADGE_HEX: dict[str, str] = {
    "red": "#ff4b4b",
    "orange": "#ffa421",
    "yellow": "#ffe312",
    "blue": "#1c83e1",
    "green": "#21c354",
    "violet": "#803df5",
    "gray": "#a3a8b8",
}


def show_badges(badges: Iterable[Badge]) -> None:
    """The badges side by side, e.g. an order's status followed by ``Overdue``."""
    with st.container(horizontal=True, gap="small"):
        for badge in badges:
            st.badge(badge.label, color=badge.color)


def badge_column(label: str, badges: Iterable[Badge]) -> Any:
    """A table column of coloured pills; each cell is a list of badge labels."""
    palette = list(badges)
    return st.column_config.MultiselectColumn(
        label,
        options=[badge.label for badge in palette],
        color=[BADGE_HEX[badge.color] for badge in palette],
    )


_ACTOR_KEY = "actor_name"
_ACTOR_WIDGET_KEY = "actor_name_input"


def actor_name_input(default: str = "purchasing") -> str:
    """The "Your name" box in the sidebar, remembered for the session: who made a change.

    There is no sign-in yet, so this is what the audit log records as the actor.
    """
    # A widget's own state is dropped on pages that do not draw it; the copy survives.
    if _ACTOR_WIDGET_KEY not in st.session_state:
        st.session_state[_ACTOR_WIDGET_KEY] = st.session_state.get(_ACTOR_KEY, default)
    typed = st.sidebar.text_input(
        "Your name",
        key=_ACTOR_WIDGET_KEY,
        help="Recorded in the audit log with every change you make here.",
    )
    st.session_state[_ACTOR_KEY] = typed.strip() or default
    return st.session_state[_ACTOR_KEY]


def format_moment(moment: datetime | None) -> str:
    """``2025-11-03 14:05 UTC``; only the date when the source gave no time of day."""
    if moment is None:
        return "—"
    utc = moment.astimezone(UTC)
    if utc.time() == time(0, 0):
        return f"{utc:%Y-%m-%d}"
    return f"{utc:%Y-%m-%d %H:%M} UTC"
