"""The shared rate-limit budget's arithmetic: windows, reserve, "free at", counts, message."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from pyrate_limiter import Rate, validate_rate_list

from lib.pleasurestock import BudgetBusyError, PleasureStockError
from lib.pleasurestock.budget import (
    CATALOG_SYNC,
    OTHER,
    SALES_UPLOAD,
    Budget,
    count_since,
    enforced_rates,
    free_at_ms,
    key_fingerprint,
    reason,
)
from lib.pleasurestock.ratelimit import DOCUMENTED_LIMITS, RateLimitPolicy


def newest_first(*stamps: int):
    """A bucket's ``newest(n)`` over literal stamps, given newest first."""
    return lambda n: stamps[n] if n < len(stamps) else None


def test_documented_limits_per_class() -> None:
    assert DOCUMENTED_LIMITS["standard"] == RateLimitPolicy(10, 100, 1000)
    assert DOCUMENTED_LIMITS["external"] == RateLimitPolicy(20, 200, 5000)
    assert DOCUMENTED_LIMITS["smart_reordering"] == RateLimitPolicy(2, 10, 100)


def test_every_window_is_250_ms_longer_than_pleasurestocks() -> None:
    rates = enforced_rates(DOCUMENTED_LIMITS["standard"].windows(), reserve=False)
    assert [(r.limit, r.interval) for r in rates] == [(10, 1250), (100, 60250), (1000, 3600250)]


def test_background_work_leaves_two_percent_of_the_minute_and_hour() -> None:
    standard = enforced_rates(DOCUMENTED_LIMITS["standard"].windows(), reserve=True)
    assert [r.limit for r in standard] == [10, 98, 980]
    smart = enforced_rates(DOCUMENTED_LIMITS["smart_reordering"].windows(), reserve=True)
    assert [r.limit for r in smart] == [2, 9, 98]
    # Where a reserve would leave a window no bigger than the shorter one, there is none.
    assert [r.limit for r in enforced_rates(((1.0, 2), (60.0, 3)), reserve=True)] == [2, 3]


@pytest.mark.parametrize("reserve", [False, True])
@pytest.mark.parametrize("rate_class", sorted(DOCUMENTED_LIMITS))
def test_every_class_is_a_rate_list_pyrate_accepts(rate_class: str, reserve: bool) -> None:
    assert validate_rate_list(
        enforced_rates(DOCUMENTED_LIMITS[rate_class].windows(), reserve=reserve)
    )


RATES = [Rate(2, 1000), Rate(4, 5000)]


def test_an_empty_budget_is_free_now() -> None:
    assert free_at_ms(RATES, newest_first(), 10_000) == 10_000


def test_a_full_second_frees_when_its_older_request_leaves_it() -> None:
    assert free_at_ms(RATES, newest_first(9_900, 9_800), 10_000) == 10_801


def test_the_longest_full_window_decides_not_the_first() -> None:
    # Both windows are full; pyrate's own wait would answer for the second (801 ms).
    stamps = newest_first(9_900, 9_800, 7_000, 6_000)
    assert free_at_ms(RATES, stamps, 10_000) == 11_001


def test_requests_that_left_their_window_do_not_count() -> None:
    assert free_at_ms(RATES, newest_first(3_000, 2_000, 1_500, 1_000), 10_000) == 10_000


def test_a_request_on_the_edge_of_its_window_still_counts() -> None:
    # Counted while stamp >= now - interval: at now = 9_800 + 1_000 it still is.
    assert free_at_ms(RATES, newest_first(10_500, 9_800), 10_800) == 10_801


def test_count_since_counts_the_requests_in_a_window() -> None:
    stamps = newest_first(10, 8, 8, 5, 1)
    assert count_since(8, stamps, 5) == 3
    assert count_since(0, stamps, 5) == 5
    assert count_since(11, stamps, 5) == 0
    assert count_since(5, stamps, 2) == 2  # never more than the bound it is given


def test_the_reason_names_what_used_the_budget() -> None:
    assert reason(SALES_UPLOAD) == "a sales upload is sending"
    assert reason(CATALOG_SYNC) == "a catalog sync is running"
    assert reason(OTHER) == reason(None) == reason("from a newer StockDesk")
    assert reason(OTHER) == "other StockDesk requests"


def test_the_busy_message_says_until_when_rounded_up_to_the_minute() -> None:
    error = BudgetBusyError(
        rate_class="standard",
        free_at=datetime(2026, 12, 1, 9, 20, 0, 250_000, tzinfo=UTC),
        reason="a sales upload is sending",
    )
    assert isinstance(error, PleasureStockError)  # pages show it with show_error
    assert str(error) == (
        "The API budget is in use until 09:21 UTC (a sales upload is sending). "
        "Nothing was sent; try again then."
    )
    on_the_minute = datetime(2026, 12, 1, 23, 59, tzinfo=UTC)
    assert "until 23:59 UTC" in str(
        BudgetBusyError(rate_class="x", free_at=on_the_minute, reason="r")
    )


def test_the_fingerprint_names_the_key_without_giving_it_away() -> None:
    first, second = key_fingerprint("pk_live_first"), key_fingerprint("pk_live_second")
    assert len(first) == 12 and int(first, 16) >= 0
    assert first != second and "first" not in first


def _in_process(max_wait: float | None) -> Budget:
    windows = {"standard": DOCUMENTED_LIMITS["standard"].windows()}
    return Budget(url=None, fingerprint="f" * 12, windows=windows, max_wait=max_wait)


def test_usage_reports_each_window() -> None:
    budget = _in_process(None)
    for _ in range(7):
        budget.acquire("standard")
    usage = {u.window_seconds: (u.used, u.limit) for u in budget.usage()}
    assert usage == {1.0: (7, 10), 60.0: (7, 100), 3600.0: (7, 1000)}
    budget.close()


def test_background_work_waits_its_turn() -> None:
    budget = _in_process(None)
    for _ in range(10):
        budget.acquire("standard")
    started = time.monotonic()
    budget.acquire("standard")
    assert 1.0 <= time.monotonic() - started <= 2.0  # the second's window, plus 250 ms
    budget.close()


def test_an_interactive_request_past_its_wait_is_refused_and_takes_nothing() -> None:
    budget = _in_process(0.2)
    for _ in range(10):
        budget.acquire("standard", SALES_UPLOAD)
    started = time.monotonic()
    with pytest.raises(BudgetBusyError, match=r"\(a sales upload is sending\)") as refused:
        budget.acquire("standard")
    assert time.monotonic() - started < 0.5
    seconds_left = (refused.value.free_at - datetime.now(UTC)).total_seconds()
    assert 0.5 < seconds_left <= 1.3
    assert {u.window_seconds: u.used for u in budget.usage()}[1.0] == 10
    budget.close()
