"""A cell's text as a CSV export would hold it: dates ISO (from the cell's number format,
as Excel shows them), whole numbers without ``.0``, booleans ``True``/``False``."""

from __future__ import annotations

import re
from datetime import date, datetime

from openpyxl.utils.datetime import from_excel

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def convert(key: tuple[str, str | None, str], epoch: datetime) -> str:
    """A cell's text from its type (``t``), date style (if its format shows a date) and raw
    value, as a CSV export would hold it."""
    kind, date_style, raw = key
    if kind == "n":
        if date_style is not None:
            try:
                return _day_text(from_excel(float(raw), epoch))
            except (ValueError, OverflowError):
                return raw  # not a date Excel could show; validation says so
        return raw if raw.isdigit() else _number(raw)
    if kind == "b":
        return {"1": "True", "0": "False"}.get(raw, raw)
    if kind == "d" and _ISO_DAY.match(raw):
        return raw[:10]
    return raw  # "str" (a formula's text), "e" (#N/A…)


def _number(raw: str) -> str:
    """A number cell's text as a CSV would hold it: ``5`` for 5.0, ``2.5`` for 2.5."""
    try:
        number = float(raw)
    except ValueError:
        return raw
    return str(int(number)) if number.is_integer() else str(number)


def _day_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
