"""Connection cards for the sources besides PleasureStock (Overview): reachable, latency,
who we are logged in as (with the admin warning), items in the snapshot, last sync."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from lib.sources.records import SourceCheck
from lib.sources.stock2shop import Stock2ShopSource
from lib.sources.sync import source_status
from lib.ui.resources import AppContext
from lib.ui.widgets import format_age, markdown_text


@st.cache_data(ttl=60, max_entries=4, show_spinner="Checking Stock2Shop…")
def _check(_source: Stock2ShopSource, base_url: str) -> SourceCheck:
    """The source's round trip, measured again at most every 60 s."""
    return _source.check()


def stock2shop_card(ctx: AppContext) -> None:
    """Stock2Shop's card, or a line saying it is not configured."""
    source = ctx.stock2shop
    st.subheader("Stock2Shop")
    if source is None:
        st.caption("Not configured (set STOCK2SHOP_USERNAME and STOCK2SHOP_PASSWORD).")
        return
    check = _check(source, source.client.base_url)
    status = source_status(ctx.session_factory, source.key)
    reach, latency, items, synced = st.columns(4)
    reach.metric("Stock2Shop API", "Reachable" if check.reachable else "Unreachable")
    latency.metric(
        "Stock2Shop latency", f"{check.latency_ms:.0f} ms" if check.latency_ms is not None else "—"
    )
    items.metric("Variants in snapshot", f"{status.item_count:,}")
    last = status.last_sync
    synced.metric(
        "Stock2Shop last sync",
        f"{format_age(datetime.now(UTC) - last.finished_at)} ago" if last else "never",
        help=f"{last.status}: {last.finished_at:%Y-%m-%d %H:%M:%S} UTC" if last else None,
    )
    if check.account:
        st.text(f"Logged in as {check.account} · {source.client.base_url}")
    if check.warning:
        st.warning(markdown_text(check.warning), icon=":material/admin_panel_settings:")
    if check.error:
        st.error(
            f"**Stock2Shop cannot be read.** {markdown_text(check.error)}",
            icon=":material/cloud_off:",
        )
    if last is not None and last.status == "failed":
        st.warning(
            f"The last sync failed; the previous snapshot is kept. {markdown_text(last.error)}",
            icon=":material/sync_problem:",
        )
    if source.currency is None:
        st.caption("Prices are shown without a currency: set STOCK2SHOP_CURRENCY.")
