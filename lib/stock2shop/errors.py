"""The errors the Stock2Shop client raises: the shared tree (``lib/upstream/errors.py``)
under the name ``Stock2ShopError``, plus what only Stock2Shop needs.

    Stock2ShopError                    = SourceError: catch this, show ``str(error)``
    ├── ConfigurationError             no username/password, bad base URL (at construction)
    ├── NetworkError, OutcomeUnknownError, ApiError and its leaves (shared)
    │   └── AuthenticationError        credentials refused, or a fresh token refused too
    └── ResultCapError                 a search would be cut at the 10,000-hit cap and
                                       cannot be split any narrower

The document describes no error body; the server's own words are taken from ``errors``,
``error`` or ``message`` when there are any. Messages never contain the password or a
token: ``redact`` masks every token this client was ever given.
"""

from __future__ import annotations

from typing import Any

import httpx

from lib.upstream.errors import (
    ApiError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    SourceError,
    body_of,
    redact,
    retry_after_seconds,
)

PLATFORM = "Stock2Shop"
# The shared base under this platform's name.
Stock2ShopError = SourceError


class ResultCapError(SourceError):
    """A search matches more records than Stock2Shop returns (the inferred 10,000 cap)
    and no narrower filter can split it; nothing partial is returned."""


_ADVICE = {
    401: "Stock2Shop refused the login. Check STOCK2SHOP_USERNAME and STOCK2SHOP_PASSWORD "
    "(environment or .streamlit/secrets.toml) and that the user is active.",
    403: "The Stock2Shop user may not read this. Give it the read_only role.",
    404: "Stock2Shop has no such endpoint or record.",
    429: "Stock2Shop's rate limit was reached (it asks for at most 1 request per second). "
    "Wait a minute and try again.",
}


def _server_words(body: Any) -> str:
    if not isinstance(body, dict):
        return ""
    words = body.get("errors") or body.get("error") or body.get("message") or ""
    return "; ".join(str(w) for w in words) if isinstance(words, list) else str(words)


def error_for_response(response: httpx.Response, *, secrets: tuple[str, ...]) -> ApiError:
    """Map an error answer to the exception a caller can act on, secrets masked."""
    status = response.status_code
    body = body_of(response)
    said = redact(_server_words(body), *secrets)
    suffix = f" (server said: {said})" if said else ""
    common: dict[str, Any] = {"status_code": status, "body": body}
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
            f"Stock2Shop had an internal error (HTTP {status}). Try again in a few "
            f"minutes{suffix}.",
            **common,
        )
    return ApiError(f"Stock2Shop answered HTTP {status}{suffix}.", **common)
