"""Reading a platform's answer into the client's models: a shape StockDesk cannot read is
an ``ApiError`` naming the fields, never quoting their values (they came from outside)."""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic

from lib.upstream.errors import ApiError

M = TypeVar("M", bound=pydantic.BaseModel)


def parse_read(model: type[M], payload: Any, *, platform: str) -> M:
    """Validate a read's payload from ``platform``; a shape the client cannot read is an
    ``ApiError``."""
    try:
        return model.model_validate(payload)
    except pydantic.ValidationError as exc:
        raise ApiError(
            f"{platform} sent a {model.__name__} that StockDesk cannot read ({problems(exc)}).",
            status_code=200,
        ) from None


def problems(exc: pydantic.ValidationError) -> str:
    """The first few problems by field and reason, never the values."""
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3])
