"""The column mapping and date limit remembered from the last sales upload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from lib.db.models import SalesUploadPreferencesRow

_PREFERENCES_ID = 1


@dataclass(frozen=True)
class SalesPreferences:
    """The column mapping (role → header) and oldest-date limit used last."""

    columns: dict[str, str]
    max_age_days: int
    saved_by: str
    saved_at: datetime


class SalesPreferencesRepository:
    """One remembered mapping for everybody, replaced by each upload (never commits)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def load(self) -> SalesPreferences | None:
        """What was saved last, or None before the first upload."""
        row = self._session.get(SalesUploadPreferencesRow, _PREFERENCES_ID)
        if row is None:
            return None
        return SalesPreferences(
            columns=dict(row.columns),
            max_age_days=row.max_age_days,
            saved_by=row.saved_by,
            saved_at=row.saved_at,
        )

    def save(self, columns: Mapping[str, str], *, max_age_days: int, by: str, at: datetime) -> None:
        """Remember a mapping (role → header) and limit, replacing the previous ones."""
        self._session.merge(
            SalesUploadPreferencesRow(
                id=_PREFERENCES_ID,
                columns=dict(columns),
                max_age_days=max_age_days,
                saved_by=by,
                saved_at=at,
            )
        )
        self._session.flush()
