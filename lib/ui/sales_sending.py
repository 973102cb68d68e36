"""Sales upload widgets for sending: progress, results, the open upload to resume or resolve,
and the upload history."""

from __future__ import annotations

import streamlit as st

from lib.db import BatchRecord, JobRecord, UploadRecord
from lib.jobs.service import get_job
from lib.sales.background import (
    resend_in_background,
    sending_job,
    start_sending,
    uploads_being_sent,
)
from lib.sales.history import (
    batch_table,
    history_table,
    recent_uploads,
    row_error_table,
    upload_batches,
    upload_status,
)
from lib.sales.resolution import BatchStateError, cancel_pending, mark_batch_stored
from lib.sales.sending import CHECK_ADVICE
from lib.sales.upload import SalesPageState
from lib.ui.resources import AppContext
from lib.ui.widgets import markdown_text

# The send job this session started, whose outcome the page shows once it has finished.
WATCHED_JOB_KEY = "sales_watched_send_job"
# How often (s) the page reads a running send's progress from the database.
PROGRESS_EVERY = 2.0
IN_BACKGROUND = (
    "Sending runs in the background: you can close this page, click or switch pages; the "
    "send goes on and this page shows where it stands when you come back."
)


def watch_send(job: JobRecord | None) -> None:
    """After a click started a send job: follow it on this page (rerun), or say that
    nothing was new to send (``job`` None)."""
    if job is None:
        st.info("Nothing new to send: it was sent meanwhile.", icon=":material/task_alt:")
        return
    st.session_state[WATCHED_JOB_KEY] = job.id
    st.rerun()


def send_status(ctx: AppContext, state: SalesPageState) -> None:
    """The open upload's send job while it runs (progress from the database), and the
    outcome of the send this session started once it has finished."""
    upload = state.open_upload
    job = sending_job(ctx.session_factory, upload.id) if upload is not None else None
    if job is not None and job.active:
        _progress(ctx, job.id)
        return
    watched = st.session_state.get(WATCHED_JOB_KEY)
    finished = get_job(ctx.session_factory, watched) if watched is not None else None
    if finished is not None and not finished.active:
        del st.session_state[WATCHED_JOB_KEY]
        _outcome(finished)


@st.fragment(run_every=PROGRESS_EVERY)
def _progress(ctx: AppContext, job_id: int) -> None:
    """Progress of a running send, read again every ``PROGRESS_EVERY`` s; the whole page
    reruns once it has finished."""
    job = get_job(ctx.session_factory, job_id)
    if job is None or not job.active:
        st.session_state.setdefault(WATCHED_JOB_KEY, job_id)
        st.rerun(scope="app")
        return
    text = "Waiting for a worker…" if job.state == "pending" else "Sending to PleasureStock…"
    if job.progress_total:
        text = f"{job.message or ''} · {job.progress_done} of {job.progress_total} batches"
    st.progress(job.progress_done / max(job.progress_total, 1), text=markdown_text(text))
    st.caption(IN_BACKGROUND)


def _outcome(job: JobRecord) -> None:
    """What a finished send did, as the job recorded it."""
    message = markdown_text(job.message or "")
    if job.state == "done":
        st.success(f"Sending finished: {message}", icon=":material/check_circle:")
    elif job.state == "unknown":
        st.warning(f"Sending finished: {message}", icon=":material/help:")
    else:
        st.warning(
            f"Sending stopped before every batch was sent. {message}",
            icon=":material/pause_circle:",
        )
        if job.last_error:
            st.text(job.last_error)


def open_upload_panel(ctx: AppContext, state: SalesPageState, uploaded_by: str) -> None:
    """The upload not finished yet: resume it, cancel what is left, resolve unknown outcomes."""
    upload = state.open_upload
    if upload is None:
        return
    st.subheader("Upload in progress")
    batches = upload.batches
    st.markdown(
        f"**{markdown_text(upload.file_name)}**, uploaded by "
        f"{markdown_text(upload.uploaded_by)} on "
        f"{upload.uploaded_at:%Y-%m-%d %H:%M} UTC: {batches.accepted} of {batches.total} "
        f"batches accepted ({batches.rows_accepted:,} of {upload.rows_to_send:,} rows)."
    )
    job = sending_job(ctx.session_factory, upload.id)
    if job is not None and job.active:
        return  # its progress shows above; decisions wait until it has finished
    waiting = batches.pending + batches.sending
    if waiting:
        _interrupted(ctx, upload, uploaded_by, waiting)
    if state.unknown_batches:
        _unknown_outcomes(ctx, upload, state.unknown_batches, uploaded_by)


def _interrupted(ctx: AppContext, upload: UploadRecord, uploaded_by: str, waiting: int) -> None:
    text = f"Sending was interrupted: {waiting} batch(es) are not sent yet."
    if upload.batches.sending:
        text += (
            f" {upload.batches.sending} batch(es) were being sent when StockDesk stopped; "
            "resuming marks them as outcome unknown instead of sending them again."
        )
    st.warning(text, icon=":material/pause_circle:")
    resume_column, cancel_column = st.columns(2)
    if resume_column.button("Resume sending", icon=":material/play_arrow:", type="primary"):
        watch_send(start_sending(ctx.session_factory, upload.id, by=uploaded_by))
    if cancel_column.button("Cancel the batches not sent yet", icon=":material/cancel:"):
        cancel_pending(ctx.session_factory, upload.id, by=uploaded_by)
        st.rerun()


def _unknown_outcomes(
    ctx: AppContext, upload: UploadRecord, unknown: list[BatchRecord], uploaded_by: str
) -> None:
    st.error(
        f"{len(unknown)} batch(es) have an **unknown outcome**: PleasureStock may or may not "
        f"have stored them, so StockDesk does not send them again by itself. {CHECK_ADVICE} "
        "New uploads wait until this is decided, because they depend on it.",
        icon=":material/help:",
    )
    st.dataframe(
        [
            {
                "Batch": b.seq,
                "Rows": b.row_count,
                "First day": min(r["date"] for r in b.rows),
                "Last day": max(r["date"] for r in b.rows),
                "Quantity": b.quantity_total,
                "What happened": b.error,
            }
            for b in unknown
        ],
        hide_index=True,
        width="stretch",
    )
    by_seq = {b.seq: b for b in unknown}
    seq = st.selectbox("Batch to resolve", options=list(by_seq), key="sales_unknown_batch")
    if seq is None:
        return
    chosen = by_seq[seq]
    st.download_button(
        f"Download the rows of batch {seq} (CSV) to check them",
        data=batch_table_csv(chosen.rows),
        file_name=f"sales-upload-{upload.id}-batch-{seq}.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    stored_column, resend_column = st.columns(2)
    try:
        if stored_column.button("It was stored: mark as stored", icon=":material/done_all:"):
            mark_batch_stored(ctx.session_factory, chosen.id, by=uploaded_by)
            st.rerun()
        if resend_column.button("It was not stored: send it again", icon=":material/replay:"):
            watch_send(resend_in_background(ctx.session_factory, chosen.id, by=uploaded_by))
    except BatchStateError as stale:
        st.warning(str(stale), icon=":material/sync_problem:")


def batch_table_csv(rows: list[dict[str, object]]) -> bytes:
    """A batch's rows as CSV, as sent (``internal_id, date, quantity, stock_on_hand``)."""
    header = "internal_id,date,quantity,stock_on_hand\n"
    lines = (
        f"{r['internal_id']},{r['date']},{r['quantity']},{r.get('stock_on_hand', '')}\n"
        for r in rows
    )
    return (header + "".join(lines)).encode()


def history_panel(ctx: AppContext) -> None:
    """Who uploaded which file when, what was sent, and each upload's batches and errors."""
    st.subheader("Upload history")
    uploads = recent_uploads(ctx.session_factory, limit=50)
    if not uploads:
        st.caption("No sales have been sent yet.")
        return
    being_sent = uploads_being_sent(ctx.session_factory)
    st.dataframe(
        history_table(uploads, sending_now=being_sent.__contains__),
        hide_index=True,
        width="stretch",
        column_config={"When": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm")},
    )
    by_id = {u.id: u for u in uploads}
    chosen = st.selectbox(
        "Batches of upload",
        options=list(by_id),
        format_func=lambda i: (
            f"#{i} · {by_id[i].file_name} · {upload_status(by_id[i], sending_now=i in being_sent)}"
        ),
        key="sales_history_upload",
    )
    if chosen is None:
        return
    history = upload_batches(ctx.session_factory, chosen)
    st.dataframe(
        batch_table(history.batches),
        hide_index=True,
        width="stretch",
        column_config={
            "Finished": st.column_config.DatetimeColumn("Finished", format="YYYY-MM-DD HH:mm:ss")
        },
    )
    errors = row_error_table(history.refused)
    if not errors.empty:
        st.markdown("**Rows PleasureStock refused**")
        st.dataframe(errors, hide_index=True, width="stretch")
