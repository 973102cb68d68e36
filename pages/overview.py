"""Overview: connection, catalog snapshot, orders by status and today's TRY rates."""

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from lib.catalog.snapshot import catalog_status
from lib.currency import rate_age
from lib.pleasurestock import PleasureStockError
from lib.ui import (
    current_actor,
    follow_catalog_sync,
    format_age,
    markdown_text,
    page_setup,
    show_error,
)
from lib.ui.loaders import clear_api_caches, connection_check, current_rates, order_counts
from lib.ui.sources_view import source_cards

ctx = page_setup()
client = ctx.client
st.title("Overview")

header, refresh = st.columns([5, 1])
header.caption(f"Data source: **{ctx.mode_label}** · {client.base_url}")
if refresh.button("Refresh", icon=":material/refresh:", help="Ask PleasureStock again"):
    clear_api_caches()

# -- connection -------------------------------------------------------------------------
check = connection_check(client, client.base_url)
conn, latency, size, synced = st.columns(4)
conn.metric("PleasureStock API", check.status)
latency.metric("Latency", f"{check.latency_ms:.0f} ms" if check.latency_ms is not None else "—")
if check.headline:
    icon = ":material/key_off:" if check.problem == "key refused" else ":material/cloud_off:"
    st.error(f"**{check.headline}** {markdown_text(check.error)}", icon=icon)

# -- catalog snapshot -------------------------------------------------------------------
status = catalog_status(ctx.session_factory)
first_fetch = status.snapshot.product_count == 0 and check.reachable
sync_clicked = st.button("Sync catalog now", icon=":material/sync:")
if follow_catalog_sync(ctx, start=first_fetch or sync_clicked, actor=current_actor()):
    status = catalog_status(ctx.session_factory)

size.metric("Products in snapshot", f"{status.snapshot.product_count:,}")
fetched = status.snapshot.fetched_at
synced.metric(
    "Last sync",
    f"{format_age(datetime.now(UTC) - fetched)} ago" if fetched else "never",
    help=f"{fetched:%Y-%m-%d %H:%M:%S} UTC" if fetched else None,
)
max_age = timedelta(hours=ctx.settings.catalog_max_age_hours)
if fetched and status.is_stale(max_age, now=datetime.now(UTC)):
    st.warning(
        f"The catalog snapshot is older than {ctx.settings.catalog_max_age_hours:g} hours. "
        "Use **Sync catalog now** to refresh it.",
        icon=":material/history:",
    )
if status.last_sync and status.last_sync.status == "failed":
    st.warning(
        f"The last sync attempt failed ({status.last_sync.finished_at:%Y-%m-%d %H:%M}): "
        f"{markdown_text(status.last_sync.error)}",
        icon=":material/sync_problem:",
    )

# -- other sources ----------------------------------------------------------------------
source_cards(ctx)

orders_col, rates_col = st.columns(2)

# -- orders by status -------------------------------------------------------------------
with orders_col:
    st.subheader("Orders by status")
    try:
        counts = order_counts(client)
    except PleasureStockError as error:
        show_error(error, failed="The orders could not be loaded.")
    else:
        st.dataframe(
            pd.DataFrame({"Status": list(counts), "Orders": list(counts.values())}),
            hide_index=True,
            width="stretch",
        )

# -- TRY rates --------------------------------------------------------------------------
with rates_col:
    st.subheader("Today's TRY rates")
    board = current_rates(ctx)
    if board.error:
        st.warning(
            f"Showing the last stored rates. {markdown_text(board.error)}",
            icon=":material/warning:",
        )
    if board.rates:
        now = datetime.now(UTC)
        for column, rate in zip(st.columns(len(board.rates)), board.rates.values(), strict=True):
            column.metric(
                f"1 {rate.currency} in TRY",
                f"₺{rate.rate_to_try:,.4f}",
                help=f"Rate time {rate.rate_time or 'not given'}",
            )
            column.caption(f"fetched {format_age(rate_age(rate, now=now))} ago")
    else:
        st.info("No rates stored yet.")
