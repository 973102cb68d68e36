"""Reorder settings per supplier: read the stored rows, save an edited table once every
row of it is in range."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session, sessionmaker

from lib.db import ReorderSettingsRecord, UnitOfWork
from lib.db.reorder_settings import DEFAULTS_KEY

# Each setting's field name and how a person calls it.
SETTING_LABELS = {
    "lead_time_days": "lead time",
    "service_level": "service level",
    "review_period_days": "review period",
    "moq": "MOQ",
    "case_pack": "case pack",
}


class SettingError(ValueError):
    """One reorder setting out of range; ``field`` is its field name (``service_level``)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{SETTING_LABELS[field]} {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class SupplierSettings:
    """How one supplier is reordered; the global defaults are one of these too."""

    lead_time_days: int = 7
    service_level: float = 0.95
    review_period_days: int = 7
    moq: int = 1
    case_pack: int = 1

    def __post_init__(self) -> None:
        for days in ("lead_time_days", "review_period_days"):
            if getattr(self, days) < 0:
                raise SettingError(days, "must be zero or more days")
        if not 0.5 <= self.service_level < 1:
            raise SettingError("service_level", "must be at least 0.5 and below 1 (e.g. 0.95)")
        for units in ("moq", "case_pack"):
            if getattr(self, units) < 1:
                raise SettingError(units, "must be at least 1")


def stored_settings(
    records: Iterable[ReorderSettingsRecord],
) -> tuple[SupplierSettings, dict[str, SupplierSettings]]:
    """The defaults ('*' row, or the built-in ones) and each supplier's own settings."""
    default = SupplierSettings()
    per_supplier: dict[str, SupplierSettings] = {}
    for record in records:
        settings = SupplierSettings(
            record.lead_time_days,
            float(record.service_level),
            record.review_period_days,
            record.moq,
            record.case_pack,
        )
        if record.supplier_id == DEFAULTS_KEY:
            default = settings
        else:
            per_supplier[record.supplier_id] = settings
    return default, per_supplier


WHOLE_NUMBERS = ("lead_time_days", "review_period_days", "moq", "case_pack")


class SettingsError(ValueError):
    """A row of the settings table that cannot be stored; nothing of the table was stored.

    ``supplier`` is the row's supplier id ('*' for the defaults), ``field`` the setting's
    field name (``service_level``).
    """

    def __init__(self, supplier: str, field: str, problem: str, *, name: str = "") -> None:
        if supplier == DEFAULTS_KEY:
            who = "the defaults (*)"
        else:
            who = f"supplier {name} ({supplier})" if name else f"supplier {supplier or '?'}"
        label = SETTING_LABELS.get(field, field)
        super().__init__(f"Settings for {who}: {label} {problem}")
        self.supplier = supplier
        self.field = field


def _utc_now() -> datetime:
    return datetime.now(UTC)


def load_reorder_settings(session_factory: sessionmaker[Session]) -> list[ReorderSettingsRecord]:
    """The stored settings rows, the defaults ('*') first."""
    with UnitOfWork(session_factory) as uow:
        return uow.reorder_settings.all()


def save_reorder_settings(
    session_factory: sessionmaker[Session],
    rows: Iterable[Mapping[str, object]],
    *,
    actor: str,
    now: Callable[[], datetime] = _utc_now,
) -> list[ReorderSettingsRecord]:
    """Store the rows (``supplier`` id, whole days ``lead_time_days`` and
    ``review_period_days``, ``service_level`` as a fraction, whole units ``moq`` and
    ``case_pack``; an optional ``name`` only names the supplier in errors), each replacing
    its supplier's settings, with one audit entry; returns what was stored. Raises
    ``SettingsError`` for the first row out of range, before anything is stored."""
    at = now()
    records = [_record(row, actor, at) for row in rows]
    if not records:
        return []
    with UnitOfWork(session_factory) as uow:
        for record in records:
            uow.reorder_settings.save(record)
        uow.audit.record(
            actor,
            "reorder.settings",
            "reorder_settings",
            after=[
                {
                    "supplier": r.supplier_id,
                    "service_level": r.service_level,
                    **{field: getattr(r, field) for field in WHOLE_NUMBERS},
                }
                for r in records
            ],
        )
        uow.commit()
    return records


def _record(row: Mapping[str, object], actor: str, at: datetime) -> ReorderSettingsRecord:
    """One checked row as a record; SettingsError names its supplier and field."""
    supplier = row.get("supplier")
    if not isinstance(supplier, str) or not supplier.strip():
        raise SettingsError("", "supplier id", "is missing")
    name = row.get("name")
    try:
        whole = {field: _whole_number(row.get(field), field) for field in WHOLE_NUMBERS}
        level = _fraction(row.get("service_level"))
        SupplierSettings(service_level=float(level), **whole)
    except SettingError as error:
        named = name if isinstance(name, str) else ""
        raise SettingsError(supplier, error.field, error.problem, name=named) from error
    return ReorderSettingsRecord(
        supplier_id=supplier,
        service_level=level,
        updated_by=actor,
        updated_at=at,
        **whole,
    )


def _whole_number(value: object, field: str) -> int:
    """``value`` as an int when it is a whole number (``7`` or ``7.0``)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if not number.is_integer():
        raise SettingError(field, _must_be("a whole number", value))
    return int(number)


def _fraction(value: object) -> Decimal:
    """``value`` as an exact Decimal (``0.95`` from a float is 0.95, not its binary twin)."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise SettingError("service_level", _must_be("a number such as 0.95", value))
    return number


def _must_be(kind: str, value: object) -> str:
    """``must be a whole number, not 'x'``; ``…, but it is empty`` for an empty cell."""
    empty = value is None or (isinstance(value, float) and math.isnan(value))
    return f"must be {kind}, " + ("but it is empty" if empty else f"not {value!r}")
