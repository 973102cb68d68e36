"""JSON responses that carry Decimal money as exact numbers, and the shared error body."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from starlette.responses import JSONResponse


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Integral values print as 16, not 16.0, like the documents' examples.
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class SandboxJSONResponse(JSONResponse):
    """A JSONResponse that serialises Decimal as a JSON number without float noise."""

    def render(self, content: Any) -> bytes:
        """Encode `content` as compact UTF-8 JSON."""
        return json.dumps(
            content, default=_default, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")


def dumps(content: Any) -> bytes:
    """Encode `content` the same way responses are encoded (used by webhooks)."""
    return SandboxJSONResponse(content).body


def error_response(
    status: int,
    error: str,
    message: str,
    details: list[Any] | None = None,
    headers: dict[str, str] | None = None,
) -> SandboxJSONResponse:
    """The documented general error body `{success: false, error, message, details}`."""
    body = {"success": False, "error": error, "message": message, "details": details or []}
    return SandboxJSONResponse(body, status_code=status, headers=headers)
