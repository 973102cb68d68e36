"""Sales upload's "From Stock2Shop": the scheduled pull of the shop's channel orders, its
last run and what it sent, and "Pull now". The pull runs as a job; its upload is sent
and followed like a file's."""

from __future__ import annotations

import streamlit as st

from lib.access.policy import can_open
from lib.jobs.service import get_job, latest_job, start_job
from lib.jobs.tasks import CHANNEL_SALES_PULL
from lib.sources.records import STOCK2SHOP
from lib.ui.resources import AppContext
from lib.ui.shell import current_user
from lib.ui.widgets import format_moment, markdown_text

# How often (s) the page reads a running pull from the database.
PROGRESS_EVERY = 2.0
# The pull this session started, which the page follows until it ends.
WATCHED_PULL_KEY = "stock2shop_watched_pull"


def stock2shop_section(ctx: AppContext, actor: str) -> None:
    """The pull's settings in words, its latest run, and a button to pull now."""
    st.subheader("From Stock2Shop")
    if ctx.stock2shop is None:
        st.caption(
            "Stock2Shop is not configured: set STOCK2SHOP_USERNAME and STOCK2SHOP_PASSWORD "
            "to have the shop's channel orders sent as sales every 2 hours."
        )
        return
    settings = ctx.settings
    st.caption(
        markdown_text(
            "Every 2 hours StockDesk reads the channel orders of the last "
            f"{settings.stock2shop_sales_days} days and sends what PleasureStock does not "
            f"have yet. Orders that count: {', '.join(settings.sale_statuses)}; their day is "
            f"the day in {settings.stock2shop_time_zone}; the last "
            f"{settings.stock2shop_settle_days} day(s) wait until they settle. Only SKUs with "
            "a confirmed product link are sent; a later cancellation is shown as a "
            "correction, never sent as a negative."
        )
    )
    job = latest_job(ctx.session_factory, CHANNEL_SALES_PULL, STOCK2SHOP)
    if job is not None and job.active and st.session_state.get(WATCHED_PULL_KEY) == job.id:
        _running(ctx, job.id)
    elif job is not None and job.active:
        # A scheduled pull: said, not followed, so it never reruns the page under someone
        # choosing a mapping; its upload shows above once it sends.
        st.info(
            f"A pull of Stock2Shop's orders is running (started {format_moment(job.created_at)}).",
            icon=":material/cloud_download:",
        )
    elif job is not None:
        when = format_moment(job.finished_at)
        text = markdown_text(job.message or job.last_error or "")
        if job.state == "done":
            st.info(f"Last pull, {when}: {text}", icon=":material/sync:")
        else:
            st.warning(
                f"The last pull, {when}, did not finish: {text}", icon=":material/sync_problem:"
            )
        if "no confirmed product link" in (job.message or ""):
            if can_open(current_user().roles, "settings"):
                st.page_link("pages/settings.py", label="Link these SKUs under Product links")
            else:
                st.caption("An administrator links them on the Settings page (Product links).")
    else:
        st.caption("No pull has run yet.")
    if st.button("Pull from Stock2Shop now", icon=":material/cloud_download:"):
        started = start_job(ctx.session_factory, CHANNEL_SALES_PULL, STOCK2SHOP, by=actor)
        st.session_state[WATCHED_PULL_KEY] = started.id
        st.rerun()


@st.fragment(run_every=PROGRESS_EVERY)
def _running(ctx: AppContext, job_id: int) -> None:
    """A pull in progress, read again every ``PROGRESS_EVERY`` s; the page reruns when it
    ends (its upload's send shows above like any other)."""
    job = get_job(ctx.session_factory, job_id)
    if job is None or not job.active:
        st.rerun(scope="app")
        return
    st.info("Reading Stock2Shop's channel orders…", icon=":material/cloud_download:")
