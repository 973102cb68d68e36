"""Formula versions: save a plan, list them, restore an older one; each change is audited.

Versions are never edited: saving creates a new version and makes it the active one,
and restoring creates a new version equal to an older one and activates that.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from lib.db import PricingVersion, UnitOfWork
from lib.pricing.formula import FormulaError, parse
from lib.pricing.plan import PricingPlan

MAX_AUTHOR_LENGTH = 100
ENTITY = "pricing_version"


class VersionError(ValueError):
    """A save or restore that cannot be done, with what to do instead."""


def active_version(session_factory: sessionmaker[Session]) -> PricingVersion | None:
    """The active version, or None before the first save."""
    with UnitOfWork(session_factory) as uow:
        return uow.pricing_versions.active()


def version_history(session_factory: sessionmaker[Session]) -> list[PricingVersion]:
    """Every saved version, newest first."""
    with UnitOfWork(session_factory) as uow:
        return uow.pricing_versions.history()


def save_version(
    session_factory: sessionmaker[Session], plan: PricingPlan, *, author: str, comment: str
) -> PricingVersion:
    """Save ``plan`` as a new active version and audit it; VersionError (nothing saved)
    without an author, when a formula cannot be read or when it is the active plan."""
    author = _author(author)
    _check_formulas(plan)
    with UnitOfWork(session_factory) as uow:
        previous = uow.pricing_versions.active()
        if previous is not None and previous.plan == plan:
            raise VersionError(
                f"Nothing to save: this is the active version {previous.id}. "
                "Change a formula, the rounding or a guard rail first."
            )
        version = _add_active(uow, plan, author, comment.strip())
        uow.audit.record(
            author,
            "pricing.version.save",
            ENTITY,
            str(version.id),
            before={"active_version": previous.id if previous else None},
            after={"version": version.id, "comment": version.comment, **plan.to_json()},
        )
        uow.commit()
    return version


def restore_version(
    session_factory: sessionmaker[Session], version_id: int, *, author: str, comment: str = ""
) -> PricingVersion:
    """Save a copy of version ``version_id`` as the new active version and return the copy."""
    author = _author(author)
    with UnitOfWork(session_factory) as uow:
        older = uow.pricing_versions.get(version_id)
        if older is None:
            raise VersionError(f"There is no version {version_id} to restore.")
        previous = uow.pricing_versions.active()
        if previous is not None and previous.plan == older.plan:
            raise VersionError(
                f"Version {version_id} has the same plan as the active version {previous.id}."
            )
        note = f"Restored from version {version_id}" + (f": {comment.strip()}" if comment else "")
        version = _add_active(uow, older.plan, author, note)
        uow.audit.record(
            author,
            "pricing.version.restore",
            ENTITY,
            str(version.id),
            before={"active_version": previous.id if previous else None},
            after={"version": version.id, "restored_from": version_id, "comment": note},
        )
        uow.commit()
    return version


def _add_active(uow: UnitOfWork, plan: PricingPlan, author: str, comment: str) -> PricingVersion:
    version = uow.pricing_versions.add(
        plan, author=author, comment=comment, created_at=datetime.now(UTC)
    )
    uow.pricing_versions.activate(version.id)
    return replace(version, active=True)


def _check_formulas(plan: PricingPlan) -> None:
    """Refuse a plan with a formula that cannot be read, naming its rule."""
    for rule in plan.rules:
        try:
            parse(rule.formula)
        except FormulaError as error:
            where = "the company default" if rule.scope == "company" else f"the {rule.scope} rule"
            target = "" if rule.key is None else f" for {rule.key}"
            raise VersionError(
                f"Nothing was saved: the formula of {where}{target} cannot be read: {error}"
            ) from error


def _author(name: str) -> str:
    name = name.strip()
    if not name:
        raise VersionError("A version needs an author: sign in before saving.")
    if len(name) > MAX_AUTHOR_LENGTH:
        raise VersionError(f"The author name is longer than {MAX_AUTHOR_LENGTH} characters.")
    return name
