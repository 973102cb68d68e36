"""Value types every client's models share: money parsed to ``Decimal`` without passing
through binary float, and ids as opaque strings (NOTES.md's rules for every platform)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator


def _to_decimal(value: Any) -> Any:
    """Parse money and coefficients to Decimal without passing through binary float."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    if isinstance(value, int | float | str):
        try:
            # str() of a JSON float is its shortest repr: 255.0 -> "255.0", 0.1 -> "0.1".
            return Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a decimal amount: {value!r}") from exc
    return value


def to_opaque_id(value: Any) -> Any:
    """Ids are opaque strings: integer ids become their decimal text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Money = Annotated[Decimal, BeforeValidator(_to_decimal)]
OpaqueId = Annotated[str, BeforeValidator(to_opaque_id)]
