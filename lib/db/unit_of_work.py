"""Unit of work: one session, the repositories over it, rollback unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from lib.db.forecasts import ForecastRepository
from lib.db.item_links import ItemLinkRepository
from lib.db.jobs import JobRepository, WorkerRepository
from lib.db.order_events import OrderStatusChangeRepository, WebhookEventRepository
from lib.db.order_requests import OrderRequestRepository
from lib.db.pricing_versions import PricingVersionRepository
from lib.db.reorder_settings import ReorderSettingsRepository
from lib.db.repositories import (
    AuditLogRepository,
    CatalogRepository,
    CurrencyRateRepository,
    RoleAssignmentRepository,
)
from lib.db.sales_batches import SalesBatchRepository
from lib.db.sales_ledger import SalesLedgerRepository
from lib.db.sales_preferences import SalesPreferencesRepository
from lib.db.sales_uploads import SalesUploadRepository
from lib.db.sources import SourceRepository
from lib.db.stock_days import StockDayRepository
from lib.db.suppliers import SupplierDirectoryRepository


class UnitOfWork:
    """``with UnitOfWork(factory) as uow: ...; uow.commit()`` — nothing is kept otherwise."""

    catalog: CatalogRepository
    rates: CurrencyRateRepository
    audit: AuditLogRepository
    roles: RoleAssignmentRepository
    webhooks: WebhookEventRepository
    order_changes: OrderStatusChangeRepository
    order_requests: OrderRequestRepository
    sales_ledger: SalesLedgerRepository
    sales_uploads: SalesUploadRepository
    sales_batches: SalesBatchRepository
    sales_preferences: SalesPreferencesRepository
    pricing_versions: PricingVersionRepository
    reorder_settings: ReorderSettingsRepository
    suppliers: SupplierDirectoryRepository
    jobs: JobRepository
    workers: WorkerRepository
    sources: SourceRepository
    links: ItemLinkRepository
    stock_days: StockDayRepository
    forecasts: ForecastRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> Self:
        self._session = self._session_factory()
        self.catalog = CatalogRepository(self._session)
        self.rates = CurrencyRateRepository(self._session)
        self.audit = AuditLogRepository(self._session)
        self.roles = RoleAssignmentRepository(self._session)
        self.webhooks = WebhookEventRepository(self._session)
        self.order_changes = OrderStatusChangeRepository(self._session)
        self.order_requests = OrderRequestRepository(self._session)
        self.sales_ledger = SalesLedgerRepository(self._session)
        self.sales_uploads = SalesUploadRepository(self._session)
        self.sales_batches = SalesBatchRepository(self._session)
        self.sales_preferences = SalesPreferencesRepository(self._session)
        self.pricing_versions = PricingVersionRepository(self._session)
        self.reorder_settings = ReorderSettingsRepository(self._session)
        self.suppliers = SupplierDirectoryRepository(self._session)
        self.jobs = JobRepository(self._session)
        self.workers = WorkerRepository(self._session)
        self.sources = SourceRepository(self._session)
        self.links = ItemLinkRepository(self._session)
        self.stock_days = StockDayRepository(self._session)
        self.forecasts = ForecastRepository(self._session)
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
