"""The errors the PleasureStock client raises: the shared tree (``lib/upstream/errors.py``)
under the name ``PleasureStockError``, with PleasureStock's own leaves and advice.

    PleasureStockError                 = SourceError: catch this in pages, show ``str(error)``
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
from lib.upstream.errors import (
    ApiError,
    AuthenticationError,
    ConfigurationError,
    ErrorWording,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    SourceError,
    body_of,
    redact,
)
from lib.upstream.errors import error_for_response as shared_error_for_response

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BudgetBusyError",
    "ConfigurationError",
    "NetworkError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "PleasureStockError",
    "RateLimitedError",
    "ServerError",
    "ValidationError",
    "error_for_response",
    "server_said",
]

PLATFORM = "PleasureStock"
# The shared base under the name the pages and services have always caught.
PleasureStockError = SourceError


class BudgetBusyError(SourceError):
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


class ValidationError(ApiError):
    """400: the request was refused; nothing was stored (``processed`` is 0)."""

    def __init__(self, message: str, *, row_errors: list[RowError], **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.row_errors = row_errors


def _server_words(body: Any) -> tuple[str, list[str]]:
    """Pull the server's own message and details out of either documented error body."""
    if not isinstance(body, dict):
        return "", []
    message = str(body.get("message") or body.get("error") or "")
    details = body.get("details")
    return message, [str(d) for d in details] if isinstance(details, list) else []


WORDING = ErrorWording(
    PLATFORM,
    {
        401: "The PleasureStock API key was refused. Check the API key in Settings "
        "(PLEASURESTOCK_API_KEY) and that it has not been revoked.",
        403: "The API key is valid but not allowed to do this. Ask a PleasureStock "
        "administrator to give the key a manager role.",
        404: "PleasureStock has no such record. Refresh the list; it may have been removed.",
        429: "PleasureStock's rate limit was reached. Wait a minute and try again.",
        500: "Try again in a few minutes; if it persists, contact PleasureStock support",
    },
    _server_words,
)


def server_said(body: Any, *, secret: str | None) -> str:
    """`` (server said: …)`` with the server's own message from an error body, or ``""``."""
    return WORDING.server_said(body, secret)


def error_for_response(response: httpx.Response, *, secret: str | None) -> ApiError:
    """Map an error response to the exception a caller can act on; a 400 carries the
    sales endpoint's refused rows."""
    if response.status_code != 400:
        return shared_error_for_response(response, WORDING, secret)
    body = body_of(response)
    raw_rows = body.get("errors") if isinstance(body, dict) else None
    rows = [RowError.model_validate(r) for r in raw_rows or [] if isinstance(r, dict)]
    what = f"{len(rows)} row(s) were refused" if rows else "The request was refused"
    suffix = server_said(body, secret=secret)
    message = f"{what}; nothing was stored. Fix the data and send it again{suffix}."
    details = [redact(d, secret) for d in _server_words(body)[1]]
    return ValidationError(
        redact(message, secret), row_errors=rows, status_code=400, body=body, details=details
    )
