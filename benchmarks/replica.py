"""A dashboard replica without the browser: a process that calls what the pages call.

It builds the pages' two clients as ``lib.ui.resources`` does (the pages' one waits at
most ``API_BUDGET_WAIT_SECONDS``, the jobs' one waits its turn), attaches to the shared
queue as ``page_setup`` does with ``STOCKDESK_EMBEDDED_WORKER=false``, then: maybe stores
an upload and starts its send (Sales upload), starts the catalog sync at the moment every
replica does (Overview's Sync now), checks the connection now and then (Overview), and
follows its jobs' rows as the pages do until they end.
"""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.bench_sales_upload import product_days
from lib.db import JobRecord, NewUpload, open_database
from lib.jobs.embedded import attach_app
from lib.jobs.runs import Runtime
from lib.jobs.schedules import daily_schedules
from lib.jobs.service import get_job, start_job
from lib.jobs.tasks import CATALOG_SYNC
from lib.pleasurestock import PleasureStockClient
from lib.pleasurestock.connection import check_connection
from lib.sales.background import upload_and_start_sending
from lib.sales.mapping import ColumnMapping
from lib.settings import Settings, load_settings

# How often (s) a replica reads its jobs' rows again, as the pages' fragments do.
FOLLOW_EVERY = 0.5
# How long (s) a replica waits for the others before it gives up.
MEET_TIMEOUT = 180


def upload_totals(rows: int, today: date) -> pd.DataFrame:
    """``rows`` distinct product-days to upload, each sold at least once (so a product-day
    sent twice shows as twice its quantity in the sandbox)."""
    totals = product_days(rows, today)
    totals["quantity"] += 1
    return totals


def store_and_send(
    session_factory: sessionmaker[Session], totals: pd.DataFrame, *, by: str
) -> JobRecord:
    """Store ``totals`` as an upload and start its send job, as Sales upload's Send does."""
    upload = NewUpload(by, "bench.csv", "0" * 64, len(totals), len(totals), 0)
    mapping = ColumnMapping("sku", "date", "quantity")
    job = upload_and_start_sending(
        session_factory, totals, upload, mapping=mapping, max_age_days=365
    )
    assert job is not None, "the upload had nothing new to send"
    return job


@dataclass(frozen=True)
class Plan:
    """What one replica does: its name, an upload to send (or None), and when (s after the
    meeting) it checks the connection."""

    name: str
    upload: pd.DataFrame | None
    checks_at: tuple[float, ...]


@dataclass(frozen=True)
class Check:
    """One connection check on the pages' client: when, how long it took, what it said."""

    at: float
    seconds: float
    error: str | None


@dataclass
class Outcome:
    """What a replica saw: the jobs its calls returned, its checks, or its traceback."""

    name: str
    catalog_job: int | None = None
    send_job: int | None = None
    checks: list[Check] = field(default_factory=list)
    failure: str | None = None


def _clients(settings: Settings) -> tuple[PleasureStockClient, PleasureStockClient]:
    """The pages' client and the jobs' client, both on the key's shared budget."""

    def client(max_wait: float | None) -> PleasureStockClient:
        return PleasureStockClient(
            base_url=settings.pleasurestock_base_url,
            api_key=settings.pleasurestock_api_key,
            timeout=settings.request_timeout_seconds,
            budget_url=settings.api_budget_url,
            max_wait=max_wait,
        )

    return client(settings.api_budget_wait_seconds), client(None)


def _follow(session_factory: sessionmaker[Session], job_ids: list[int]) -> None:
    """Read the jobs' rows every ``FOLLOW_EVERY`` s until none is active."""
    while True:
        jobs = [get_job(session_factory, job_id) for job_id in job_ids]
        if not any(job is not None and job.active for job in jobs):
            return
        time.sleep(FOLLOW_EVERY)


def _act(plan: Plan, meeting: Any, outcome: Outcome) -> None:
    settings = load_settings()
    database = open_database(settings.stockdesk_database_url)
    pages_client, jobs_client = _clients(settings)
    runtime = Runtime(database.session_factory, jobs_client, daily_schedules(settings))
    attach_app(
        settings.stockdesk_database_url,
        runtime,
        embedded_worker=settings.stockdesk_embedded_worker,
    )
    followed = []
    if plan.upload is not None:
        outcome.send_job = store_and_send(database.session_factory, plan.upload, by=plan.name).id
        followed.append(outcome.send_job)
    meeting.wait(timeout=MEET_TIMEOUT)
    met = time.monotonic()
    outcome.catalog_job = start_job(database.session_factory, CATALOG_SYNC, by=plan.name).id
    followed.append(outcome.catalog_job)
    for at in plan.checks_at:
        time.sleep(max(0.0, met + at - time.monotonic()))
        started = time.monotonic()
        check = check_connection(pages_client)
        outcome.checks.append(Check(at, time.monotonic() - started, check.error))
    _follow(database.session_factory, followed)
    pages_client.close()
    jobs_client.close()


def run(plan: Plan, env: dict[str, str], meeting: Any, outcomes: Any) -> None:
    """Entry of a replica process: act out ``plan`` with ``env`` set, meeting the other
    replicas at ``meeting`` (a Barrier); puts its ``Outcome`` on ``outcomes`` (a Queue)."""
    os.environ.update(env)
    outcome = Outcome(plan.name)
    try:
        _act(plan, meeting, outcome)
    except Exception:  # reported by the benchmark, which then stops
        outcome.failure = traceback.format_exc()
    outcomes.put(outcome)
