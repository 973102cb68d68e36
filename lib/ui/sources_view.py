"""Connection cards for the sources besides PleasureStock (Overview), one per source:
reachable, latency, who we are logged in as (with any warning), items in the snapshot
under the source's own noun, last sync, and the currency its prices are shown in. A
source that is not configured gets one line naming the settings to set."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from lib.sources.configured import PEERS, Peer
from lib.sources.records import SourceCheck
from lib.sources.source import Source
from lib.sources.sync import source_status
from lib.ui.resources import AppContext
from lib.ui.widgets import format_age, markdown_text


@st.cache_data(ttl=60, max_entries=12, show_spinner="Checking the sources…")
def _check(_source: Source, key: str, base_url: str) -> SourceCheck:
    """The source's round trip, measured again at most every 60 s."""
    return _source.check()


def _currency_note(peer: Peer, source: Source) -> str:
    """The currency the source's prices are shown in, and the setting that decides it."""
    currency = getattr(source, "currency", None)
    if currency is None:
        return peer.no_currency
    return f"Prices in {currency} ({peer.currency_setting})."


def _card(ctx: AppContext, peer: Peer, source: Source) -> None:
    base_url = source.client.base_url  # type: ignore[attr-defined]
    check = _check(source, peer.key, base_url)
    status = source_status(ctx.session_factory, peer.key)
    reach, latency, items, synced = st.columns(4)
    reach.metric(f"{peer.label} API", "Reachable" if check.reachable else "Unreachable")
    latency.metric(
        f"{peer.label} latency",
        f"{check.latency_ms:.0f} ms" if check.latency_ms is not None else "—",
    )
    items.metric(f"{peer.label} {peer.noun} in snapshot", f"{status.item_count:,}")
    last = status.last_sync
    synced.metric(
        f"{peer.label} last sync",
        f"{format_age(datetime.now(UTC) - last.finished_at)} ago" if last else "never",
        help=f"{last.status}: {last.finished_at:%Y-%m-%d %H:%M:%S} UTC" if last else None,
    )
    if check.account:
        st.text(f"Logged in as {check.account} · {base_url}")
    if check.warning:
        st.warning(markdown_text(check.warning), icon=":material/admin_panel_settings:")
    if check.error:
        st.error(
            f"**{peer.label} cannot be read.** {markdown_text(check.error)}",
            icon=":material/cloud_off:",
        )
    if last is not None and last.status == "failed":
        st.warning(
            f"The last {peer.label} sync failed; the previous snapshot is kept. "
            f"{markdown_text(last.error)}",
            icon=":material/sync_problem:",
        )
    st.caption(_currency_note(peer, source))


def source_cards(ctx: AppContext) -> None:
    """A card for each source besides PleasureStock, or a line saying what configures it."""
    for peer in PEERS:
        st.subheader(peer.label)
        source = ctx.source(peer.key)
        if source is None:
            st.caption(f"Not configured: set {peer.required}.")
        else:
            _card(ctx, peer, source)
