"""Logging in: roles and the admin warning, one fresh login when the token expires, a
clear failure when even a fresh token is refused, and no token or password in any text."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

import pytest

from lib.sandbox.stock2shop import RunningStock2ShopSandbox
from lib.stock2shop import NO_ROLE_WARNING, AuthenticationError, Stock2ShopClient, Stock2ShopError

from .conftest import PASSWORD

MakeClient = Callable[..., Stock2ShopClient]
MakeSandbox = Callable[..., RunningStock2ShopSandbox]


def test_a_read_only_user_logs_in_without_warning(
    sandbox: RunningStock2ShopSandbox, make_client: MakeClient
) -> None:
    session = make_client(sandbox.base_url).authenticate()
    assert session.roles == ("read_only",)
    assert session.client_id == "21"
    assert session.warning is None


def test_a_user_with_no_role_is_an_admin_and_says_so(
    sandbox: RunningStock2ShopSandbox, make_client: MakeClient
) -> None:
    session = make_client(
        sandbox.base_url, username="owner", password="owner-password"
    ).authenticate()
    assert session.is_admin
    assert session.warning == NO_ROLE_WARNING


def test_an_expired_token_is_replaced_by_one_fresh_login(
    sandbox: RunningStock2ShopSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url)
    assert client.list_channels()
    before = sandbox.store.requests
    sandbox.store.clock.advance(sandbox.config.token_ttl_seconds + 1)
    channels = client.list_channels()
    assert [c.id for c in channels] == ["47", "191", "255"]
    # refused request, login, the request again
    assert sandbox.store.requests - before == 3


def test_a_fresh_token_refused_too_fails_clearly_after_one_login(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    dead_on_arrival = make_sandbox(token_ttl_seconds=0)
    client = make_client(dead_on_arrival.base_url)
    with pytest.raises(AuthenticationError, match="refused a token it had just issued"):
        client.list_sources()
    # login, refused, login again, refused: no loop
    assert dead_on_arrival.store.requests == 4


def test_a_wrong_password_is_refused_without_showing_it(
    sandbox: RunningStock2ShopSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url, password="Wr0ng-Secret-99")
    with pytest.raises(AuthenticationError) as caught:
        client.list_sources()
    assert "STOCK2SHOP_PASSWORD" in str(caught.value)
    assert "Wr0ng-Secret-99" not in str(caught.value) + repr(client)


def test_no_token_or_password_reaches_an_error_a_log_or_a_repr(
    make_sandbox: MakeSandbox, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    # Half the requests fail: the login gets through after retries, some search does not.
    failing = make_sandbox(fault_500=0.5, fault_seed=1)
    client = make_client(failing.base_url, max_attempts=2)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(Stock2ShopError) as caught:
        for _ in range(20):
            client.search_orders({"match_all": {}})
    tokens = list(failing.store._tokens)  # the tokens the sandbox issued this client
    assert tokens
    shown = "".join(traceback.format_exception(caught.value)) + caplog.text + repr(client)
    shown += repr(client.session)
    for secret in [*tokens, PASSWORD]:
        assert secret not in shown
