"""Sales upload in Chromium: a send runs as a job, so closing the page does not stop it."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from lib.db import NewUpload, open_database
from lib.jobs.service import latest_job
from lib.jobs.tasks import SALES_SEND
from lib.sales.mapping import ColumnMapping
from lib.sales.upload import start_upload
from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread
from tests.e2e.conftest import RunningApp, assert_no_exception, wait_for_app

API_KEY = "pk_live_E2eSendingKey77"
DAYS = [date(2025, 11, 7), date(2025, 11, 8), date(2025, 11, 9)]


@pytest.fixture
def slow_sandbox() -> Iterator[RunningSandbox]:
    """The live API stand-in, answering every request after a second: a send takes a while."""
    config = SandboxConfig(
        api_key=API_KEY, rate_limits_enabled=False, fault_slow=1.0, slow_seconds=1.0
    )
    with start_in_thread(config) as running:
        yield running


def pending_upload(database_url: str, sandbox: RunningSandbox) -> None:
    """Three batches of sales waiting to be sent, as if the browser closed before sending."""
    products = [p.internal_id for p in sandbox.store.products[:1000]]
    totals = pd.DataFrame(
        {
            "ps_id": products * len(DAYS),
            "date": pd.Series([pd.Timestamp(d) for d in DAYS for _ in products]).astype(
                "datetime64[s]"
            ),
            "quantity": 2,
            "stock": pd.array([5] * len(products) * len(DAYS), dtype="Int64"),
            "rows": 1,
        }
    )
    upload = NewUpload(
        uploaded_by="Ayşe", file_name="satis.csv", file_sha256="ab" * 32, rows_in_file=3000,
        good_rows=3000, bad_rows=0,
    )  # fmt: skip
    session_factory = open_database(database_url).session_factory
    started = start_upload(
        session_factory, totals, upload, mapping=ColumnMapping("SKU", "Date", "Qty"), max_age_days=9
    )
    assert started.batches == 3


def test_a_send_goes_on_after_the_page_is_closed_and_is_complete_when_it_is_opened_again(
    start_app: Callable[..., RunningApp],
    page: Page,
    tmp_path: Path,
    slow_sandbox: RunningSandbox,
) -> None:
    app = start_app(
        env={
            "PLEASURESTOCK_API_KEY": API_KEY,
            "PLEASURESTOCK_BASE_URL": slow_sandbox.base_url,
            # Live mode without [auth] serves pages only when anonymous use is allowed.
            "STOCKDESK_ALLOW_ANONYMOUS": "true",
        }
    )
    pending_upload(f"sqlite:///{tmp_path / 'stockdesk.db'}", slow_sandbox)
    page.goto(f"{app.url}/sales-upload")
    wait_for_app(page, timeout_ms=60_000)
    assert_no_exception(page)

    page.get_by_role("button", name="Resume sending").click()
    expect(page.get_by_text(re.compile("Sending runs in the background"))).to_be_visible()
    context = page.context
    page.close()  # the browser goes away in the middle of the send (a batch takes 1 s)

    again = context.new_page()
    again.goto(f"{app.url}/sales-upload")
    wait_for_app(again, timeout_ms=60_000)
    assert_no_exception(again)
    # The worker finishes the send whether or not a page follows it.
    database = open_database(f"sqlite:///{tmp_path / 'stockdesk.db'}")
    deadline = time.monotonic() + 60
    while (job := latest_job(database.session_factory, SALES_SEND, "1")) is None or job.active:
        assert time.monotonic() < deadline, f"the send job is still {job}"
        time.sleep(0.5)
    assert job.state == "done" and job.message == "3,000 of 3,000 rows are stored."
    again.reload()
    wait_for_app(again, timeout_ms=60_000)
    assert_no_exception(again)
    expect(again.get_by_text("Upload in progress")).to_have_count(0)
    stored = [slow_sandbox.store.sales.get((p.internal_id, DAYS[0])) for p in
              slow_sandbox.store.products[:1000]]  # fmt: skip
    assert all(s is not None for s in stored)
