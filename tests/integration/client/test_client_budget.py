"""One rate-limit budget per key and class, shared by every process: on a SQLite file with
its file lock and, when configured, on PostgreSQL.

The two-process test counts, in sliding windows, the times at which the processes'
requests were let through; they run on the real clock (a spawned process does not share
the tests' travelled one), and only the differences between those times matter.
"""

from __future__ import annotations

import bisect
import multiprocessing
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
import time_machine

from lib.pleasurestock import (
    DOCUMENTED_LIMITS,
    BudgetBusyError,
    PleasureStockClient,
    RateLimitPolicy,
)
from lib.pleasurestock.budget import CATALOG_SYNC, SALES_UPLOAD, Budget, key_fingerprint
from lib.pleasurestock.models import SaleRow
from lib.pleasurestock.ratelimit import STANDARD
from lib.sandbox import RunningSandbox
from lib.settings import Settings
from tests.support.budget_hammer import hammer
from tests.support.databases import database_urls_under_test, postgres_schema_engine, sqlite_url
from tests.support.peers import SleepLog

from .conftest import API_KEY, TODAY

MakeClient = Callable[..., PleasureStockClient]

BACKENDS = [
    pytest.param(backend, id=backend.name, marks=[pytest.mark.postgres] if backend.url else [])
    for backend in database_urls_under_test()
]
# 5 per second and 20 per 5 s: the 5-s window is passed within a few seconds.
SHORT = {STANDARD: ((1.0, 5), (5.0, 20))}
# Limits a few requests reach: 2 per second, 3 per minute, 4 per hour in every class.
TINY = {name: RateLimitPolicy(per_second=2, per_minute=3, per_hour=4) for name in DOCUMENTED_LIMITS}


def budget_url_for(database_url: str, tmp_path: Path) -> str:
    """Where the app would keep the budget for this database (``Settings.api_budget_url``)."""
    settings = Settings.from_secrets_file(
        tmp_path / "absent.toml", stockdesk_database_url=database_url
    )
    assert settings.api_budget_url is not None
    return settings.api_budget_url


@pytest.fixture(params=BACKENDS)
def budget_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The budget's storage beside a fresh SQLite database, or in a PostgreSQL schema."""
    backend = request.param
    if backend.url is None:
        yield budget_url_for(sqlite_url(tmp_path), tmp_path)
        return
    with postgres_schema_engine(backend.url) as engine:
        yield budget_url_for(engine.url.render_as_string(hide_password=False), tmp_path)


def most_in_any_window(times: list[float], seconds: float) -> int:
    """The most of ``times`` (sorted) that fall in any window ``[t, t + seconds)``."""
    return max(bisect.bisect_left(times, t + seconds) - i for i, t in enumerate(times))


def test_two_processes_on_one_key_never_exceed_one_budget(budget_url: str) -> None:
    # One process is background work (waits its turn, leaves the reserve), the other
    # interactive (waits up to 10 s); two threads each, as fast as the budget lets them.
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    fingerprint = uuid4().hex[:12]
    processes = [
        context.Process(
            target=hammer,
            args=(budget_url, fingerprint, SHORT, max_wait, 5.6, 2, start, results),
        )
        for max_wait in (None, 10.0)
    ]
    for process in processes:
        process.start()
    reports = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    sent = sorted(t for _, times, _ in reports for t in times)
    per_second, per_5s = most_in_any_window(sent, 1.0), most_in_any_window(sent, 5.0)
    print(
        f"{len(sent)} sent in {sent[-1] - sent[0]:.1f} s; most in 1 s {per_second}, in 5 s {per_5s}"
    )
    assert per_second <= 5
    assert per_5s <= 20
    assert len(sent) > 20  # the 5-s window was passed
    assert all(times and not refused for _, times, refused in reports)


def test_an_interactive_request_with_the_hour_spent_says_until_when_and_sends_nothing(
    tmp_path: Path,
) -> None:
    url = budget_url_for(sqlite_url(tmp_path), tmp_path)
    windows = {name: policy.windows() for name, policy in DOCUMENTED_LIMITS.items()}
    upload = Budget(url=url, fingerprint=key_fingerprint(API_KEY), windows=windows, max_wait=1.0)
    # An upload sent 1,000 batches, 10 every 6.1 s, from 40 minutes ago: the hour is spent,
    # the minute and the second are not.
    began = datetime.now(UTC) - timedelta(minutes=40)
    with time_machine.travel(began, tick=False) as traveller:
        for _ in range(100):
            for _ in range(10):
                upload.acquire(STANDARD, SALES_UPLOAD)
            traveller.shift(6.1)
    upload.close()
    sent: list[httpx.Request] = []
    client = PleasureStockClient(
        base_url="http://pleasurestock.test/api/v1",
        api_key=API_KEY,
        transport=httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(500)),
        budget_url=url,
        max_wait=5.0,
    )
    started = time.monotonic()
    with client, pytest.raises(BudgetBusyError) as refused:
        client.list_products(limit=1)
    waited = time.monotonic() - started
    print(f"refused after {waited:.3f} s: {refused.value}")
    assert waited <= 5.0 + 1
    # Free when the first batch leaves the hour (3,600 s + the 250 ms margin), shown as the
    # minute at or after that.
    free = began + timedelta(seconds=3600.25)
    shown = free.replace(second=0, microsecond=0) + timedelta(minutes=1)
    assert f"in use until {shown:%H:%M} UTC (a sales upload is sending)" in str(refused.value)
    assert sent == []


def test_an_interactive_request_waits_for_the_second_but_not_for_the_minute(
    budget_url: str,
) -> None:
    windows = {STANDARD: ((1.0, 2), (60.0, 3))}
    budget = Budget(url=budget_url, fingerprint=uuid4().hex[:12], windows=windows, max_wait=2.0)
    budget.acquire(STANDARD, CATALOG_SYNC)
    budget.acquire(STANDARD, CATALOG_SYNC)
    started = time.monotonic()
    budget.acquire(STANDARD, CATALOG_SYNC)  # the second is full: waits for it, then goes
    assert 0.9 <= time.monotonic() - started <= 2.0
    started = time.monotonic()
    with pytest.raises(BudgetBusyError, match=r"\(a catalog sync is running\)") as refused:
        budget.acquire(STANDARD)  # the minute is full: says so at once
    assert time.monotonic() - started < 1.0
    seconds_left = (refused.value.free_at - datetime.now(UTC)).total_seconds()
    assert 57.0 <= seconds_left <= 60.3
    assert {u.window_seconds: u.used for u in budget.usage()}[60.0] == 3  # nothing taken
    budget.close()


def test_background_work_leaves_a_reserve_for_interactive_requests(budget_url: str) -> None:
    windows = {STANDARD: ((1.0, 50), (5.0, 100))}
    fingerprint = uuid4().hex[:12]
    job = Budget(url=budget_url, fingerprint=fingerprint, windows=windows, max_wait=None)
    page = Budget(url=budget_url, fingerprint=fingerprint, windows=windows, max_wait=1.0)
    for _ in range(98):  # 50 at once, 48 a second later: all the job may take in 5 s
        job.acquire(STANDARD, SALES_UPLOAD)
    assert (job.free_at(STANDARD) - datetime.now(UTC)).total_seconds() > 2.0
    page.acquire(STANDARD)
    page.acquire(STANDARD)  # the 2 % the job left
    with pytest.raises(BudgetBusyError):
        page.acquire(STANDARD)
    assert {u.window_seconds: u.used for u in page.usage()}[5.0] == 100
    job.close()
    page.close()


def test_every_client_of_a_key_counts_the_requests_of_all(
    budget_url: str, sandbox: RunningSandbox, make_client: MakeClient
) -> None:
    first = make_client(sandbox.base_url, budget_url=budget_url)
    second = make_client(sandbox.base_url, budget_url=budget_url, max_wait=5.0)
    another_key = make_client(sandbox.base_url, api_key="pk_test_another", budget_url=budget_url)
    for _ in range(3):
        first.list_products(limit=1)
    for _ in range(2):
        second.list_products(limit=1)
    assert _used_this_hour(first) == _used_this_hour(second) == 5
    assert _used_this_hour(another_key) == 0


def test_a_catalog_sync_and_a_sales_upload_are_named_when_they_hold_the_budget(
    tmp_path: Path, sandbox: RunningSandbox, make_client: MakeClient
) -> None:
    catalog_url = budget_url_for(sqlite_url(tmp_path / "catalog"), tmp_path)
    job = make_client(sandbox.base_url, rate_limits=TINY, budget_url=catalog_url)
    assert len(job.fetch_catalog(page_size=1000)) == len(sandbox.store.products)  # 3 pages
    page = make_client(sandbox.base_url, rate_limits=TINY, budget_url=catalog_url, max_wait=1.0)
    with pytest.raises(BudgetBusyError, match=r"\(a catalog sync is running\)"):
        page.list_products(limit=1)

    sales_url = budget_url_for(sqlite_url(tmp_path / "sales"), tmp_path)
    job = make_client(sandbox.base_url, rate_limits=TINY, budget_url=sales_url)
    for quantity in (1, 2, 3):
        job.submit_sales([SaleRow(internal_id="ps_abc123", date=TODAY, quantity=quantity)])
    page = make_client(sandbox.base_url, rate_limits=TINY, budget_url=sales_url, max_wait=1.0)
    assert page.get_recommendations()  # another class (smart reordering) has its own budget
    with pytest.raises(BudgetBusyError, match=r"\(a sales upload is sending\)"):
        page.convert_to_try(Decimal(1), "EUR")
    assert _used_this_hour(page) == 3


def test_each_retry_counts_as_a_request_sent(
    make_sandbox: Callable[..., RunningSandbox], make_client: MakeClient
) -> None:
    flaky = make_sandbox(fault_429=0.5, fault_seed=7)
    sleep = SleepLog()
    client = make_client(flaky.base_url, sleep=sleep, max_attempts=10)
    for _ in range(10):
        client.list_products(limit=1)
    assert sleep.waits  # some were refused with a 429 and sent again
    assert _used_this_hour(client) == 10 + len(sleep.waits)


def _used_this_hour(client: PleasureStockClient) -> int:
    return next(
        u.used
        for u in client.rate_limit_usage()
        if u.rate_class == STANDARD and u.window_seconds == 3600
    )
