"""The queue's tasks: each takes a job id only and runs one service function as that job.

No ``retries=``: a task that writes to PleasureStock must never be sent again by the
queue (NOTES point 3); a job that was cut off is found through its worker's heartbeat.
"""

from __future__ import annotations

from collections.abc import Callable

from lib.catalog.sync import sync_catalog
from lib.currency import todays_rates
from lib.db import JobRecord, JobTakenError, UnitOfWork, UploadAlreadyOpenError
from lib.jobs.queue import huey
from lib.jobs.runs import JobResult, Progress, Runtime, run_job, utc_now
from lib.pleasurestock import PleasureStockError
from lib.reorder.forecast_run import run_forecasts
from lib.reorder.sending import ORDER_REQUEST, RequestStateError, send_stored_request
from lib.sales.channel_pull import pull_channel_sales
from lib.sales.sending import CHECK_ADVICE, SendProgress, send_upload
from lib.sources.links import propose_links
from lib.sources.sync import sync_source
from lib.upstream.errors import SourceError

SALES_SEND = "sales_send"
CHANNEL_SALES_PULL = "channel_sales_pull"
CATALOG_SYNC = "catalog_sync"
TRY_RATES = "try_rates"
SOURCE_SYNC = "source_sync"
FORECAST = "forecast"


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


def catalog_sync_work(job: JobRecord, runtime: Runtime, progress: Progress) -> JobResult:
    """Fetch the whole catalog and replace the snapshot; a failure keeps the previous one."""

    def pages(done: int, total: int) -> None:
        progress(done, total, f"Fetched page {done} of {total}")

    try:
        count = sync_catalog(
            runtime.client, runtime.session_factory, actor=job.created_by, on_progress=pages
        )
    except PleasureStockError as error:  # the client's words, for the page to show as they are
        return JobResult("failed", error=str(error))
    return JobResult("done", message=f"Stored {count:,} products")


@huey.task()
def catalog_sync_task(job_id: int) -> None:
    """Queue entry of a catalog sync job (one at a time across every process)."""
    run_job(job_id, catalog_sync_work)


def rates_work(job: JobRecord, runtime: Runtime, progress: Progress) -> JobResult:
    """Fetch the TRY rates not fetched today yet and store them."""
    board = todays_rates(runtime.client, runtime.session_factory)
    if board.error:
        return JobResult("failed", error=board.error)
    return JobResult("done", message=f"{len(board.rates)} rate(s) stored for today")


@huey.task()
def rates_task(job_id: int) -> None:
    """Queue entry of a TRY rates job."""
    run_job(job_id, rates_work)


def order_request_work(job: JobRecord, runtime: Runtime, progress: Progress) -> JobResult:
    """Send order request ``job.subject`` once (looked up first if its outcome is unknown)."""
    try:
        request = send_stored_request(
            runtime.client, runtime.session_factory, int(job.subject), actor=job.created_by
        )
    except RequestStateError as resolved:
        return JobResult("done", message=str(resolved))
    if request.state == "placed":
        numbers = ", ".join(order["order_number"] for order in request.orders)
        return JobResult("done", message=f"Placed {numbers} under {request.external_order_id}")
    if request.state == "unknown":
        return JobResult("unknown", message=request.message)
    return JobResult("failed", message=request.external_order_id, error=request.message)


@huey.task()
def order_request_task(job_id: int) -> None:
    """Queue entry of an order request job (one per request)."""
    run_job(job_id, order_request_work)


def source_sync_work(job: JobRecord, runtime: Runtime, progress: Progress) -> JobResult:
    """Replace source ``job.subject``'s snapshot, then propose links afresh; a failure
    keeps the previous snapshot (and every other source's)."""
    source = runtime.source(job.subject)
    if source is None:
        return JobResult("failed", error=f"The source {job.subject!r} is not configured.")

    def read(done: int, total: int) -> None:
        progress(done, total, f"Read {done:,} products")

    try:
        count = sync_source(
            source,
            runtime.session_factory,
            actor=job.created_by,
            on_progress=read,
            time_zone=runtime.time_zone,
        )
    except SourceError as error:
        return JobResult("failed", error=str(error))
    summary = propose_links(runtime.session_factory, runtime.link_namespaces, actor=job.created_by)
    return JobResult(
        "done", message=f"Stored {count:,} items; {summary.proposed:,} link proposals open"
    )


def channel_sales_work(job: JobRecord, runtime: Runtime, progress: Progress) -> JobResult:
    """Pull the shop's recent channel orders into an upload, then send it as that
    upload's send job (run here, so the upload has one sender and the Sales upload page
    follows it like any other)."""
    source = runtime.source(job.subject)
    if source is None or runtime.channel_rules is None:
        return JobResult("failed", error=f"The source {job.subject!r} is not configured.")
    try:
        pull = pull_channel_sales(
            source.client, runtime.session_factory, runtime.channel_rules, now=utc_now()
        )
    except UploadAlreadyOpenError as open_upload:
        return JobResult("failed", error=f"{open_upload} The next pull sends what is new.")
    except SourceError as error:
        return JobResult("failed", error=str(error))
    upload_id = pull.started.upload_id
    if upload_id is not None:
        try:
            with UnitOfWork(runtime.session_factory) as uow:
                send = uow.jobs.add(SALES_SEND, str(upload_id), by=job.created_by, at=utc_now())
                uow.commit()
        except JobTakenError:  # a person resumed it meanwhile: that job sends it
            return JobResult("done", message=pull.summary())
        run_job(send.id, send_upload_work)
    return JobResult("done", message=pull.summary())


@huey.task()
def channel_sales_task(job_id: int) -> None:
    """Queue entry of a channel sales pull (one at a time per source)."""
    run_job(job_id, channel_sales_work)


@huey.task()
def source_sync_task(job_id: int) -> None:
    """Queue entry of a source sync job (one at a time per source)."""
    run_job(job_id, source_sync_work)


def forecast_work(job: JobRecord, runtime: Runtime, progress: Progress) -> JobResult:
    """Fit the forecast engine on the sales history and replace the stored forecasts."""
    now = utc_now()
    count = run_forecasts(runtime.session_factory, now.date(), demo_mode=runtime.demo_mode, at=now)
    return JobResult("done", message=f"Forecast {count:,} products")


@huey.task()
def forecast_task(job_id: int) -> None:
    """Queue entry of a forecast job (one at a time)."""
    run_job(job_id, forecast_work)


# Which task runs a job of each kind.
TASKS: dict[str, Callable[[int], object]] = {
    SALES_SEND: send_upload_task,
    CATALOG_SYNC: catalog_sync_task,
    TRY_RATES: rates_task,
    ORDER_REQUEST: order_request_task,
    SOURCE_SYNC: source_sync_task,
    CHANNEL_SALES_PULL: channel_sales_task,
    FORECAST: forecast_task,
}
# The kinds started again after their worker died. Not an order request: its outcome is
# unknown until a person has it checked (it stays in Reorder's unresolved list).
RESTARTED_AFTER_A_CRASH = frozenset(
    {SALES_SEND, CATALOG_SYNC, TRY_RATES, CHANNEL_SALES_PULL, SOURCE_SYNC, FORECAST}
)
