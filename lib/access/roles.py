"""Role assignments kept in StockDesk: the role of an address whose identity token names none.

Administrators edit them on the Settings page; every change goes to the audit log
with the administrator as the actor.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session, sessionmaker

from lib.access.policy import Role
from lib.db import RoleAssignment, UnitOfWork

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class RoleAssignmentError(ValueError):
    """An assignment that cannot be made: a bad address, or an administrator's own role."""


def normalise_email(text: str) -> str:
    """``text`` as a lower-case address; raises RoleAssignmentError when it is not one."""
    email = text.strip().lower()
    if not _EMAIL.fullmatch(email):
        raise RoleAssignmentError(
            f"“{text.strip()}” is not an email address. Enter the address the person "
            "signs in with, e.g. ayse@example.com."
        )
    return email


def _refuse_own(email: str, actor: str) -> None:
    # An administrator who demotes themselves may lock everyone out of Settings.
    if email == actor.lower():
        raise RoleAssignmentError(
            "You cannot change your own role. Ask another administrator to do it."
        )


def role_assignments(session_factory: sessionmaker[Session]) -> list[RoleAssignment]:
    """Every stored assignment, ordered by address."""
    with UnitOfWork(session_factory) as uow:
        return uow.roles.all()


def assigned_role(session_factory: sessionmaker[Session], email: str) -> Role | None:
    """The role stored for ``email``, or None."""
    with UnitOfWork(session_factory) as uow:
        assignment = uow.roles.get(email)
    return None if assignment is None else assignment.role


def assign_role(
    session_factory: sessionmaker[Session], email: str, role: Role, *, actor: str
) -> str:
    """Give the address ``email`` the role ``role``, audited as ``actor``; returns the address."""
    address = normalise_email(email)
    _refuse_own(address, actor)
    with UnitOfWork(session_factory) as uow:
        previous = uow.roles.assign(address, role, by=actor)
        uow.audit.record(
            actor,
            "roles.assign",
            "user",
            address,
            before=None if previous is None else {"role": previous.role.value},
            after={"role": role.value},
        )
        uow.commit()
    return address


def remove_role(session_factory: sessionmaker[Session], email: str, *, actor: str) -> bool:
    """Take the stored role of ``email`` away, audited as ``actor``; False if it had none."""
    address = normalise_email(email)
    _refuse_own(address, actor)
    with UnitOfWork(session_factory) as uow:
        removed = uow.roles.remove(address)
        if removed is None:
            return False
        uow.audit.record(
            actor, "roles.remove", "user", address, before={"role": removed.role.value}
        )
        uow.commit()
    return True
