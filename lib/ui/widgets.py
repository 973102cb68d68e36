"""Shared widgets: error display, money formatting, safe text, badges and ask-first dialogs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

import streamlit as st

from lib.money import round_money
from lib.orders.workflow import Badge
from lib.pleasurestock import PleasureStockError

CURRENCY_SYMBOLS = {"TRY": "₺", "EUR": "€", "USD": "$", "GBP": "£"}


def format_money(amount: Decimal | None, currency: str | None) -> str:
    """``€1,234.50`` / ``-€4.50`` style: two decimals (half up), the currency's symbol or code."""
    if amount is None:
        return "—"
    rounded = round_money(amount)
    code = (currency or "").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    if not symbol:
        return f"{rounded:,.2f} {code}".strip()
    sign = "-" if rounded < 0 else ""
    return f"{sign}{symbol}{abs(rounded):,.2f}"


def show_error(error: PleasureStockError | str, *, failed: str, then: str = "") -> None:
    """Show a client error as three things a user can act on, each a whole sentence.

    ``failed`` says what did not happen ("The orders could not be loaded."), the error
    says why and what to do about it, and ``then`` (optional) says what the page does
    meanwhile ("The previous snapshot is kept."). Both are shown as plain text.
    """
    for sentence in (failed, then):
        if sentence and not (sentence[0].isupper() and sentence.endswith((".", "!", "?"))):
            raise ValueError(f"show_error needs whole sentences, not {sentence!r}")
    parts = [f"**{markdown_text(failed)}**", markdown_text(str(error)), markdown_text(then)]
    st.error(" ".join(part for part in parts if part), icon=":material/error:")


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


# Every ASCII punctuation mark may be backslash-escaped in CommonMark, which takes away
# any meaning Markdown or Streamlit gives it (emphasis, links, images, HTML, LaTeX, lists).
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit looks for bare URLs, www. hosts and e-mail addresses (GFM autolinks) and for
# :material/…:, :streamlit: and :emoji: codes in the text *after* the escapes are
# resolved, so escaping alone still shows links and icons. An invisible word joiner
# after each ':' and '@' and inside 'www.' breaks every one of those patterns.
_WORD_JOINER = "\u2060"
_WWW_DOT = re.compile(r"(www)(\\\.)", re.IGNORECASE)


def markdown_text(value: object) -> str:
    """``value`` (from upstream, a file or a user) for any Streamlit text that renders Markdown.

    Alerts, captions, headings, metric values and widget labels then show it as typed:
    no link, image, icon, HTML or formatting; line breaks and runs of blanks become one
    space, control characters are dropped.
    """
    text = " ".join(str(value).split())
    text = "".join(char for char in text if unicodedata.category(char) != "Cc")
    text = _ASCII_PUNCTUATION.sub(r"\\\1", text)
    text = _WWW_DOT.sub(rf"\1{_WORD_JOINER}\2", text)
    return text.replace("\\:", "\\:" + _WORD_JOINER).replace("\\@", "\\@" + _WORD_JOINER)


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
            # st.badge would read the label as Markdown; a status may be any upstream text.
            st.markdown(f":{badge.color}-badge[{markdown_text(badge.label)}]", width="content")


def badge_column(label: str, badges: Iterable[Badge]) -> Any:
    """A table column of coloured pills; each cell is a list of badge labels."""
    palette = list(badges)
    return st.column_config.MultiselectColumn(
        label,
        options=[badge.label for badge in palette],
        color=[BADGE_HEX[badge.color] for badge in palette],
    )


def format_moment(moment: datetime | None) -> str:
    """``2025-11-03 14:05 UTC``; only the date when the source gave no time of day."""
    if moment is None:
        return "—"
    utc = moment.astimezone(UTC)
    if utc.time() == time(0, 0):
        return f"{utc:%Y-%m-%d}"
    return f"{utc:%Y-%m-%d %H:%M} UTC"


class Confirmation:
    """Ask first: a click puts what it would do in the session (``ask``), a dialog then asks
    (``show``), and only its confirm button goes on; its cancel button, or closing the
    dialog, forgets the question. What waits is kept under ``key``, so it survives reruns.
    """

    def __init__(
        self, key: str, title: str, *, cancel: str, width: Literal["small", "large"] = "small"
    ) -> None:
        self.key, self.title, self.cancel, self.width = key, title, cancel, width

    def ask(self, subject: Hashable = True) -> None:
        """Wait for a yes about ``subject`` (e.g. an order and a status); a button's on_click."""
        st.session_state[self.key] = subject

    def forget(self) -> None:
        """Close the question without doing anything."""
        st.session_state.pop(self.key, None)

    @property
    def waiting(self) -> Any:
        """What waits for a yes, or None."""
        return st.session_state.get(self.key)

    def show(
        self,
        question: Callable[[], None],
        *,
        confirm: str,
        on_confirm: Callable[[], None],
        icon: str | None = None,
    ) -> None:
        """The dialog: ``question`` draws what is asked, then the confirm button (``confirm``,
        primary) and the cancel one; a confirm forgets the question, then runs ``on_confirm``."""
        dialog = st.dialog(self.title, width=self.width, on_dismiss=self.forget)
        dialog(_confirmation_dialog)(self, question, confirm, icon, on_confirm)


def _confirmation_dialog(
    confirmation: Confirmation,
    question: Callable[[], None],
    confirm: str,
    icon: str | None,
    on_confirm: Callable[[], None],
) -> None:
    """The dialog's body: the question, then confirm (left) and cancel (right)."""
    question()
    yes, no = st.columns(2)
    if no.button(confirmation.cancel, icon=":material/close:"):
        confirmation.forget()
        st.rerun()
    if yes.button(confirm, type="primary", icon=icon):
        confirmation.forget()
        on_confirm()
