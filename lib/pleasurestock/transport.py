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
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import SecretStr

from lib.pleasurestock.budget import OTHER, Budget
from lib.pleasurestock.errors import PLATFORM, error_for_response, server_said
from lib.pleasurestock.ratelimit import WindowUsage
from lib.upstream.errors import outcome_unknown
from lib.upstream.sending import ConnectionSettings, Platform, Sender

logger = logging.getLogger("stockdesk.pleasurestock")

Auth = Literal["api_key", "bearer"]


class Transport:
    """A connection pool to one PleasureStock base URL with one key and its budget."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: SecretStr,
        settings: ConnectionSettings,
        budget: Budget,
        max_connections: int,
    ) -> None:
        self.base_url = base_url
        self._api_key = api_key
        self._budget = budget
        self._sender = Sender(
            Platform(PLATFORM, base_url, "PLEASURESTOCK_BASE_URL in Settings"),
            settings,
            logger=logger,
            max_connections=max_connections,
        )

    def close(self) -> None:
        """Close the connection pool and let go of the budget's storage."""
        self._sender.close()
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
        return self._sender.with_retries(
            method,
            path,
            lambda: self._attempt(method, path, rate_class, purpose, auth, params, json_body),
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
        response = self._sender.send(
            method,
            path,
            is_write=is_write,
            secrets=(key,),
            params=params,
            json_body=json_body,
            headers=headers,
        )
        if response.status_code >= 400:
            raise error_for_response(response, secret=key)
        body = self._sender.json_of(response, method, path, is_write=is_write)
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
