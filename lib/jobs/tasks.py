"""The queue's tasks: each takes a job id only and runs one service function as that job.

No ``retries=``: a task that writes to PleasureStock must never be sent again by the
queue (NOTES point 3); a job that was cut off is found through its worker's heartbeat.
"""

from __future__ import annotations

from collections.abc import Callable

from lib.db import JobRecord
from lib.jobs.queue import huey
from lib.jobs.runs import JobResult, Progress, Runtime, run_job
from lib.sales.sending import CHECK_ADVICE, SendProgress, send_upload

SALES_SEND = "sales_send"


def send_upload_work(job: JobRecord, runtime: Runtime, progress: Progress) -> JobResult:
    """Send the pending batches of upload ``job.subject``; unknown outcomes stay unknown."""

    def report(sent: SendProgress) -> None:
        rows = f"{sent.rows_sent:,} of {sent.rows_total:,} rows sent"
        progress(sent.batches_done, sent.batches_total, rows)

    result = send_upload(
        runtime.client, runtime.session_factory, int(job.subject), on_progress=report
    )
    upload = result.upload
    stored = f"{upload.batches.rows_accepted:,} of {upload.rows_to_send:,} rows are stored."
    if result.stopped or result.error is not None:
        return JobResult("failed", message=stored, error=result.stopped or str(result.error))
    if upload.batches.unknown:
        unknown = f"{upload.batches.unknown} batch(es) have an unknown outcome. {CHECK_ADVICE}"
        return JobResult("unknown", message=f"{stored} {unknown}")
    return JobResult("done", message=stored)


@huey.task()
def send_upload_task(job_id: int) -> None:
    """Queue entry of a sales send job."""
    run_job(job_id, send_upload_work)


# Which task runs a job of each kind.
TASKS: dict[str, Callable[[int], object]] = {SALES_SEND: send_upload_task}
