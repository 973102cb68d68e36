"""Faults: rate limits, lost or unreadable answers, server errors, bad keys, and the key never
leaking."""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import Callable
from datetime import date

import pytest

from lib.pleasurestock import (
    DOCUMENTED_LIMITS,
    ApiError,
    AuthenticationError,
    ConfigurationError,
    NetworkError,
    OutcomeUnknownError,
    PleasureStockClient,
    RateLimitedError,
    ServerError,
)
from lib.pleasurestock.models import OrderLine, SaleRow
from lib.sandbox import RunningSandbox
from lib.sandbox.faults import UNREADABLE_BODIES
from tests.support.peers import SleepLog

from .conftest import API_KEY

MakeSandbox = Callable[..., RunningSandbox]
MakeClient = Callable[..., PleasureStockClient]


def _row(product: str = "ps_abc123", quantity: int = 5) -> SaleRow:
    return SaleRow(internal_id=product, date=date(2025, 11, 9), quantity=quantity)


def test_documented_client_limits_never_meet_the_servers_429(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    strict = make_sandbox(rate_limits_enabled=True)  # documented: 10/s, 100/min standard
    client = make_client(strict.base_url, rate_limits=DOCUMENTED_LIMITS, max_attempts=1)
    for _ in range(25):  # 2.5 bursts: the client must pace itself over ~2 s
        client.list_products(limit=1)
    # max_attempts=1: a single 429 would have raised RateLimitedError.


def test_concurrent_catalog_fetches_within_documented_limits_never_meet_a_429(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    # Threads parsing 1,000-product pages hold the GIL, so a request can reach the
    # server well after its slot was taken; the limiter must still count it right.
    strict = make_sandbox(rate_limits_enabled=True)
    client = make_client(strict.base_url, rate_limits=DOCUMENTED_LIMITS, max_attempts=1)
    for _ in range(10):
        assert len(client.fetch_catalog(page_size=1000)) == len(strict.store.products)


def test_a_429_waits_for_retry_after_then_succeeds(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    flaky = make_sandbox(fault_429=0.5, fault_seed=7)
    sleep = SleepLog()
    client = make_client(flaky.base_url, sleep=sleep, max_attempts=10)
    for _ in range(10):
        assert client.list_products(limit=1).data
    assert sleep.waits and set(sleep.waits) == {1.0}  # the sandbox's Retry-After: 1


def test_a_write_refused_with_429_is_retried_because_nothing_was_stored(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    flaky = make_sandbox(fault_429=0.5, fault_seed=3)
    client = make_client(flaky.base_url, sleep=SleepLog(), max_attempts=10)
    key = ("ps_abc123", date(2025, 11, 9))
    for _ in range(6):
        client.submit_sales([_row(quantity=1)])
    assert flaky.store.sales[key][0] == 6


def test_429_that_never_ends_raises_rate_limited(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    always = make_sandbox(fault_429=1.0)
    sleep = SleepLog()
    client = make_client(always.base_url, sleep=sleep, max_attempts=3)
    with pytest.raises(RateLimitedError) as caught:
        client.list_products(limit=1)
    assert len(sleep.waits) == 2
    assert caught.value.retry_after == 1.0
    assert "Wait a minute and try again" in str(caught.value)


def test_dropped_connection_after_storing_is_outcome_unknown_and_not_resent(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    dropping = make_sandbox(fault_drop=1.0)
    client = make_client(dropping.base_url, sleep=SleepLog())
    with pytest.raises(OutcomeUnknownError) as caught:
        client.submit_sales([_row(quantity=4)])
    assert caught.value.method == "POST"
    assert "may or may not have been stored" in str(caught.value)
    # Stored exactly once: the client did not retry (a retry would have made it 8).
    assert dropping.store.sales[("ps_abc123", date(2025, 11, 9))][0] == 4


def test_order_creation_with_a_lost_answer_is_not_repeated(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    dropping = make_sandbox(fault_drop=1.0)
    client = make_client(dropping.base_url, sleep=SleepLog())
    orders_before = len(dropping.store.orders)
    product = dropping.store.products[0].internal_id
    with pytest.raises(OutcomeUnknownError):
        client.create_orders([OrderLine(ps_id=product, quantity=1)], external_order_id="SD-X")
    assert len(dropping.store.orders) == orders_before + 1


def test_server_error_on_a_write_is_outcome_unknown_without_retry(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    failing = make_sandbox(fault_500=1.0)
    sleep = SleepLog()
    client = make_client(failing.base_url, sleep=sleep)
    with pytest.raises(OutcomeUnknownError, match="HTTP 500"):
        client.submit_sales([_row()])
    assert sleep.waits == []


def test_server_error_on_a_read_is_retried_then_reported(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    failing = make_sandbox(fault_500=1.0)
    sleep = SleepLog()
    client = make_client(failing.base_url, sleep=sleep, max_attempts=4, jitter=lambda: 0.0)
    with pytest.raises(ServerError, match="internal error"):
        client.list_products(limit=1)
    assert sleep.waits == [0.25, 0.5, 1.0]  # exponential backoff, jitter pinned to 0


def test_slow_answer_to_a_write_is_outcome_unknown(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    slow = make_sandbox(fault_slow=1.0, slow_seconds=2.0)
    client = make_client(slow.base_url, timeout=0.3, sleep=SleepLog())
    with pytest.raises(OutcomeUnknownError, match="ReadTimeout"):
        client.submit_sales([_row()])


def test_unreachable_server_is_a_network_error_after_retries(make_client: MakeClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    sleep = SleepLog()
    client = make_client(f"http://127.0.0.1:{closed_port}/api/v1", sleep=sleep, max_attempts=3)
    with pytest.raises(NetworkError, match="PLEASURESTOCK_BASE_URL"):
        client.submit_sales([_row()])  # never sent, so even a write is safely retried
    assert len(sleep.waits) == 2


def test_wrong_key_is_an_authentication_error_that_says_what_to_do(
    sandbox: RunningSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url, api_key="pk_live_wrong")
    with pytest.raises(AuthenticationError, match="Check the API key in Settings"):
        client.list_products(limit=1)
    with pytest.raises(AuthenticationError):
        client.list_orders()


def test_missing_key_fails_at_construction_saying_where_to_set_it() -> None:
    with pytest.raises(ConfigurationError, match="PLEASURESTOCK_API_KEY"):
        PleasureStockClient(base_url="http://127.0.0.1:1/api/v1", api_key="  ")


def test_the_key_never_appears_in_logs_errors_reprs_or_tracebacks(
    make_sandbox: MakeSandbox, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    flaky = make_sandbox(fault_429=0.3, fault_500=0.3, fault_drop=0.2, fault_seed=11)
    client = make_client(flaky.base_url, sleep=SleepLog())
    wrong_key = make_client(flaky.base_url, api_key=API_KEY + "x", sleep=SleepLog())
    texts = [repr(client), str(client)]
    for call in (
        lambda: client.list_products(limit=1),
        lambda: client.submit_sales([_row()]),
        lambda: client.get_order("ORD-NOPE"),
        lambda: wrong_key.list_orders(),
    ):
        try:
            call()
        except Exception as error:  # every outcome is inspected, whatever its type
            texts += [str(error), repr(error), "".join(traceback.format_exception(error))]
    texts.append(caplog.text)
    assert caplog.text  # the requests were logged…
    for text in texts:
        assert API_KEY not in text  # …but never with the key


def test_a_client_without_its_own_limits_recovers_from_the_servers_429s(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    # Standard class scaled to 3/s, 30/min; this client does not pace itself and
    # really sleeps, so it must honour Retry-After to get all eight answers.
    strict = make_sandbox(rate_limits_enabled=True, rate_limit_scale=0.3)
    client = make_client(strict.base_url, max_attempts=5)
    for _ in range(8):
        assert client.list_products(limit=1).data


def test_a_write_answered_200_with_an_unreadable_body_is_outcome_unknown_and_not_resent(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    # The sandbox stores each write, then answers 200 with each unreadable body in turn.
    unreadable = make_sandbox(fault_unreadable=1.0)
    sleep = SleepLog()
    client = make_client(unreadable.base_url, sleep=sleep)
    for n, body in enumerate(UNREADABLE_BODIES, start=1):
        day = date(2025, 11, n)
        with pytest.raises(OutcomeUnknownError, match="may or may not have been stored") as caught:
            client.submit_sales([SaleRow(internal_id="ps_abc123", date=day, quantity=n)])
        assert (caught.value.method, caught.value.path) == ("POST", "sales"), body
        # Stored exactly once: the client neither retried nor took it for "not stored".
        assert unreadable.store.sales[("ps_abc123", day)] == (n, None), body
    assert sleep.waits == []


def test_order_writes_answered_200_with_an_unreadable_body_are_outcome_unknown(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    unreadable = make_sandbox(fault_unreadable=1.0)
    client = make_client(unreadable.base_url, sleep=SleepLog())
    store = unreadable.store
    orders_before = len(store.orders)
    with pytest.raises(OutcomeUnknownError):
        client.create_orders(
            [OrderLine(ps_id=store.products[0].internal_id, quantity=1)], external_order_id="SD-U"
        )
    assert len(store.orders) == orders_before + 1
    created = store.orders[-1]
    with pytest.raises(OutcomeUnknownError):  # not "refused": the move was applied
        client.update_order_status(created.order_number, "paid")
    assert created.status == "paid"


def test_a_read_answered_200_with_an_unreadable_body_says_it_cannot_be_read(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    unreadable = make_sandbox(fault_unreadable=1.0)
    client = make_client(unreadable.base_url, sleep=SleepLog(), max_attempts=1)
    with pytest.raises(ApiError, match="not JSON"):
        client.list_products(limit=1)


def test_a_key_that_cannot_go_in_a_header_fails_at_construction_without_quoting_it(
    sandbox: RunningSandbox,
) -> None:
    # Sent as is, httpx would raise LocalProtocolError("Illegal header value b'…'"): the key.
    pasted = "pk_live_Zq8sandbox\nSECRETkey42"
    with pytest.raises(ConfigurationError, match="PLEASURESTOCK_API_KEY") as caught:
        PleasureStockClient(base_url=sandbox.base_url, api_key=pasted)
    shown = (
        str(caught.value) + repr(caught.value) + "".join(traceback.format_exception(caught.value))
    )
    assert "SECRET" not in shown
