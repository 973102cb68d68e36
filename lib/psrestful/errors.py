"""The errors the PSRESTful client raises: the shared tree (``lib/upstream/errors.py``)
under the name ``PsRestfulError``, plus what only PSRESTful needs.

    PsRestfulError                     = SourceError: catch this, show ``str(error)``
    ├── ConfigurationError             no API key, no supplier code, bad base URL
    ├── NetworkError, ApiError and its leaves (shared; every call is a read)
    └── PagingError                    the pages do not add up (a page answered twice,
                                       the wrong page number): nothing partial is returned

The document's error body is ``{"detail": "…"}``; ``message`` or ``error`` are read too
(a tolerant fallback), and a body that is not JSON gives the status alone. Messages
never contain the API key: ``redact`` masks it in anything the server echoes.
"""

from __future__ import annotations

from typing import Any

from lib.upstream.errors import ErrorWording, SourceError

PLATFORM = "PSRESTful"
# The shared base under this platform's name.
PsRestfulError = SourceError


class PagingError(SourceError):
    """The server's pages cannot be read as one complete list; nothing partial is kept."""


def _server_words(body: Any) -> tuple[str, list[str]]:
    """The server's own words from ``detail`` (documented), else ``message`` or ``error``."""
    if not isinstance(body, dict):
        return "", []
    words = body.get("detail") or body.get("message") or body.get("error") or ""
    if isinstance(words, list):  # FastAPI-style validation details
        return "; ".join(str(w.get("msg", w) if isinstance(w, dict) else w) for w in words), []
    return str(words), []


WORDING = ErrorWording(
    PLATFORM,
    {
        401: "PSRESTful refused the API key. Check PSRESTFUL_API_KEY (environment or "
        ".streamlit/secrets.toml).",
        403: "The PSRESTful API key may not read this (insufficient permissions).",
        404: "PSRESTful has no such endpoint, supplier or product.",
        429: "PSRESTful's rate limit was reached. Lower PSRESTFUL_REQUESTS_PER_SECOND or "
        "wait a minute and try again.",
        500: "Try again in a few minutes",
    },
    _server_words,
)
