"""Following the catalog sync job on a page: its progress read from the database while it
runs, and how the sync this session started ended.

The sync runs in the background, one at a time across every process: closing the tab,
clicking or switching pages stops only the following, never the sync. Pages keep
showing the last snapshot meanwhile and rerun when it has ended.
"""

from __future__ import annotations

import streamlit as st

from lib.db import JobRecord
from lib.jobs.service import get_job, latest_job, start_job
from lib.jobs.tasks import CATALOG_SYNC
from lib.ui.resources import AppContext
from lib.ui.widgets import markdown_text, show_error

# The sync job this session started or joined, whose outcome the page shows once it ends.
WATCHED_SYNC_KEY = "catalog_sync_watched_job"
# How often (s) a page reads a running sync's progress from the database.
PROGRESS_EVERY = 1.0


def follow_catalog_sync(context: AppContext, *, start: bool, actor: str) -> bool | None:
    """Start the catalog sync when ``start`` (joining the one running, if any) and follow it.

    Returns None while a sync runs (its progress shows; the page reruns when it ends) or
    when there is nothing to follow; once the sync this session followed has ended, True
    if it stored a snapshot, or False after showing why not (the previous snapshot stays).
    A sync that ended is reported once before another can start here, so a failing
    upstream is not asked again on every rerun.
    """
    session_factory = context.session_factory
    watched = st.session_state.get(WATCHED_SYNC_KEY)
    job = get_job(session_factory, watched) if watched is not None else None
    if job is not None and not job.active:
        del st.session_state[WATCHED_SYNC_KEY]
        return _outcome(job)
    if start and job is None:
        started = start_job(session_factory, CATALOG_SYNC, by=actor)
        job = get_job(session_factory, started.id)  # jobs that ran at once have ended
        st.session_state[WATCHED_SYNC_KEY] = started.id
        if job is not None and not job.active:
            del st.session_state[WATCHED_SYNC_KEY]
            return _outcome(job)
    running = job or latest_job(session_factory, CATALOG_SYNC)  # a schedule's, another user's
    if running is not None and running.active:
        _progress(context, running.id)
    return None


@st.fragment(run_every=PROGRESS_EVERY)
def _progress(context: AppContext, job_id: int) -> None:
    """The running sync's progress, read again every ``PROGRESS_EVERY`` s; the whole page
    reruns once it has ended."""
    job = get_job(context.session_factory, job_id)
    if job is None or not job.active:
        st.rerun(scope="app")
        return
    if job.state == "pending" or not job.progress_total:
        text = "Waiting for a worker to fetch the catalog…"
        if job.state == "running":
            text = "Fetching the catalog…"
        st.progress(0.0, text=text)
    else:
        st.progress(job.progress_done / job.progress_total, text=markdown_text(job.message or ""))
    st.caption(
        "The catalog is fetched in the background; the page shows the previous snapshot "
        "until it is stored, and you can go on working or leave."
    )


def _outcome(job: JobRecord) -> bool:
    """Say how a finished sync ended; True if it stored a snapshot."""
    if job.state == "done":
        st.success(
            f"Catalog synced: {markdown_text(job.message or '')}.",
            icon=":material/check_circle:",
        )
        return True
    show_error(
        job.last_error or "The sync stopped.",
        failed="The catalog could not be synced.",
        then="The previous snapshot is kept.",
    )
    return False
