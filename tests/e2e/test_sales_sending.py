"""Sales upload in Chromium while a send runs: the page says a click would stop it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from lib.db import NewUpload, open_database
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


def test_while_sending_the_page_says_a_click_would_stop_it(
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
    progress = page.get_by_test_id("stProgress").filter(has_text=re.compile("Sending|rows sent"))
    expect(progress).to_be_visible()
    expect(
        page.get_by_text(re.compile("do not click anything on it until sending ends"))
    ).to_be_visible()
    expect(progress).to_be_visible()  # still sending while the warning shows

    wait_for_app(page, timeout_ms=60_000)
    assert_no_exception(page)
    expect(page.get_by_text("3,000 of 3,000 rows are stored")).to_be_visible()
    expect(page.get_by_text(re.compile("do not click anything"))).to_have_count(0)
