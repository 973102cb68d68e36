"""Every httpx request failure lands in the client's error tree, and none shows the key.

Most of these failures (a proxy refusing, a connection failing to close, a header h11
will not send) cannot be provoked from a test server, so httpx's MockTransport raises
each one, with the API key in its text as LocalProtocolError really carries it.
"""

from __future__ import annotations

import logging
import traceback
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
    """``base`` and all its subclasses that httpx itself raises (no abstract groups)."""
    found = []
    for cls in base.__subclasses__():
        found += [cls] if not cls.__subclasses__() else _concrete(cls)
    return found


REQUEST_ERRORS = _concrete(httpx.RequestError)


def test_the_family_is_the_whole_of_httpx_request_errors() -> None:
    named = {httpx.ProxyError, httpx.DecodingError, httpx.CloseError, httpx.LocalProtocolError}
    assert named | {httpx.UnsupportedProtocol, httpx.ReadTimeout} <= set(REQUEST_ERRORS)


def _client(error: type[Exception], calls: list[str]) -> PleasureStockClient:
    def fail(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        raise error(f"Illegal header value b'{API_KEY}'", request=request)

    return PleasureStockClient(
        base_url="http://pleasurestock.test/api/v1",
        api_key=API_KEY,
        transport=httpx.MockTransport(fail),
        rate_limits=UNLIMITED,
        max_attempts=3,
        sleep=lambda seconds: None,
    )


def _shown(error: BaseException) -> str:
    return str(error) + repr(error) + "".join(traceback.format_exception(error))


@pytest.mark.parametrize("error", REQUEST_ERRORS, ids=lambda cls: cls.__name__)
def test_a_read_that_fails_in_transit_is_a_network_error_retried_without_the_key(
    error: type[Exception], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    calls: list[str] = []
    with _client(error, calls) as client, pytest.raises(NetworkError) as caught:
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
    with _client(error, calls) as client, pytest.raises((NetworkError, OutcomeUnknownError)) as c:
        client.submit_sales([row])
    if error in NEVER_SENT:
        assert isinstance(c.value, NetworkError)
        assert calls == ["POST"] * 3
    else:
        assert isinstance(c.value, OutcomeUnknownError)
        assert "may or may not have been stored" in str(c.value)
        assert calls == ["POST"]
    assert API_KEY not in _shown(c.value) + caplog.text
