"""Reorder settings per supplier (lead time, service level, review period, MOQ, case pack)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lib.db.models import ReorderSettingsRow

DEFAULTS_KEY = "*"


@dataclass(frozen=True)
class ReorderSettingsRecord:
    """Stored settings of one supplier, or the defaults when ``supplier_id`` is '*'."""

    supplier_id: str
    lead_time_days: int
    service_level: Decimal
    review_period_days: int
    moq: int
    case_pack: int
    updated_by: str
    updated_at: datetime


class ReorderSettingsRepository:
    """Read and replace reorder settings; one row per supplier plus the defaults."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> list[ReorderSettingsRecord]:
        """Every stored row, the defaults ('*') first."""
        rows = self._session.scalars(
            select(ReorderSettingsRow).order_by(ReorderSettingsRow.supplier_id)
        )
        return [
            ReorderSettingsRecord(
                r.supplier_id,
                r.lead_time_days,
                r.service_level,
                r.review_period_days,
                r.moq,
                r.case_pack,
                r.updated_by,
                r.updated_at,
            )
            for r in rows
        ]

    def save(self, record: ReorderSettingsRecord) -> None:
        """Store ``record``, replacing that supplier's previous settings."""
        self._session.merge(
            ReorderSettingsRow(
                supplier_id=record.supplier_id,
                lead_time_days=record.lead_time_days,
                service_level=record.service_level,
                review_period_days=record.review_period_days,
                moq=record.moq,
                case_pack=record.case_pack,
                updated_by=record.updated_by,
                updated_at=record.updated_at,
            )
        )
        self._session.flush()
