"""Sales upload widgets for sending: progress, results, the open upload to resume or resolve,
and the upload history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lib.db import BatchRecord, UploadRecord
from lib.sales.history import (
    batch_table,
    history_table,
    recent_uploads,
    row_error_table,
    upload_batches,
    upload_status,
)
from lib.sales.resolution import BatchStateError, cancel_pending, mark_batch_stored, resend_batch
from lib.sales.sending import (
    CHECK_ADVICE,
    ProgressCallback,
    SendProgress,
    SendReport,
    UploadBusyError,
    is_sending,
    send_upload,
)
from lib.sales.upload import SalesPageState
from lib.ui.resources import AppContext
from lib.ui.widgets import format_age, markdown_text, show_error

LAST_REPORT_KEY = "sales_last_send_report"
# Until sending moves out of the page's script run, a click anywhere reruns the page and
# stops the send (between batches: each batch's outcome is committed before the bar moves).
STAYS_IN_PAGE = (
    "Keep this page open and do not click anything on it until sending ends: the send runs "
    "inside the page, so any click stops it after the current batch. Nothing is lost: "
    "what was sent is kept and **Resume sending** sends the rest."
)


def progress_reporter(bar: DeltaGenerator) -> ProgressCallback:
    """A ``send_upload`` callback that moves a progress bar: rows sent, batches and time left."""

    def report(progress: SendProgress) -> None:
        left = format_age(timedelta(seconds=progress.seconds_left))
        bar.progress(
            progress.batches_done / max(progress.batches_total, 1),
            text=(
                f"{progress.rows_sent:,} of {progress.rows_total:,} rows sent · "
                f"{progress.batches_left} batches left · about {left} left"
            ),
        )

    return report


def send_and_remember(send: Callable[[ProgressCallback], SendReport | None]) -> None:
    """Run one sending action under a progress bar, keep its report for after the rerun, rerun.

    ``send`` gets the bar's progress callback; it returns None when nothing was new to
    send. Its errors other than ``UploadBusyError`` are the caller's to show.
    """
    slot = st.empty()
    with slot.container():
        bar = st.progress(0.0, text="Sending to PleasureStock…")
        st.caption(STAYS_IN_PAGE)
    try:
        report = send(progress_reporter(bar))
    except UploadBusyError as busy:
        slot.empty()
        st.info(markdown_text(busy), icon=":material/hourglass_top:")
        return
    except Exception:
        slot.empty()  # nothing is being sent any more; the caller says why
        raise
    if report is None:
        slot.empty()
        st.info("Nothing new to send: it was sent meanwhile.", icon=":material/task_alt:")
        return
    st.session_state[LAST_REPORT_KEY] = report
    st.rerun()


def last_send_report() -> None:
    """Show (once) what the last send in this session did."""
    report: SendReport | None = st.session_state.pop(LAST_REPORT_KEY, None)
    if report is None:
        return
    upload = report.upload
    if report.accepted:
        st.success(
            f"PleasureStock accepted {report.accepted} batch(es) of "
            f"**{markdown_text(upload.file_name)}**: "
            f"{upload.batches.rows_accepted:,} of {upload.rows_to_send:,} rows are stored.",
            icon=":material/check_circle:",
        )
    if report.refused:
        st.error(
            f"PleasureStock refused {report.refused} batch(es); nothing of those was stored. "
            "The API's errors per row are under **Upload history**.",
            icon=":material/block:",
        )
    if report.unknown:
        st.warning(
            f"{report.unknown} batch(es) have an unknown outcome and were not resent. "
            f"{CHECK_ADVICE}",
            icon=":material/help:",
        )
    if report.stopped:
        st.warning(markdown_text(report.stopped), icon=":material/pause_circle:")
    if report.error is not None:
        show_error(report.error, failed="Sending stopped before every batch was sent.")
    if not (report.accepted or report.refused or report.unknown or report.stopped):
        st.info("Nothing was left to send.", icon=":material/info:")


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
    if is_sending(upload.id):
        st.info(
            "This upload is being sent from another browser tab. Reload the page to follow it.",
            icon=":material/hourglass_top:",
        )
        return
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
        send_and_remember(
            lambda on_progress: send_upload(
                ctx.client, ctx.session_factory, upload.id, on_progress=on_progress
            )
        )
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
            send_and_remember(
                lambda on_progress: resend_batch(
                    ctx.client,
                    ctx.session_factory,
                    chosen.id,
                    by=uploaded_by,
                    on_progress=on_progress,
                )
            )
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
    st.dataframe(
        history_table(uploads, sending_now=is_sending),
        hide_index=True,
        width="stretch",
        column_config={"When": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm")},
    )
    by_id = {u.id: u for u in uploads}
    chosen = st.selectbox(
        "Batches of upload",
        options=list(by_id),
        format_func=lambda i: (
            f"#{i} · {by_id[i].file_name} · {upload_status(by_id[i], sending_now=is_sending(i))}"
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
