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
from lib.db.migrate import current_revision, upgrade_to_head
from lib.db.repositories import (
    AuditEntry,
    AuditLogRepository,
    CatalogRepository,
    CurrencyRateRepository,
    SnapshotInfo,
    StoredRate,
    SyncRecord,
    SyncStatus,
)
from lib.db.sales_ledger import LedgerDay, SalesLedgerRepository
from lib.db.sales_uploads import (
    BatchCounts,
    BatchRecord,
    BatchState,
    NewUpload,
    SalesPreferences,
    SalesPreferencesRepository,
    SalesUploadRepository,
    UploadAlreadyOpenError,
    UploadRecord,
)
from lib.db.unit_of_work import UnitOfWork

__all__ = [
    "AuditEntry",
    "AuditLogRepository",
    "BatchCounts",
    "BatchRecord",
    "BatchState",
    "CatalogRepository",
    "CurrencyRateRepository",
    "Database",
    "LedgerDay",
    "NewUpload",
    "SalesLedgerRepository",
    "SalesPreferences",
    "SalesPreferencesRepository",
    "SalesUploadRepository",
    "SnapshotInfo",
    "StoredRate",
    "SyncRecord",
    "SyncStatus",
    "UnitOfWork",
    "UploadAlreadyOpenError",
    "UploadRecord",
    "current_revision",
    "make_engine",
    "make_session_factory",
    "open_database",
    "upgrade_to_head",
]
