"""Sending one request to PleasureStock: rate-limit budget, auth header, safe retries, errors.

Every attempt takes one request of its rate class's shared budget (``budget.py``) just
before it is sent, tagged with what it is for; it is logged once (never with the key),
and is retried only when repeating it cannot store anything twice (``lib/upstream/retry.py``).
A write whose answer is lost, is a 5xx, or is a 2xx StockDesk cannot read raises
``OutcomeUnknownError`` instead; how one attempt is sent and its failures mapped is shared
with every upstream client (``lib/upstream/sending.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Literal

import httpx
from pydantic import SecretStr

from lib.pleasurestock.budget import OTHER, Budget
from lib.pleasurestock.errors import PLATFORM, error_for_response, server_said
from lib.pleasurestock.ratelimit import WindowUsage
from lib.upstream.errors import outcome_unknown
from lib.upstream.sending import Platform, json_of, send_once, with_retries

logger = logging.getLogger("stockdesk.pleasurestock")

Auth = Literal["api_key", "bearer"]


class Transport:
    """A connection pool to one PleasureStock base URL with one key and its budget."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: SecretStr,
        timeout: httpx.Timeout,
        http_transport: httpx.BaseTransport | None,
        budget: Budget,
        max_attempts: int,
        max_connections: int,
        jitter: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self.base_url = base_url
        self._platform = Platform(PLATFORM, base_url, "PLEASURESTOCK_BASE_URL in Settings")
        self._api_key = api_key
        self._budget = budget
        self._max_attempts = max_attempts
        self._jitter = jitter
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=base_url + "/",
            timeout=timeout,
            transport=http_transport,
            headers={"Accept": "application/json", "User-Agent": "StockDesk/0.1"},
            limits=httpx.Limits(max_connections=max_connections),
        )

    def close(self) -> None:
        """Close the connection pool and let go of the budget's storage."""
        self._http.close()
        self._budget.close()

    def usage(self) -> list[WindowUsage]:
        """How much of each rate class's budget is in use now, by every process."""
        return self._budget.usage()

    def request(
        self,
        method: str,
        path: str,
        *,
        rate_class: str,
        auth: Auth = "api_key",
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        purpose: str = OTHER,
    ) -> Any:
        """Send with rate limiting and safe retries; return the parsed JSON body.

        ``purpose`` (``budget.SALES_UPLOAD``, ``CATALOG_SYNC``, ``OTHER``) is stored with
        each attempt's share of the budget, so a refused caller learns what is using it.
        """
        return with_retries(
            lambda: self._attempt(method, path, rate_class, purpose, auth, params, json_body),
            what=f"{method} /{path}",
            max_attempts=self._max_attempts,
            jitter=self._jitter,
            sleep=self._sleep,
            logger=logger,
        )

    def _attempt(
        self,
        method: str,
        path: str,
        rate_class: str,
        purpose: str,
        auth: Auth,
        params: Mapping[str, Any] | None,
        json_body: Any,
    ) -> Any:
        key = self._api_key.get_secret_value()
        headers = {"X-API-Key": key} if auth == "api_key" else {"Authorization": f"Bearer {key}"}
        # Every PleasureStock endpoint but a GET stores something.
        is_write = method != "GET"
        # Each attempt is one request the server counts, so each takes its share; a refusal
        # (BudgetBusyError) takes none and is not retried.
        self._budget.acquire(rate_class, purpose)
        response = send_once(
            self._http,
            self._platform,
            method,
            path,
            is_write=is_write,
            logger=logger,
            secrets=(key,),
            params=params,
            json_body=json_body,
            headers=headers,
        )
        if response.status_code >= 400:
            raise error_for_response(response, secret=key)
        body = json_of(response, self._platform, method, path, is_write=is_write)
        if isinstance(body, dict) and body.get("success") is False:
            if is_write:
                raise outcome_unknown(
                    PLATFORM,
                    method,
                    path,
                    f"PleasureStock answered HTTP {response.status_code} (success) to "
                    f"{method} /{path}, but its answer says the request failed"
                    f"{server_said(body, secret=key)}.",
                )
            raise error_for_response(response, secret=key)
        return body
