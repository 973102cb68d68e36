"""The Jobs view on Settings: running, pending and failed jobs, the daily schedules with
their next run, and the workers' heartbeats."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from lib.db import JobRecord
from lib.jobs.schedules import Schedule, all_schedules
from lib.jobs.service import ORPHAN_AFTER, jobs_overview, scheduled_runs
from lib.jobs.tasks import (
    CATALOG_SYNC,
    CHANNEL_SALES_PULL,
    FORECAST,
    ORDER_REQUEST,
    SALES_SEND,
    SOURCE_SYNC,
    TRY_RATES,
)
from lib.ui.resources import AppContext
from lib.ui.widgets import format_age

KIND_LABELS = {
    CHANNEL_SALES_PULL: "Sales from Stock2Shop",
    SALES_SEND: "Sales send",
    CATALOG_SYNC: "Catalog sync",
    TRY_RATES: "TRY rates",
    ORDER_REQUEST: "Order request",
    SOURCE_SYNC: "Source sync",
    FORECAST: "Forecast",
}
WHEN = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")


def job_table(jobs: Sequence[JobRecord]) -> pd.DataFrame:
    """One row per job; the error as plain text in its cell (never Markdown)."""
    return pd.DataFrame(
        [
            {
                "Job": j.id,
                "Kind": KIND_LABELS.get(j.kind, j.kind),
                "Of": j.subject or "—",
                "State": j.state,
                "Progress": f"{j.progress_done} / {j.progress_total}" if j.progress_total else "",
                "Started by": j.created_by,
                "Created": j.created_at,
                "Finished": j.finished_at,
                "Message": j.message or "",
                "Last error": j.last_error or "",
                "Worker": j.worker_id or "",
            }
            for j in jobs
        ],
        columns=["Job", "Kind", "Of", "State", "Progress", "Started by", "Created", "Finished",
                 "Message", "Last error", "Worker"],
    )  # fmt: skip


def jobs_section(ctx: AppContext) -> None:
    """Jobs running or waiting, the latest that failed or ended unknown, and the workers."""
    overview = jobs_overview(ctx.session_factory)
    config = {"Created": WHEN, "Finished": WHEN}
    st.markdown("**Running and pending**")
    if overview.active:
        st.dataframe(job_table(overview.active), hide_index=True, column_config=config)
    else:
        st.caption("No job is running or waiting.")
    st.markdown("**Failed, interrupted or of unknown outcome**")
    if overview.failed:
        st.dataframe(job_table(overview.failed), hide_index=True, column_config=config)
    else:
        st.caption("No job has failed.")
    st.markdown("**Scheduled**")
    now = datetime.now(UTC)
    schedules = all_schedules(ctx.settings, [s.key for s in ctx.sources])
    runs = scheduled_runs(ctx.session_factory, schedules, now=now)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Job": KIND_LABELS.get(run.schedule.kind, run.schedule.kind),
                    "Of": run.schedule.subject or "—",
                    "When (UTC)": _when(run.schedule),
                    "Next run": "due now"
                    if run.next_at == now
                    else f"{run.next_at:%Y-%m-%d %H:%M}",
                    "Last run": run.latest.created_at if run.latest else None,
                    "Last state": run.latest.state if run.latest else "never run",
                    "Last error": (run.latest.last_error or "") if run.latest else "",
                }
                for run in runs
            ]
        ),
        hide_index=True,
        column_config={"Last run": WHEN},
    )
    st.markdown("**Workers**")
    if not overview.workers:
        st.caption(
            "No worker is running: jobs wait until the app's embedded worker or "
            "`make worker` starts."
        )
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Worker": w.worker_id,
                    "Where": "in the app" if w.embedded else "standalone",
                    "Started": w.started_at,
                    "Last heartbeat": f"{format_age(now - w.last_seen)} ago",
                    "Alive": now - w.last_seen < ORPHAN_AFTER,
                }
                for w in overview.workers
            ]
        ),
        hide_index=True,
        column_config={"Started": WHEN},
    )


def _when(schedule: Schedule) -> str:
    """``daily at 03:00`` or ``every 2 h from 01:00``."""
    if schedule.every is None:
        return f"daily at {schedule.at:%H:%M}"
    return f"every {format_age(schedule.every)} from {schedule.at:%H:%M}"
