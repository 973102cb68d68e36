"""The audit log as Settings shows it: who changed what, newest first.

Entries are written by the service functions that make each change, in the same
transaction as the change itself; this module only reads them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from lib.db import AuditEntry, UnitOfWork


def recent_changes(session_factory: sessionmaker[Session], *, limit: int = 50) -> list[AuditEntry]:
    """The newest ``limit`` audit entries, newest first."""
    with UnitOfWork(session_factory) as uow:
        return uow.audit.recent(limit=limit)
