"""The errors the PleasureStock client raises, each one a caller can act on.

    PleasureStockError                 base: catch this in pages, show ``str(error)``
    ├── ConfigurationError             no/unusable API key, bad base URL (at construction)
    ├── BudgetBusyError                the shared API budget is in use for longer than an
    │                                  interactive request waits; nothing was sent
    ├── NetworkError                   a read failed in transit, or a write never left
    ├── OutcomeUnknownError            a POST/PUT was sent but its result is unknown: its
    │                                  answer was lost, a 5xx, or a 2xx StockDesk cannot read
    └── ApiError                       the server answered with an error status
        ├── AuthenticationError        401: missing or wrong API key
        ├── PermissionDeniedError      403: the key's role may not do this
        ├── NotFoundError              404
        ├── ValidationError            400: carries ``row_errors`` of the sales endpoint
        ├── RateLimitedError           429 after the client's own retries ran out
        └── ServerError                5xx on a safe (GET) request after retries

Messages never contain the API key: the client never puts it in one, and
``redact`` scrubs any text that might echo it back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from lib.pleasurestock.models import RowError


class PleasureStockError(Exception):
    """Base of every client error; ``str(error)`` is a message for the user."""


class ConfigurationError(PleasureStockError):
    """The client cannot be built as configured (e.g. no API key)."""


class BudgetBusyError(PleasureStockError):
    """The rate-limit budget every StockDesk process shares is spent until ``free_at`` (UTC);
    the request was not sent. ``reason`` says what used the budget last."""

    def __init__(self, *, rate_class: str, free_at: datetime, reason: str) -> None:
        # Round up: "until 09:21" must not promise a budget that frees at 09:21:40.
        shown = free_at.replace(second=0, microsecond=0)
        if shown < free_at:
            shown += timedelta(minutes=1)
        super().__init__(
            f"The API budget is in use until {shown:%H:%M} UTC ({reason}). "
            "Nothing was sent; try again then."
        )
        self.rate_class = rate_class
        self.free_at = free_at
        self.reason = reason


class NetworkError(PleasureStockError):
    """The request failed in transit; safe to repeat (a read, or a write never delivered)."""


class OutcomeUnknownError(PleasureStockError):
    """A write was sent but no reliable answer came back; it may or may not be stored.

    Never retried automatically (NOTES.md point 3): the caller records the work as
    "outcome unknown" and lets a person check before sending it again.
    """

    def __init__(self, message: str, *, method: str, path: str) -> None:
        super().__init__(message)
        self.method = method
        self.path = path


def outcome_unknown(method: str, path: str, what_happened: str) -> OutcomeUnknownError:
    """The error for a write sent to PleasureStock whose result cannot be known.

    ``what_happened`` is shown to the user: redact any text in it that came from outside.
    """
    return OutcomeUnknownError(
        f"{what_happened} It may or may not have been stored: check in PleasureStock "
        "before sending it again.",
        method=method,
        path=path,
    )


class ApiError(PleasureStockError):
    """The server answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any = None,
        details: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.details = details or []

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, message={str(self)!r})"


class AuthenticationError(ApiError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(ApiError):
    """403: the key is valid but its role may not do this."""


class NotFoundError(ApiError):
    """404: the product or order does not exist."""


class ValidationError(ApiError):
    """400: the request was refused; nothing was stored (``processed`` is 0)."""

    def __init__(self, message: str, *, row_errors: list[RowError], **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.row_errors = row_errors


class RateLimitedError(ApiError):
    """429 that outlasted the client's retries; nothing was stored."""

    def __init__(self, message: str, *, retry_after: float | None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx on a request that is safe to repeat, after retries ran out."""


def redact(text: str, secret: str | None) -> str:
    """Return ``text`` with every occurrence of ``secret`` masked."""
    if not secret:
        return text
    return text.replace(secret, "***")


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The server's ``Retry-After`` in seconds, when it gave a usable one."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _body_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _server_words(body: Any) -> tuple[str, list[str]]:
    """Pull the server's own message and details out of either documented error body."""
    if not isinstance(body, dict):
        return "", []
    message = str(body.get("message") or body.get("error") or "")
    details = body.get("details")
    return message, [str(d) for d in details] if isinstance(details, list) else []


_ADVICE = {
    401: "The PleasureStock API key was refused. Check the API key in Settings "
    "(PLEASURESTOCK_API_KEY) and that it has not been revoked.",
    403: "The API key is valid but not allowed to do this. Ask a PleasureStock "
    "administrator to give the key a manager role.",
    404: "PleasureStock has no such record. Refresh the list; it may have been removed.",
    429: "PleasureStock's rate limit was reached. Wait a minute and try again.",
}


def server_said(body: Any, *, secret: str | None) -> str:
    """`` (server said: …)`` with the server's own message from an error body, or ``""``."""
    server_message = redact(_server_words(body)[0], secret)
    return f" (server said: {server_message})" if server_message else ""


def error_for_response(response: httpx.Response, *, secret: str | None) -> ApiError:
    """Map an error response to the exception a caller can act on."""
    status = response.status_code
    body = _body_of(response)
    details = [redact(d, secret) for d in _server_words(body)[1]]
    suffix = server_said(body, secret=secret)
    common: dict[str, Any] = {"status_code": status, "body": body, "details": details}

    if status == 400:
        raw_rows = body.get("errors") if isinstance(body, dict) else None
        rows = [RowError.model_validate(r) for r in raw_rows or [] if isinstance(r, dict)]
        what = f"{len(rows)} row(s) were refused" if rows else "The request was refused"
        message = f"{what}; nothing was stored. Fix the data and send it again{suffix}."
        return ValidationError(redact(message, secret), row_errors=rows, **common)
    if status == 401:
        return AuthenticationError(_ADVICE[401] + suffix, **common)
    if status == 403:
        return PermissionDeniedError(_ADVICE[403] + suffix, **common)
    if status == 404:
        return NotFoundError(_ADVICE[404] + suffix, **common)
    if status == 429:
        return RateLimitedError(
            _ADVICE[429] + suffix, retry_after=retry_after_seconds(response), **common
        )
    if status >= 500:
        return ServerError(
            f"PleasureStock had an internal error (HTTP {status}). Try again in a few "
            f"minutes; if it persists, contact PleasureStock support{suffix}.",
            **common,
        )
    return ApiError(f"PleasureStock answered HTTP {status}{suffix}.", **common)
