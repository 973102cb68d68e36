"""The Product links section of Settings: link proposals to accept in bulk (or reject),
the confirmed links (those whose item disappeared flagged), with a column set for each
source present in the groups, and "Sync <source> now" for each configured source, which
starts the source's sync job (it proposes links afresh when it ends)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.access.policy import Action
from lib.jobs.service import latest_job, start_job
from lib.jobs.tasks import SOURCE_SYNC
from lib.sources.configured import LABELS, PEERS, Peer
from lib.sources.links import LinkView, confirm_links, links_overview, reject_link
from lib.sources.namespaces import SOURCE_KEYS, describe_groups
from lib.sources.records import STOCK2SHOP
from lib.ui.resources import AppContext
from lib.ui.shell import current_actor, user_can
from lib.ui.widgets import format_moment, markdown_text

PROPOSALS_KEY = "links_proposals"
FILTER_KEY = "links_filter"
FLASH_KEY = "links_flash"
TICK = "Accept"
METHOD_LABELS = {"barcode": "Barcode", "sku": "SKU"}


def _side(view: LinkView, source: str) -> dict[str, str]:
    """The columns of the group's item from ``source``: code(s) and name, as text; blank
    when the group has no item from it."""
    linked = view.item_of(source)
    item = linked.item if linked is not None else None
    label = LABELS[source]
    gone = "" if linked is None else "(no longer in the snapshot)"
    columns = {
        f"{label} SKU": (item.sku or "") if item else "",
        f"{label} item": item.name if item else gone,
    }
    if source == STOCK2SHOP:
        columns[f"{label} barcode"] = (item.barcode or "") if item else ""
    return columns


def links_frame(views: list[LinkView]) -> pd.DataFrame:
    """One row per group, indexed by group id; a column set per source that is a member
    of any group shown, in ``SOURCE_KEYS`` order."""
    present = {m.source for v in views for m in v.group.members}
    sources = [s for s in SOURCE_KEYS if s in present]
    rows = [
        {
            "Matched on": METHOD_LABELS[v.group.method],
            "Code": v.group.code,
            **{k: c for s in sources for k, c in _side(v, s).items()},
        }
        for v in views
    ]
    return pd.DataFrame(rows, index=pd.Index([v.group.group_id for v in views], name="id"))


def _shown(views: list[LinkView], text: str) -> list[LinkView]:
    """The groups whose code or item names contain ``text`` (case-insensitive)."""
    needle = text.strip().casefold()
    if not needle:
        return views
    return [
        v
        for v in views
        if needle in v.group.code
        or any(i.item and needle in f"{i.item.name} {i.item.sku}".casefold() for i in v.items)
    ]


@st.fragment(run_every=2)
def _sync_progress(ctx: AppContext, key: str, label: str) -> None:
    """The source's sync state, read again every 2 s while it runs."""
    job = latest_job(ctx.session_factory, SOURCE_SYNC, key)
    if job is None:
        st.caption(f"{label} has not been synced yet.")
        return
    words = {"pending": "waiting to start", "running": "running"}.get(job.state, job.state)
    st.caption(f"Last {label} sync: {words} · {format_moment(job.created_at)}")
    if job.message:
        st.text(job.message)
    if job.last_error:
        st.error(markdown_text(job.last_error), icon=":material/error:")


def _sync_button(ctx: AppContext, peer: Peer, may_change: bool) -> None:
    if ctx.source(peer.key) is None:
        st.info(
            f"{peer.label} is not configured: set {peer.required} and restart StockDesk.",
            icon=":material/link_off:",
        )
        return
    if st.button(
        f"Sync {peer.label} now",
        key=f"sync_{peer.key}",
        icon=":material/sync:",
        disabled=not may_change,
    ):
        start_job(ctx.session_factory, SOURCE_SYNC, peer.key, by=current_actor())
    _sync_progress(ctx, peer.key, peer.label)


def _proposals(ctx: AppContext, views: list[LinkView], may_change: bool) -> None:
    st.markdown(f"**Proposals** ({len(views):,})")
    if not views:
        st.caption(
            "No open proposals. They are made after every sync, from the same barcode or "
            "the same code in namespaces declared equal."
        )
        return
    shown = _shown(views, st.text_input("Filter by code, SKU or name", key=FILTER_KEY))
    frame = links_frame(shown)
    frame.insert(0, TICK, False)
    edited = st.data_editor(
        frame,
        key=PROPOSALS_KEY,
        hide_index=True,
        disabled=[c for c in frame.columns if c != TICK],
        column_config={TICK: st.column_config.CheckboxColumn(TICK, default=False)},
        width="stretch",
    )
    ticked = [str(i) for i in edited.index[edited[TICK].astype(bool)]]
    accept, accept_all, reject = st.columns(3)
    chosen: list[str] = []
    if accept.button(
        f"Accept ticked ({len(ticked)})", disabled=not (may_change and ticked), type="primary"
    ):
        chosen = ticked
    if accept_all.button(f"Accept all shown ({len(shown):,})", disabled=not may_change):
        chosen = [v.group.group_id for v in shown]
    if chosen:
        count = confirm_links(ctx.session_factory, chosen, actor=current_actor())
        st.session_state[FLASH_KEY] = f"Confirmed {count:,} link(s)."
        st.session_state.pop(PROPOSALS_KEY, None)
        st.rerun()
    if reject.button(f"Reject ticked ({len(ticked)})", disabled=not (may_change and ticked)):
        rejected = sum(reject_link(ctx.session_factory, g, actor=current_actor()) for g in ticked)
        st.session_state[FLASH_KEY] = (
            f"Rejected {rejected:,} proposal(s); they are not proposed again."
        )
        st.session_state.pop(PROPOSALS_KEY, None)
        st.rerun()


def _confirmed(views: list[LinkView]) -> None:
    st.markdown(f"**Confirmed links** ({len(views):,})")
    if not views:
        st.caption("No confirmed links yet.")
        return
    missing = sum(v.missing for v in views)
    if missing:
        st.warning(
            f"{missing:,} confirmed link(s) name an item that is no longer in its source's "
            "snapshot. They are kept; check them in the source.",
            icon=":material/link_off:",
        )
    frame = links_frame(views)
    frame["Item missing"] = [v.missing for v in views]
    frame["Confirmed by"] = [v.group.confirmed_by or "" for v in views]
    frame["Confirmed"] = [v.group.confirmed_at for v in views]
    st.dataframe(frame, hide_index=True, width="stretch")


def product_links_section(ctx: AppContext) -> None:
    """The whole Product links section."""
    st.subheader("Product links")
    st.caption(
        "Which Stock2Shop variant, Price2B product or PSRESTful part is which PleasureStock "
        "product. StockDesk proposes a link when items of different sources carry the same "
        "barcode, or the same code in namespaces declared equal "
        "(`STOCKDESK_EQUAL_SKU_NAMESPACES`, now: "
        f"{markdown_text(describe_groups(ctx.settings.equal_sku_namespaces))}); a code on "
        "more than one item is never proposed, and names are never used. Nothing is "
        "linked until a person accepts it; StockDesk never writes to any of them."
    )
    may_change = user_can(Action.MANAGE_SETTINGS)
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    for peer in PEERS:
        _sync_button(ctx, peer, may_change)
    overview = links_overview(ctx.session_factory)
    _proposals(ctx, overview.proposals, may_change)
    _confirmed(overview.confirmed)
