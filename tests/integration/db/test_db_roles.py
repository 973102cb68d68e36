"""Role assignments: stored per lower-case address, audited, never an administrator's own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from lib.access.policy import Role
from lib.access.roles import (
    RoleAssignmentError,
    assign_role,
    assigned_role,
    normalise_email,
    remove_role,
    role_assignments,
)
from lib.db import UnitOfWork, make_session_factory
from lib.db.models import UserRoleRow


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


def test_assign_change_and_remove_are_audited(sessions: sessionmaker[Session]) -> None:
    assert assign_role(sessions, " Ayse@Example.com ", Role.STAFF, actor="it@x.com") == (
        "ayse@example.com"
    )
    assign_role(sessions, "ayse@example.com", Role.FINANCE, actor="it@x.com")
    assert assigned_role(sessions, "AYSE@example.com") == Role.FINANCE
    (stored,) = role_assignments(sessions)
    assert (stored.email, stored.role, stored.assigned_by) == (
        "ayse@example.com",
        Role.FINANCE,
        "it@x.com",
    )

    assert remove_role(sessions, "ayse@example.com", actor="it@x.com")
    assert not remove_role(sessions, "ayse@example.com", actor="it@x.com")
    assert assigned_role(sessions, "ayse@example.com") is None

    with UnitOfWork(sessions) as uow:
        log = [(e.actor, e.action, e.entity_id, e.before, e.after) for e in uow.audit.recent()]
    assert log == [
        ("it@x.com", "roles.remove", "ayse@example.com", {"role": "finance"}, None),
        ("it@x.com", "roles.assign", "ayse@example.com", {"role": "staff"}, {"role": "finance"}),
        ("it@x.com", "roles.assign", "ayse@example.com", None, {"role": "staff"}),
    ]


def test_an_administrator_cannot_change_their_own_role(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(RoleAssignmentError, match="your own role"):
        assign_role(sessions, "IT@x.com", Role.STAFF, actor="it@x.com")
    assert role_assignments(sessions) == []


@pytest.mark.parametrize("text", ["", "ayse", "ayse@", "@example.com", "a b@example.com"])
def test_a_bad_address_says_what_to_enter(text: str) -> None:
    with pytest.raises(RoleAssignmentError, match="is not an email address"):
        normalise_email(text)


def test_the_database_refuses_an_unknown_role(engine: Engine) -> None:
    row = {
        "email": "a@x.com",
        "role": "owner",
        "assigned_at": datetime.now(UTC),
        "assigned_by": "t",
    }
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(UserRoleRow).values(**row))
