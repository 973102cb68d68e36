"""Saving and restoring formula versions when they cannot be done, on each backend: the
refusal says why, and neither a version nor an audit row is stored."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.pricing.plan import PricingPlan
from lib.pricing.rules import Rule
from lib.pricing.versions import (
    MAX_AUTHOR_LENGTH,
    VersionError,
    active_version,
    restore_version,
    save_version,
    version_history,
)

PLAN = PricingPlan.company_wide("TCC * 2")


def audited(session_factory: sessionmaker[Session]) -> list[str]:
    """The audit log's actions, newest first."""
    with UnitOfWork(session_factory) as uow:
        return [entry.action for entry in uow.audit.recent()]


def test_a_plan_with_a_formula_that_cannot_be_read_is_refused_naming_its_rule(
    session_factory: sessionmaker[Session],
) -> None:
    unreadable = PricingPlan(
        rules=(Rule("company", None, "TCC * 2"), Rule("category", "cat-7", "TCC * (2"))
    )

    with pytest.raises(VersionError) as refused:
        save_version(session_factory, unreadable, author="Ayşe", comment="")

    assert str(refused.value).startswith(
        "Nothing was saved: the formula of the category rule for cat-7 cannot be read: "
    )
    assert "at column" in str(refused.value)
    assert version_history(session_factory) == []
    assert audited(session_factory) == []


@pytest.mark.parametrize("author", ["   ", "x" * (MAX_AUTHOR_LENGTH + 1)])
def test_a_save_without_a_usable_author_stores_nothing(
    session_factory: sessionmaker[Session], author: str
) -> None:
    with pytest.raises(VersionError, match="author"):
        save_version(session_factory, PLAN, author=author, comment="")
    assert version_history(session_factory) == []
    assert audited(session_factory) == []


def test_refused_saves_and_restores_leave_the_versions_and_the_audit_log_as_they_were(
    session_factory: sessionmaker[Session],
) -> None:
    first = save_version(session_factory, PLAN, author="Ayşe", comment="")
    second = save_version(
        session_factory, PricingPlan.company_wide("TCC * 3"), author="Ayşe", comment=""
    )
    before = [v.id for v in version_history(session_factory)]

    with pytest.raises(VersionError, match="Nothing to save"):
        save_version(session_factory, second.plan, author="Mehmet", comment="again")
    with pytest.raises(VersionError, match="same plan as the active version"):
        restore_version(session_factory, second.id, author="Mehmet")
    with pytest.raises(VersionError, match="no version 404"):
        restore_version(session_factory, 404, author="Mehmet")
    with pytest.raises(VersionError, match="needs an author"):
        restore_version(session_factory, first.id, author="")

    assert [v.id for v in version_history(session_factory)] == before
    active = active_version(session_factory)
    assert active is not None and active.id == second.id
    assert audited(session_factory) == ["pricing.version.save"] * 2
