"""Every httpx request failure lands in the client's error tree, and none shows the key;
a write's 2xx answer that contradicts itself is outcome unknown.

Most of these failures (a proxy refusing, a connection failing to close, a header h11
will not send) cannot be provoked from a test server, so httpx's MockTransport raises
each one, with the API key in its text as LocalProtocolError really carries it.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import date

import httpx
import pytest

from lib.pleasurestock import NetworkError, OutcomeUnknownError, PleasureStockClient
from lib.pleasurestock.models import SaleRow
from tests.support.sandboxes import UNLIMITED

API_KEY = "pk_live_TransportErrorKey0042"
# Nothing reached the server, so even a write is safely tried again.
NEVER_SENT = {
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
}


def _concrete(base: type[Exception]) -> list[type[Exception]]:
    """The leaf subclasses of ``base``: the errors httpx raises, without the groups."""
    found = []
    for cls in base.__subclasses__():
        found += [cls] if not cls.__subclasses__() else _concrete(cls)
    return found


REQUEST_ERRORS = _concrete(httpx.RequestError)


def test_the_cases_cover_every_error_the_issue_names() -> None:
    named = {httpx.ProxyError, httpx.DecodingError, httpx.CloseError, httpx.LocalProtocolError}
    assert named | {httpx.UnsupportedProtocol, httpx.ReadTimeout} <= set(REQUEST_ERRORS)


def _client(answer: Callable[[httpx.Request], httpx.Response]) -> PleasureStockClient:
    return PleasureStockClient(
        base_url="http://pleasurestock.test/api/v1",
        api_key=API_KEY,
        transport=httpx.MockTransport(answer),
        rate_limits=UNLIMITED,
        max_attempts=3,
        sleep=lambda seconds: None,
    )


def _failing(error: type[Exception], calls: list[str]) -> PleasureStockClient:
    """A client whose every request fails with ``error``, quoting the key as h11 would."""

    def fail(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        raise error(f"Illegal header value b'{API_KEY}'", request=request)

    return _client(fail)


def _shown(error: BaseException) -> str:
    return str(error) + repr(error) + "".join(traceback.format_exception(error))


@pytest.mark.parametrize("error", REQUEST_ERRORS, ids=lambda cls: cls.__name__)
def test_a_read_that_fails_in_transit_is_a_network_error_retried_without_the_key(
    error: type[Exception], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    calls: list[str] = []
    with _failing(error, calls) as client, pytest.raises(NetworkError) as caught:
        client.list_products(limit=1)
    assert calls == ["GET"] * 3
    assert API_KEY not in _shown(caught.value) + caplog.text


@pytest.mark.parametrize("error", REQUEST_ERRORS, ids=lambda cls: cls.__name__)
def test_a_write_that_fails_in_transit_is_outcome_unknown_and_sent_once_unless_never_sent(
    error: type[Exception], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    calls: list[str] = []
    row = SaleRow(internal_id="ps_abc123", date=date(2025, 11, 9), quantity=1)
    with _failing(error, calls) as client, pytest.raises((NetworkError, OutcomeUnknownError)) as c:
        client.submit_sales([row])
    if error in NEVER_SENT:
        assert isinstance(c.value, NetworkError)
        assert calls == ["POST"] * 3
    else:
        assert isinstance(c.value, OutcomeUnknownError)
        assert "may or may not have been stored" in str(c.value)
        assert calls == ["POST"]
    assert API_KEY not in _shown(c.value) + caplog.text


def test_a_write_answered_2xx_with_a_failure_body_is_outcome_unknown() -> None:
    # A success status with {"success": false}: one of the two is wrong, and if it is the
    # body, the sales are stored; sending them again would double them.
    def contradict(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"success": False, "error": "Temporarily unavailable"})

    row = SaleRow(internal_id="ps_abc123", date=date(2025, 11, 9), quantity=1)
    with (
        _client(contradict) as client,
        pytest.raises(OutcomeUnknownError, match="Temporarily unavailable"),
    ):
        client.submit_sales([row])
