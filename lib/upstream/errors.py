"""The errors every upstream client raises, each one a caller can act on.

    SourceError                        base: catch this in pages, show ``str(error)``
    ├── ConfigurationError             the client cannot be built as configured
    ├── NetworkError                   a read failed in transit, or a write never left
    ├── OutcomeUnknownError            a write was sent but its result is unknown: its
    │                                  answer was lost, a 5xx, or a 2xx StockDesk cannot read
    └── ApiError                       the server answered with an error status
        ├── AuthenticationError        401: missing, wrong or expired credentials
        ├── PermissionDeniedError      403: the account's role may not do this
        ├── NotFoundError              404
        ├── RateLimitedError           429 after the client's own retries ran out
        └── ServerError                5xx on a read after retries

A platform adds its own leaves (PleasureStock: ``BudgetBusyError``, ``ValidationError``)
and its own mapping of an error answer to one of these. Messages never contain a
credential: the clients never put one in, and ``redact`` scrubs text that might echo one.
"""

from __future__ import annotations

from typing import Any

import httpx


class SourceError(Exception):
    """Base of every client error; ``str(error)`` is a message for the user."""


class ConfigurationError(SourceError):
    """The client cannot be built as configured (e.g. no API key or password)."""


class NetworkError(SourceError):
    """The request failed in transit; safe to repeat (a read, or a write never delivered)."""


class OutcomeUnknownError(SourceError):
    """A write was sent but no reliable answer came back; it may or may not be stored.

    Never retried automatically (NOTES.md point 3): the caller records the work as
    "outcome unknown" and lets a person check before sending it again.
    """

    def __init__(self, message: str, *, method: str, path: str) -> None:
        super().__init__(message)
        self.method = method
        self.path = path


def outcome_unknown(
    platform: str, method: str, path: str, what_happened: str
) -> OutcomeUnknownError:
    """The error for a write sent to ``platform`` whose result cannot be known.

    ``what_happened`` is shown to the user: redact any text in it that came from outside.
    """
    return OutcomeUnknownError(
        f"{what_happened} It may or may not have been stored: check in {platform} "
        "before sending it again.",
        method=method,
        path=path,
    )


class ApiError(SourceError):
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
    """401: the credentials are missing, wrong, expired or revoked."""


class PermissionDeniedError(ApiError):
    """403: the credentials are valid but the account's role may not do this."""


class NotFoundError(ApiError):
    """404: no such record (or endpoint)."""


class RateLimitedError(ApiError):
    """429 that outlasted the client's retries; nothing was stored."""

    def __init__(self, message: str, *, retry_after: float | None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx on a request that is safe to repeat, after retries ran out."""


def redact(text: str, *secrets: str | None) -> str:
    """Return ``text`` with every occurrence of each secret masked (longest first, so a
    secret that contains another is masked whole)."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


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


def body_of(response: httpx.Response) -> Any:
    """The answer's JSON, or None when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None
