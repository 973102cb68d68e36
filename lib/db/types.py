"""Column types that behave the same on SQLite and PostgreSQL.

SQLAlchemy's ``Numeric`` goes through binary float on SQLite and its ``DateTime``
drops the time zone there; these wrappers keep money exact and datetimes aware in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

SCALE = 6
_PRECISION = 20
_QUANTUM = Decimal(1).scaleb(-SCALE)


class ExactDecimal(TypeDecorator[Decimal]):
    """``NUMERIC(20, 6)`` on PostgreSQL, decimal text on SQLite; Decimal in, Decimal out."""

    impl = Numeric(_PRECISION, SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Text on SQLite, whose numeric affinity would round the value through a float."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(_PRECISION + 2))
        return dialect.type_descriptor(Numeric(_PRECISION, SCALE, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        """Round to 6 places on every backend, as PostgreSQL does, so both store the same."""
        if value is None:
            return None
        exact = Decimal(value).quantize(_QUANTUM, rounding=ROUND_HALF_UP)
        if exact.adjusted() >= _PRECISION - SCALE:
            raise ValueError(f"{value} does not fit NUMERIC({_PRECISION}, {SCALE})")
        return str(exact) if dialect.name == "sqlite" else exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """Parse SQLite's text back to Decimal; PostgreSQL already returns Decimal."""
        return None if value is None else Decimal(value)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC; naive datetimes are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC; a naive value is ambiguous, so it is an error."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """SQLite returns the stored UTC value naive: mark it as UTC again."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
