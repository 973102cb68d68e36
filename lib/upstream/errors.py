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

A platform adds its own leaves (PleasureStock: ``BudgetBusyError``, ``ValidationError``);
``error_for_response`` maps an error answer to one of these, each platform passing only
its own words (``ErrorWording``). Messages never contain a
credential: the clients never put one in, and ``redact`` scrubs text that might echo one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ErrorWording:
    """What one platform says about its error answers.

    ``advice`` holds the message for 401, 403, 404 and 429, and for 500 the advice after
    "<platform> had an internal error (HTTP n)." (every 5xx); ``server_words`` pulls the
    server's own message and details out of an error body (None when it is not JSON).
    """

    platform: str
    advice: Mapping[int, str]
    server_words: Callable[[Any], tuple[str, list[str]]]

    def server_said(self, body: Any, *secrets: str | None) -> str:
        """`` (server said: …)`` with the server's own message from ``body``, or ``""``."""
        said = redact(self.server_words(body)[0], *secrets)
        return f" (server said: {said})" if said else ""


# The status codes a caller acts on, and the error each one is.
_ERROR_FOR_STATUS: dict[int, type[ApiError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitedError,
}


def error_for_response(
    response: httpx.Response, wording: ErrorWording, *secrets: str | None
) -> ApiError:
    """Map an error answer to the exception a caller can act on, ``secrets`` masked in
    whatever the server said."""
    status = response.status_code
    body = body_of(response)
    details = [redact(d, *secrets) for d in wording.server_words(body)[1]]
    suffix = wording.server_said(body, *secrets)
    common: dict[str, Any] = {"status_code": status, "body": body, "details": details}
    kind = _ERROR_FOR_STATUS.get(status)
    if kind is RateLimitedError:
        retry_after = retry_after_seconds(response)
        return RateLimitedError(wording.advice[429] + suffix, retry_after=retry_after, **common)
    if kind is not None:
        return kind(wording.advice[status] + suffix, **common)
    if status >= 500:
        return ServerError(
            f"{wording.platform} had an internal error (HTTP {status}). "
            f"{wording.advice[500]}{suffix}.",
            **common,
        )
    return ApiError(f"{wording.platform} answered HTTP {status}{suffix}.", **common)
