"""Retry decisions: only what cannot store anything twice is repeated."""

from __future__ import annotations

import pytest

from lib.pleasurestock.errors import (
    AuthenticationError,
    NetworkError,
    OutcomeUnknownError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from lib.upstream.retry import MAX_RETRY_AFTER_SECONDS, backoff_seconds, should_retry


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (NetworkError("refused"), True),
        (RateLimitedError("429", retry_after=1, status_code=429), True),
        (ServerError("500", status_code=500), True),
        (OutcomeUnknownError("lost", method="POST", path="sales"), False),
        (ValidationError("400", row_errors=[], status_code=400), False),
        (AuthenticationError("401", status_code=401), False),
    ],
)
def test_should_retry(error: Exception, retry: bool) -> None:
    assert should_retry(error) is retry


def test_backoff_doubles_with_equal_jitter() -> None:
    low = [backoff_seconds(n, jitter=lambda: 0.0) for n in (1, 2, 3, 4)]
    high = [backoff_seconds(n, jitter=lambda: 1.0) for n in (1, 2, 3, 4)]
    assert low == [0.25, 0.5, 1.0, 2.0]
    assert high == [0.5, 1.0, 2.0, 4.0]


def test_backoff_is_capped() -> None:
    assert backoff_seconds(30, jitter=lambda: 1.0) == 30.0


def test_retry_after_wins_but_is_capped() -> None:
    assert backoff_seconds(1, retry_after=7, jitter=lambda: 1.0) == 7
    assert backoff_seconds(1, retry_after=86400) == MAX_RETRY_AFTER_SECONDS
