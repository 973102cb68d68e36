"""The bearer token: required, refused clearly when wrong or expired, never in an error,
a log or a repr; the server's own words in errors; 500, 429 and dropped answers retried
(every call is a read); nothing ever written."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

import httpx
import pytest

from lib.price2b import (
    AuthenticationError,
    ConfigurationError,
    PermissionDeniedError,
    Price2BClient,
    Price2BError,
    RateLimitedError,
)
from lib.sandbox.price2b import RunningPrice2BSandbox
from tests.support.peers import SleepLog

from .conftest import TOKEN

MakeClient = Callable[..., Price2BClient]
MakeSandbox = Callable[..., RunningPrice2BSandbox]
WRONG = "p2b_wrong_token_Zq81"


def test_no_token_fails_at_construction_naming_the_setting() -> None:
    with pytest.raises(ConfigurationError, match="PRICE2B_TOKEN"):
        Price2BClient(base_url="https://app.price2b.com/api", token="  ")


def test_a_wrong_token_is_refused_without_showing_it(
    sandbox: RunningPrice2BSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url, token=WRONG)
    with pytest.raises(AuthenticationError) as caught:
        client.list_products()
    assert "PRICE2B_TOKEN" in str(caught.value)
    assert "server said: Unauthenticated." in str(caught.value)
    assert WRONG not in str(caught.value) + repr(client) + repr(caught.value)


def test_an_expired_token_is_refused_once_not_retried(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    expiring = make_sandbox(token_ttl_seconds=60)
    client = make_client(expiring.base_url)
    assert client.list_products(per_page=1).products
    expiring.store.clock.advance(61)
    with pytest.raises(AuthenticationError, match="expired"):
        client.list_products(per_page=1)
    assert expiring.store.requests == 2


def test_a_token_without_the_read_scope_is_told_which_scope_to_ask_for(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    scoped = make_sandbox(tokens={TOKEN: "orders:read"})
    with pytest.raises(PermissionDeniedError, match="with the inventory:read scope"):
        make_client(scoped.base_url).get_stock("12345")
    assert scoped.store.requests == 1


def test_a_success_false_answer_or_one_without_data_is_an_error() -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, json={"success": False, "message": "Nope"})
    )
    client = Price2BClient(base_url="https://app.price2b.com/api", token=TOKEN, transport=transport)
    with pytest.raises(Price2BError, match=r"without its data \(HTTP 200 \(server said: Nope\)"):
        client.list_products()


@pytest.mark.parametrize(
    "fault",
    [{"fault_429": 0.5}, {"fault_500": 0.5}, {"fault_drop": 0.5}, {"fault_unreadable": 0.3}],
    ids=["429", "500", "drop", "unreadable"],
)
def test_a_failed_read_is_retried_and_the_whole_list_arrives(
    fault: dict[str, float], make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    flaky = make_sandbox(fault_seed=5, **fault)
    sleep = SleepLog()
    client = make_client(flaky.base_url, sleep=sleep, max_attempts=12, per_page=20)
    if "fault_unreadable" in fault:
        # An unreadable 200 is an error, not retried: nothing half-read is returned.
        with pytest.raises(Price2BError):
            for _ in range(20):
                client.list_products(per_page=5)
        return
    products = list(client.iter_products())
    assert len(products) == 494
    assert flaky.store.requests > 25 and sleep.waits
    assert flaky.store.write_calls == []
    if "fault_429" in fault:
        # The sandbox's Retry-After: 1 is honoured.
        assert set(sleep.waits) == {1.0}


def test_a_429_that_outlasts_the_retries_says_what_to_do(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    limited = make_sandbox(fault_429=1.0)
    with pytest.raises(RateLimitedError, match="PRICE2B_REQUESTS_PER_SECOND") as caught:
        make_client(limited.base_url, max_attempts=3).list_products()
    assert caught.value.retry_after == 1.0
    assert limited.store.requests == 3


def test_no_token_reaches_an_error_a_log_or_a_repr(
    make_sandbox: MakeSandbox, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    failing = make_sandbox(fault_500=0.5, fault_drop=0.2, fault_seed=1)
    client = make_client(failing.base_url, max_attempts=2)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(Price2BError) as caught:
        for _ in range(30):
            client.get_stock("12345")
    shown = "".join(traceback.format_exception(caught.value)) + caplog.text + repr(client)
    assert "retrying GET /v1/inventory/products/12345/stock" in caplog.text
    assert TOKEN not in shown
