"""API-key checks: X-API-Key for standard endpoints, Bearer for /external ones."""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers


def presented_key(headers: Headers, path: str) -> str | None:
    """The key the request presents in the header its endpoint class requires, if any."""
    if path.startswith("/api/v1/external"):
        scheme, _, token = headers.get("authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return headers.get("x-api-key") or None


def is_authorised(headers: Headers, path: str, api_key: str) -> bool:
    """True when the right header carries the sandbox's key (constant-time comparison)."""
    key = presented_key(headers, path)
    return key is not None and hmac.compare_digest(key.encode(), api_key.encode())
