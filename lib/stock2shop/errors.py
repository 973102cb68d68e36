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

from lib.upstream.errors import ErrorWording, SourceError

PLATFORM = "Stock2Shop"
# The shared base under this platform's name.
Stock2ShopError = SourceError


class ResultCapError(SourceError):
    """A search matches more records than Stock2Shop returns (the inferred 10,000 cap)
    and no narrower filter can split it; nothing partial is returned."""


def _server_words(body: Any) -> tuple[str, list[str]]:
    """The server's own words from ``errors``, ``error`` or ``message`` (no details)."""
    if not isinstance(body, dict):
        return "", []
    words = body.get("errors") or body.get("error") or body.get("message") or ""
    return ("; ".join(str(w) for w in words) if isinstance(words, list) else str(words)), []


WORDING = ErrorWording(
    PLATFORM,
    {
        401: "Stock2Shop refused the login. Check STOCK2SHOP_USERNAME and STOCK2SHOP_PASSWORD "
        "(environment or .streamlit/secrets.toml) and that the user is active.",
        403: "The Stock2Shop user may not read this. Give it the read_only role.",
        404: "Stock2Shop has no such endpoint or record.",
        429: "Stock2Shop's rate limit was reached (it asks for at most 1 request per second). "
        "Wait a minute and try again.",
        500: "Try again in a few minutes",
    },
    _server_words,
)
