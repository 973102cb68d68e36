"""Sending one request to PleasureStock: rate-limit budget, auth header, safe retries, errors.

Every attempt takes one request of its rate class's shared budget (``budget.py``) just
before it is sent, tagged with what it is for; it is logged once (never with the key),
and is retried only when repeating it cannot store anything twice (see ``retry.py``).
A write whose answer is lost, is a 5xx, or is a 2xx StockDesk cannot read raises
``OutcomeUnknownError`` instead. Every httpx request failure maps into the client's errors.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal

import httpx
from pydantic import SecretStr
from tenacity import Retrying, retry_if_exception, stop_after_attempt

from lib.pleasurestock.budget import OTHER, Budget
from lib.pleasurestock.errors import (
    ApiError,
    NetworkError,
    error_for_response,
    outcome_unknown,
    redact,
    server_said,
)
from lib.pleasurestock.ratelimit import WindowUsage
from lib.pleasurestock.retry import backoff_seconds, should_retry

logger = logging.getLogger("stockdesk.pleasurestock")

Auth = Literal["api_key", "bearer"]

# No connection was made, so nothing reached the server: even a write is safe to repeat.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
# Every other failure of a request (the rest of TransportError: timeouts, broken streams,
# proxies, protocol errors; and DecodingError, a body that cannot be decoded): a write
# may be stored. Their text is never shown: LocalProtocolError quotes header values, the key.
_IN_TRANSIT = httpx.RequestError


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
        retrying = Retrying(
            stop=stop_after_attempt(self._max_attempts),
            retry=retry_if_exception(should_retry),
            wait=lambda state: backoff_seconds(
                state.attempt_number,
                retry_after=getattr(state.outcome.exception(), "retry_after", None),
                jitter=self._jitter,
            ),
            sleep=self._sleep,
            before_sleep=lambda state: logger.warning(
                "retrying %s /%s after %s (attempt %d of %d)",
                method,
                path,
                type(state.outcome.exception()).__name__,
                state.attempt_number + 1,
                self._max_attempts,
            ),
            reraise=True,
        )
        return retrying(self._attempt, method, path, rate_class, purpose, auth, params, json_body)

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
        is_write = method != "GET"
        # Each attempt is one request the server counts, so each takes its share; a refusal
        # (BudgetBusyError) takes none and is not retried.
        self._budget.acquire(rate_class, purpose)
        started = time.perf_counter()
        try:
            response = self._http.request(
                method, path, params=params, json=json_body, headers=headers
            )
        except _NOT_SENT as exc:
            logger.warning("%s /%s: could not connect (%s)", method, path, type(exc).__name__)
            raise NetworkError(
                f"Could not reach PleasureStock at {self.base_url} "
                f"({redact(str(exc), key) or type(exc).__name__}). Check the network connection "
                "and PLEASURESTOCK_BASE_URL in Settings."
            ) from None
        except _IN_TRANSIT as exc:
            failure = type(exc).__name__
            logger.warning("%s /%s: answer lost (%s)", method, path, failure)
            if is_write:
                raise outcome_unknown(
                    method,
                    path,
                    f"The {method} /{path} request or its answer failed on the way ({failure}), "
                    "so StockDesk cannot tell what PleasureStock did with it.",
                ) from None
            raise NetworkError(
                f"PleasureStock's answer did not arrive ({failure}). Try again in a moment."
            ) from None
        elapsed_ms = (time.perf_counter() - started) * 1000
        status = response.status_code
        logger.info("%s /%s -> %d in %.0f ms", method, path, status, elapsed_ms)

        if status >= 500 and is_write:
            raise outcome_unknown(
                method, path, f"PleasureStock answered HTTP {status} to {method} /{path}."
            )
        if status >= 400:
            raise error_for_response(response, secret=key)
        try:
            body = response.json()
        except ValueError:
            if is_write:
                raise outcome_unknown(
                    method,
                    path,
                    f"PleasureStock answered HTTP {status} to {method} /{path}, but the answer "
                    "is not JSON (cut off or garbled), so StockDesk cannot read what happened.",
                ) from None
            raise ApiError(
                f"PleasureStock sent an answer that is not JSON to {method} /{path}.",
                status_code=status,
            ) from None
        if isinstance(body, dict) and body.get("success") is False:
            if is_write:
                raise outcome_unknown(
                    method,
                    path,
                    f"PleasureStock answered HTTP {status} (success) to {method} /{path}, but "
                    f"its answer says the request failed{server_said(body, secret=key)}.",
                )
            raise error_for_response(response, secret=key)
        return body
