"""Saved pricing plans (formula versions): append-only, with one active version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lib.db.models import PricingVersionRow
from lib.pricing.guard_rails import GuardRails
from lib.pricing.plan import PricingPlan
from lib.pricing.rounding import Rounding, RoundingMode
from lib.pricing.rules import Rule


@dataclass(frozen=True)
class PricingVersion:
    """One saved plan with who saved it, when, why, and whether it is the active one."""

    id: int
    plan: PricingPlan
    author: str
    created_at: datetime
    comment: str
    active: bool


class PricingVersionRepository:
    """Pricing versions; a version's plan is never changed once saved."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, plan: PricingPlan, *, author: str, comment: str, created_at: datetime
    ) -> PricingVersion:
        """Store ``plan`` as a new, inactive version and return it with its id."""
        row = PricingVersionRow(
            rules=[rule.to_json() for rule in plan.rules],
            rounding=plan.rounding.mode,
            rounding_in_try=plan.rounding.in_try,
            min_margin_pct=plan.guard_rails.min_margin_pct,
            max_markup_pct=plan.guard_rails.max_markup_pct,
            author=author,
            created_at=created_at,
            comment=comment,
            active=False,
        )
        self._session.add(row)
        self._session.flush()
        return _version(row)

    def activate(self, version_id: int) -> None:
        """Make ``version_id`` the only active version; KeyError if there is no such version."""
        if self._session.get(PricingVersionRow, version_id) is None:
            raise KeyError(f"no pricing version {version_id}")
        # Deactivate first: the unique index allows one active row at any moment.
        self._session.execute(
            update(PricingVersionRow).where(PricingVersionRow.active).values(active=False)
        )
        self._session.execute(
            update(PricingVersionRow).where(PricingVersionRow.id == version_id).values(active=True)
        )
        self._session.expire_all()

    def get(self, version_id: int) -> PricingVersion | None:
        """The version with this id, or None."""
        row = self._session.get(PricingVersionRow, version_id)
        return None if row is None else _version(row)

    def active(self) -> PricingVersion | None:
        """The active version, or None before the first save."""
        row = self._session.scalars(
            select(PricingVersionRow).where(PricingVersionRow.active)
        ).first()
        return None if row is None else _version(row)

    def history(self) -> list[PricingVersion]:
        """Every version, newest first."""
        rows = self._session.scalars(
            select(PricingVersionRow).order_by(
                PricingVersionRow.created_at.desc(), PricingVersionRow.id.desc()
            )
        )
        return [_version(row) for row in rows]


def _version(row: PricingVersionRow) -> PricingVersion:
    return PricingVersion(
        id=row.id,
        plan=PricingPlan(
            rules=tuple(Rule.from_json(rule) for rule in row.rules),
            rounding=Rounding(mode=cast(RoundingMode, row.rounding), in_try=row.rounding_in_try),
            guard_rails=GuardRails(
                min_margin_pct=row.min_margin_pct, max_markup_pct=row.max_markup_pct
            ),
        ),
        author=row.author,
        created_at=row.created_at,
        comment=row.comment,
        active=row.active,
    )
