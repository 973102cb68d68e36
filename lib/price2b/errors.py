"""The errors the Price2B client raises: the shared tree (``lib/upstream/errors.py``)
under the name ``Price2BError``, plus what only Price2B needs.

    Price2BError                       = SourceError: catch this, show ``str(error)``
    ├── ConfigurationError             no token, bad base URL (at construction)
    ├── NetworkError, OutcomeUnknownError, ApiError and its leaves (shared)
    │   ├── AuthenticationError        401: the token is missing, wrong or expired
    │   └── PermissionDeniedError      403: the token lacks the inventory:read scope
    └── IncompleteReadError            the product list changed during a full read
                                       (fewer distinct products than its total)

The document shows no error body; the server's own words are taken from ``message``
(our guess: ``{"success": false, "message": …}``), or ``error``/``errors`` when there
are any. Messages never contain the token: ``redact`` masks it.
"""

from __future__ import annotations

from typing import Any

from lib.upstream.errors import ErrorWording, SourceError

PLATFORM = "Price2B"
# The shared base under this platform's name.
Price2BError = SourceError


class IncompleteReadError(SourceError):
    """A full read of the product list saw fewer distinct products than the list's own
    total (products deleted or reordered during the read); nothing partial is returned."""


def _server_words(body: Any) -> tuple[str, list[str]]:
    """The server's own words from ``message``, ``error`` or ``errors``; details from a
    dict of field errors (Laravel's ``errors: {field: [..]}``) when there is one."""
    if not isinstance(body, dict):
        return "", []
    words = body.get("message") or body.get("error") or ""
    errors = body.get("errors")
    details: list[str] = []
    if isinstance(errors, dict):
        details = [
            f"{k}: {'; '.join(map(str, v)) if isinstance(v, list) else v}"
            for k, v in errors.items()
        ]
    elif isinstance(errors, list):
        details = [str(e) for e in errors]
    elif isinstance(errors, str) and not words:
        words = errors
    return str(words), details


WORDING = ErrorWording(
    PLATFORM,
    {
        401: "Price2B refused the token. Check PRICE2B_TOKEN (environment or "
        ".streamlit/secrets.toml): it may be wrong or expired.",
        403: "The Price2B token may not read this. Give StockDesk a token with the "
        "inventory:read scope.",
        404: "Price2B has no such product or endpoint.",
        429: "Price2B's rate limit was reached. Wait a minute and try again, or lower "
        "PRICE2B_REQUESTS_PER_SECOND.",
        500: "Try again in a few minutes",
    },
    _server_words,
)
