"""Pricing versions on each backend: round trip, one active version, save/restore with audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork, make_session_factory
from lib.db.models import PricingVersionRow
from lib.pricing.guard_rails import GuardRails
from lib.pricing.plan import PricingPlan
from lib.pricing.rounding import Rounding
from lib.pricing.rules import Rule
from lib.pricing.versions import (
    VersionError,
    active_version,
    restore_version,
    save_version,
    version_history,
)

PLAN = PricingPlan(
    rules=(
        Rule("company", None, "TCC * 2.5 + 104"),
        Rule("category", "c4f3e2d1-a2b3-4c5d-6e7f-8g9h0i1j2k3l", "max(TCC * 3, 50)"),
        Rule("product", "ps_abc123", "round(PRICE * COEF * 2, 1)"),
    ),
    rounding=Rounding("end_99", in_try=True),
    guard_rails=GuardRails(min_margin_pct=Decimal("20"), max_markup_pct=Decimal("312.5")),
)
NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


def test_a_version_round_trips_exactly(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        added = uow.pricing_versions.add(PLAN, author="Ayşe", comment="İlk", created_at=NOW)
        uow.commit()
    with uow_factory() as uow:
        stored = uow.pricing_versions.get(added.id)
    assert stored is not None
    assert stored.plan == PLAN
    assert str(stored.plan.guard_rails.min_margin_pct) == "20"
    assert str(stored.plan.guard_rails.max_markup_pct) == "312.5"
    assert (stored.author, stored.comment, stored.created_at, stored.active) == (
        "Ayşe",
        "İlk",
        NOW,
        False,
    )


def test_one_active_version_and_history_newest_first(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        assert uow.pricing_versions.active() is None
        ids = [
            uow.pricing_versions.add(
                PricingPlan.company_wide(f"TCC * {n}"),
                author="finance",
                comment="",
                created_at=NOW + timedelta(minutes=n),
            ).id
            for n in (1, 2, 3)
        ]
        uow.pricing_versions.activate(ids[0])
        uow.pricing_versions.activate(ids[2])
        uow.commit()
    with uow_factory() as uow:
        active = uow.pricing_versions.active()
        history = uow.pricing_versions.history()
    assert active is not None and active.id == ids[2]
    assert [v.id for v in history] == ids[::-1]
    assert [v.active for v in history] == [True, False, False]
    with uow_factory() as uow, pytest.raises(KeyError, match="no pricing version 999"):
        uow.pricing_versions.activate(999)


def test_the_database_refuses_a_second_active_version(engine: Engine) -> None:
    row = {
        "rules": [Rule("company", None, "TCC").to_json()],
        "rounding": "none",
        "rounding_in_try": False,
        "author": "finance",
        "created_at": NOW,
        "comment": "",
        "active": True,
    }
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(PricingVersionRow), [row, row])


def test_save_activates_and_audits(sessions: sessionmaker[Session]) -> None:
    first = save_version(sessions, PLAN, author="  Ayşe  ", comment=" first ")
    second = save_version(
        sessions, PricingPlan.company_wide("TCC * 3"), author="Mehmet", comment=""
    )
    assert (first.author, first.comment, first.active) == ("Ayşe", "first", True)
    active = active_version(sessions)
    assert active is not None and active.id == second.id
    assert [v.id for v in version_history(sessions)] == [second.id, first.id]
    with UnitOfWork(sessions) as uow:
        entries = uow.audit.recent()
    assert [e.action for e in entries] == ["pricing.version.save"] * 2
    newest = entries[0]
    assert (newest.actor, newest.entity_type, newest.entity_id) == (
        "Mehmet",
        "pricing_version",
        str(second.id),
    )
    assert newest.before == {"active_version": first.id}
    assert newest.after["rules"] == [{"scope": "company", "key": None, "formula": "TCC * 3"}]
    assert entries[1].after["guard_rails"] == {"min_margin_pct": "20", "max_markup_pct": "312.5"}


def test_save_refuses_bad_input(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(VersionError, match="needs an author"):
        save_version(sessions, PLAN, author="  ", comment="")
    with pytest.raises(ValueError, match="unknown name `TCCC` at column 1"):
        save_version(sessions, PricingPlan.company_wide("TCCC * 2"), author="a", comment="")
    save_version(sessions, PLAN, author="a", comment="")
    with pytest.raises(VersionError, match="Nothing to save"):
        save_version(sessions, PLAN, author="a", comment="again")
    assert len(version_history(sessions)) == 1


def test_restore_copies_an_older_version_and_audits(sessions: sessionmaker[Session]) -> None:
    first = save_version(sessions, PLAN, author="Ayşe", comment="first")
    second = save_version(sessions, PricingPlan.company_wide("TCC * 3"), author="a", comment="")
    restored = restore_version(sessions, first.id, author="Mehmet", comment="back to v1")
    assert restored.id not in (first.id, second.id)
    assert restored.plan == PLAN and restored.active
    assert restored.comment == f"Restored from version {first.id}: back to v1"
    active = active_version(sessions)
    assert active is not None and active.id == restored.id
    with UnitOfWork(sessions) as uow:
        entry = uow.audit.recent(limit=1)[0]
    assert (entry.action, entry.actor) == ("pricing.version.restore", "Mehmet")
    assert entry.before == {"active_version": second.id}
    assert entry.after["restored_from"] == first.id
    with pytest.raises(VersionError, match="same plan as the active version"):
        restore_version(sessions, first.id, author="Mehmet")
    with pytest.raises(VersionError, match="no version 999"):
        restore_version(sessions, 999, author="Mehmet")
