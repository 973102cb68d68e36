"""Faults and errors: every call is a read, so 429, 500 and dropped answers are retried;
the rate limit answers 429 {"detail"}; an error body that is not the documented one
still gives a message; the API key never reaches a log line or a message."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

from lib.psrestful import ApiError, PsRestfulClient, RateLimitedError
from lib.sandbox.psrestful import RunningPsRestfulSandbox
from tests.support.peers import SleepLog

from .conftest import API_KEY

MakeClient = Callable[..., PsRestfulClient]
MakeSandbox = Callable[..., RunningPsRestfulSandbox]


@pytest.mark.parametrize(
    "fault",
    [{"fault_429": 0.5}, {"fault_500": 0.5}, {"fault_drop": 0.5}],
    ids=["429", "500", "drop"],
)
def test_a_failed_read_is_retried_and_succeeds(
    fault: dict[str, float], make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    flaky = make_sandbox(fault_seed=5, **fault)
    sleep = SleepLog()
    client = make_client(flaky.base_url, sleep=sleep, max_attempts=12, page_size=5)
    expected = sum(1 for s in flaky.store.styles if s.supplier == "HIT")
    for _ in range(3):
        assert len(client.products("HIT")) == expected
    assert sleep.waits  # some attempt failed and was retried


def test_the_sandbox_rate_limit_is_a_429_with_the_documented_body(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    strict = make_sandbox(rate_limit_per_second=1)
    client = make_client(strict.base_url, max_attempts=1)
    client.suppliers()
    with pytest.raises(RateLimitedError, match="Rate limit exceeded"):
        client.suppliers()
    assert strict.store.rate_limited == 1
    strict.store.clock.advance(1)
    assert len(client.suppliers()) == 5


def test_an_error_body_that_is_not_documented_still_gives_a_message() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"message": f"bad key {API_KEY} for supplier_code"})

    client = PsRestfulClient(
        base_url="https://api.psrestful.com",
        api_key=API_KEY,
        transport=httpx.MockTransport(answer),
        requests_per_second=10_000,
    )
    with pytest.raises(ApiError, match="HTTP 400 \\(server said: bad key \\*\\*\\* for") as caught:
        client.products("SanMar")
    assert API_KEY not in str(caught.value)
    client.close()


def test_the_key_never_reaches_a_log_line(
    make_sandbox: MakeSandbox, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    flaky = make_sandbox(fault_seed=3, fault_500=0.3, fault_drop=0.2)
    caplog.set_level(logging.DEBUG)
    client = make_client(flaky.base_url, max_attempts=12)
    client.products("PCNA")
    client.inventory("PCNA")
    with pytest.raises(ApiError):
        make_client(flaky.base_url, api_key="psr_live_Wrong0000000001", max_attempts=1).brands(
            "PCNA"
        )
    assert caplog.records  # httpx and the client did log
    text = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert API_KEY not in text and "psr_live_Wrong0000000001" not in text
