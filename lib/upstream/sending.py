"""Sending one request to an upstream platform and reading its JSON, with every httpx
failure mapped into the shared error tree, plus the retry loop around it: a ``Sender``
per client holds the connection pool, the platform's name and the retry policy.

Whether a request is a write is the caller's call, per operation (a Stock2Shop search
is a POST that reads). A read whose answer is lost is a ``NetworkError`` (safe to
repeat); a write's lost answer, 5xx or unreadable 2xx is ``OutcomeUnknownError``. Each
attempt is logged once, with the path only: never a query string, which may carry a token.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt

from lib.upstream.errors import ApiError, NetworkError, outcome_unknown, redact
from lib.upstream.retry import backoff_seconds, should_retry

# No connection was made, so nothing reached the server: even a write is safe to repeat.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
# Every other failure of a request (the rest of TransportError: timeouts, broken streams,
# proxies, protocol errors; and DecodingError, a body that cannot be decoded): a write
# may be stored. Their text is never shown: LocalProtocolError quotes header values (a key).
IN_TRANSIT = httpx.RequestError

T = TypeVar("T")


@dataclass(frozen=True)
class Platform:
    """Who is on the other end, in the words error messages use."""

    name: str  # "PleasureStock"
    base_url: str
    # Where the person fixes the address: "PLEASURESTOCK_BASE_URL in Settings".
    base_url_setting: str


@dataclass(frozen=True)
class ConnectionSettings:
    """How a client reaches its platform: the timeout, an httpx transport (tests), how
    often a request is tried, and the jitter and sleep of the waits between (tests
    replace both)."""

    timeout: httpx.Timeout
    http_transport: httpx.BaseTransport | None
    max_attempts: int
    jitter: Callable[[], float]
    sleep: Callable[[float], None]


class Sender:
    """A connection pool to one platform's base URL: sends attempts, reads answers and
    retries what is safe to retry, logging to ``logger``."""

    def __init__(
        self,
        platform: Platform,
        settings: ConnectionSettings,
        *,
        logger: logging.Logger,
        max_connections: int,
    ) -> None:
        self.platform = platform
        self._settings = settings
        self._logger = logger
        self._http = httpx.Client(
            base_url=platform.base_url + "/",
            timeout=settings.timeout,
            transport=settings.http_transport,
            headers={"Accept": "application/json", "User-Agent": "StockDesk/0.1"},
            limits=httpx.Limits(max_connections=max_connections),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        is_write: bool,
        secrets: tuple[str, ...],
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """One attempt (``send_once``) on this sender's pool."""
        return send_once(
            self._http,
            self.platform,
            method,
            path,
            is_write=is_write,
            logger=self._logger,
            secrets=secrets,
            params=params,
            json_body=json_body,
            headers=headers,
        )

    def json_of(self, response: httpx.Response, method: str, path: str, *, is_write: bool) -> Any:
        """The parsed body of a success answer (``json_of``)."""
        return json_of(response, self.platform, method, path, is_write=is_write)

    def with_retries(self, method: str, path: str, attempt: Callable[[], T]) -> T:
        """Run ``attempt`` for ``method /path``, retried as this sender's settings say."""
        return with_retries(
            attempt, what=f"{method} /{path}", settings=self._settings, logger=self._logger
        )


def send_once(
    http: httpx.Client,
    platform: Platform,
    method: str,
    path: str,
    *,
    is_write: bool,
    logger: logging.Logger,
    secrets: tuple[str, ...],
    params: Mapping[str, Any] | None = None,
    json_body: Any = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """One attempt: the response whatever its status, except a write's 5xx (unknown outcome).

    ``secrets`` are masked in any text that reaches a message.
    """
    started = time.perf_counter()
    try:
        response = http.request(method, path, params=params, json=json_body, headers=headers)
    except NOT_SENT as exc:
        logger.warning("%s /%s: could not connect (%s)", method, path, type(exc).__name__)
        raise NetworkError(
            f"Could not reach {platform.name} at {platform.base_url} "
            f"({redact(str(exc), *secrets) or type(exc).__name__}). Check the network "
            f"connection and {platform.base_url_setting}."
        ) from None
    except IN_TRANSIT as exc:
        failure = type(exc).__name__
        logger.warning("%s /%s: answer lost (%s)", method, path, failure)
        if is_write:
            raise outcome_unknown(
                platform.name,
                method,
                path,
                f"The {method} /{path} request or its answer failed on the way ({failure}), "
                f"so StockDesk cannot tell what {platform.name} did with it.",
            ) from None
        raise NetworkError(
            f"{platform.name}'s answer did not arrive ({failure}). Try again in a moment."
        ) from None
    elapsed_ms = (time.perf_counter() - started) * 1000
    status = response.status_code
    logger.info("%s /%s -> %d in %.0f ms", method, path, status, elapsed_ms)
    if status >= 500 and is_write:
        raise outcome_unknown(
            platform.name,
            method,
            path,
            f"{platform.name} answered HTTP {status} to {method} /{path}.",
        )
    return response


def json_of(
    response: httpx.Response, platform: Platform, method: str, path: str, *, is_write: bool
) -> Any:
    """The parsed body of a success answer; one that is not JSON is an ``ApiError`` for a
    read and an unknown outcome for a write."""
    try:
        return response.json()
    except ValueError:
        if is_write:
            raise outcome_unknown(
                platform.name,
                method,
                path,
                f"{platform.name} answered HTTP {response.status_code} to {method} /{path}, but "
                "the answer is not JSON (cut off or garbled), so StockDesk cannot read what "
                "happened.",
            ) from None
        raise ApiError(
            f"{platform.name} sent an answer that is not JSON to {method} /{path}.",
            status_code=response.status_code,
        ) from None


def with_retries(
    attempt: Callable[[], T],
    *,
    what: str,
    settings: ConnectionSettings,
    logger: logging.Logger,
) -> T:
    """Run ``attempt`` until it succeeds, raises what ``should_retry`` refuses, or has run
    ``settings.max_attempts`` times; waits ``backoff_seconds`` between (the server's
    Retry-After wins). ``what`` (``"GET /products"``) names the request in each retry's log."""
    max_attempts = settings.max_attempts
    retrying = Retrying(
        stop=stop_after_attempt(max_attempts),
        retry=retry_if_exception(should_retry),
        wait=lambda state: backoff_seconds(
            state.attempt_number,
            retry_after=getattr(state.outcome.exception(), "retry_after", None),
            jitter=settings.jitter,
        ),
        sleep=settings.sleep,
        before_sleep=lambda state: logger.warning(
            "retrying %s after %s (attempt %d of %d)",
            what,
            type(state.outcome.exception()).__name__,
            state.attempt_number + 1,
            max_attempts,
        ),
        reraise=True,
    )
    return retrying(attempt)
