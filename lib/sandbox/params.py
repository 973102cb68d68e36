"""Parsing query parameters and JSON bodies; bad input raises ParamError (a 400)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from starlette.requests import Request

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^[+-]?\d+$")


class ParamError(ValueError):
    """Invalid request input; rendered as a 400 general error body."""

    def __init__(self, message: str, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


def is_uuid(value: str) -> bool:
    """True for the canonical 8-4-4-4-12 hex form."""
    return bool(_UUID.match(value))


def parse_date(value: str) -> date | None:
    """A real calendar date in strict YYYY-MM-DD form, else None."""
    if not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def query_int(request: Request, name: str, default: int, low: int, high: int | None = None) -> int:
    """An integer query parameter within [low, high]."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    bound = f"between {low} and {high}" if high is not None else f">= {low}"
    if not _INT.match(raw.strip()):
        raise ParamError(f"Parameter '{name}' must be an integer {bound}", [f"{name}={raw}"])
    value = int(raw)
    if value < low or (high is not None and value > high):
        raise ParamError(f"Parameter '{name}' must be an integer {bound}", [f"{name}={raw}"])
    return value


def query_bool(request: Request, name: str, default: bool) -> bool:
    """A boolean query parameter: true/false/1/0."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise ParamError(f"Parameter '{name}' must be true, false, 1 or 0", [f"{name}={raw}"])


async def json_object(request: Request) -> dict[str, Any]:
    """The request body as a JSON object."""
    raw = await request.body()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParamError("The request body is not valid JSON", [str(exc)]) from exc
    if not isinstance(body, dict):
        raise ParamError("The request body must be a JSON object")
    return body


def is_int(value: Any) -> bool:
    """A JSON integer (bools excluded)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """A JSON number (bools excluded)."""
    return isinstance(value, int | float) and not isinstance(value, bool)
