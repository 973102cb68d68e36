"""StockDesk storage: engines, migrations, repositories and the unit of work.

Typical start-up::

    engine = make_engine(settings.stockdesk_database_url)
    upgrade_to_head(engine)
    session_factory = make_session_factory(engine)
    with UnitOfWork(session_factory) as uow:
        products = uow.catalog.load_products()
"""

from lib.db.database import Database, open_database
from lib.db.engine import make_engine, make_session_factory
from lib.db.forecasts import ForecastRepository, ProductForecast, StoredForecasts
from lib.db.item_links import (
    ItemLinkRepository,
    LinkGroup,
    LinkState,
)
from lib.db.jobs import (
    JobRecord,
    JobRepository,
    JobState,
    JobTakenError,
    WorkerRecord,
    WorkerRepository,
)
from lib.db.migrate import current_revision, upgrade_to_head
from lib.db.order_events import (
    OrderStatusChangeRepository,
    StatusChangeRecord,
    WebhookEventRecord,
    WebhookEventRepository,
)
from lib.db.order_requests import (
    UNRESOLVED_STATES,
    OrderRequestRecord,
    OrderRequestRepository,
    RequestState,
)
from lib.db.pricing_versions import PricingVersion, PricingVersionRepository
from lib.db.reorder_settings import ReorderSettingsRecord, ReorderSettingsRepository
from lib.db.repositories import (
    SNAPSHOT_FRAME_COLUMNS,
    AuditEntry,
    AuditLogRepository,
    CatalogRepository,
    CurrencyRateRepository,
    RoleAssignment,
    RoleAssignmentRepository,
    SnapshotInfo,
    StoredRate,
    SyncRecord,
    SyncStatus,
)
from lib.db.sales_batches import BatchRecord, BatchState, SalesBatchRepository
from lib.db.sales_ledger import LedgerDay, SalesLedgerRepository
from lib.db.sales_preferences import SalesPreferences, SalesPreferencesRepository
from lib.db.sales_uploads import (
    BatchCounts,
    NewUpload,
    SalesUploadRepository,
    UploadAlreadyOpenError,
    UploadRecord,
)
from lib.db.sources import SourceRepository, SourceSyncRecord, SourceSyncStatus
from lib.db.suppliers import SupplierDirectoryRepository, SupplierName
from lib.db.unit_of_work import UnitOfWork

__all__ = [
    "SNAPSHOT_FRAME_COLUMNS",
    "UNRESOLVED_STATES",
    "AuditEntry",
    "AuditLogRepository",
    "BatchCounts",
    "BatchRecord",
    "BatchState",
    "CatalogRepository",
    "CurrencyRateRepository",
    "Database",
    "ForecastRepository",
    "ItemLinkRepository",
    "JobRecord",
    "JobRepository",
    "JobState",
    "JobTakenError",
    "LedgerDay",
    "LinkGroup",
    "LinkState",
    "NewUpload",
    "OrderRequestRecord",
    "OrderRequestRepository",
    "OrderStatusChangeRepository",
    "PricingVersion",
    "PricingVersionRepository",
    "ProductForecast",
    "ReorderSettingsRecord",
    "ReorderSettingsRepository",
    "RequestState",
    "RoleAssignment",
    "RoleAssignmentRepository",
    "SalesBatchRepository",
    "SalesLedgerRepository",
    "SalesPreferences",
    "SalesPreferencesRepository",
    "SalesUploadRepository",
    "SnapshotInfo",
    "SourceRepository",
    "SourceSyncRecord",
    "SourceSyncStatus",
    "StatusChangeRecord",
    "StoredForecasts",
    "StoredRate",
    "SupplierDirectoryRepository",
    "SupplierName",
    "SyncRecord",
    "SyncStatus",
    "UnitOfWork",
    "UploadAlreadyOpenError",
    "UploadRecord",
    "WebhookEventRecord",
    "WebhookEventRepository",
    "WorkerRecord",
    "WorkerRepository",
    "current_revision",
    "make_engine",
    "make_session_factory",
    "open_database",
    "upgrade_to_head",
]
