"""Faults on reads (the POST searches included): 429 without Retry-After, 500 and dropped
connections are retried, because a search stores nothing; nothing is ever written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lib.sandbox.stock2shop import RunningStock2ShopSandbox
from lib.stock2shop import RateLimitedError, Stock2ShopClient
from tests.support.peers import SleepLog

MakeClient = Callable[..., Stock2ShopClient]
MakeSandbox = Callable[..., RunningStock2ShopSandbox]


@pytest.mark.parametrize(
    "fault",
    [{"fault_429": 0.5}, {"fault_500": 0.5}, {"fault_drop": 0.5}],
    ids=["429", "500", "drop"],
)
def test_a_failed_search_is_retried_and_succeeds(
    fault: dict[str, float], make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    flaky = make_sandbox(fault_seed=5, **fault)
    sleep = SleepLog()
    client = make_client(flaky.base_url, sleep=sleep, max_attempts=12)
    for _ in range(6):
        assert len(client.search_orders({"match_all": {}}, size=3).records) == 3
    assert sleep.waits  # some attempt failed and was retried
    assert flaky.store.write_calls == []


def test_the_sandbox_refuses_a_second_request_within_a_second(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    # The sandbox clock stands still: login and listing fall in the same second.
    strict = make_sandbox(rate_limit_per_second=1)
    client = make_client(strict.base_url, max_attempts=1)  # pace far above 1/s
    with pytest.raises(RateLimitedError, match="rate limit"):
        client.list_channels()
    assert strict.store.rate_limited == 1
    strict.store.clock.advance(1)
    assert [c.id for c in client.list_channels()] == ["47", "191", "255"]
