"""Unit of work: one session, the repositories over it, rollback unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from lib.db.pricing_versions import PricingVersionRepository
from lib.db.repositories import AuditLogRepository, CatalogRepository, CurrencyRateRepository


class UnitOfWork:
    """``with UnitOfWork(factory) as uow: ...; uow.commit()`` — nothing is kept otherwise."""

    catalog: CatalogRepository
    rates: CurrencyRateRepository
    audit: AuditLogRepository
    pricing_versions: PricingVersionRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> Self:
        self._session = self._session_factory()
        self.catalog = CatalogRepository(self._session)
        self.rates = CurrencyRateRepository(self._session)
        self.audit = AuditLogRepository(self._session)
        self.pricing_versions = PricingVersionRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # After a commit this rollback has nothing left to undo.
        self._session.rollback()
        self._session.close()

    def commit(self) -> None:
        """Make every change made so far in this unit of work permanent."""
        self._session.commit()

    def rollback(self) -> None:
        """Discard every change made since the last commit."""
        self._session.rollback()
