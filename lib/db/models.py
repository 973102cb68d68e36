"""ORM tables of StockDesk. Only the repositories use these classes; callers get records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from lib.db.types import ExactDecimal, UtcDateTime

# Named constraints, so later Alembic revisions can drop or alter them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# none_as_null: a missing value is SQL NULL, not the JSON text "null".
NullableJson = JSON(none_as_null=True)


class Base(DeclarativeBase):
    """Declarative base: money is ExactDecimal, datetimes are aware UTC."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        Decimal: ExactDecimal(),
        datetime: UtcDateTime(),
        str: String(),
    }


class CatalogProduct(Base):
    """One product of the current catalog snapshot; the API may omit most fields."""

    __tablename__ = "catalog_products"

    ps_id: Mapped[str] = mapped_column(primary_key=True)
    uuid: Mapped[str | None]
    name: Mapped[str]
    sku: Mapped[str] = mapped_column(index=True)
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal | None]
    currency: Mapped[str | None]
    supplier_id: Mapped[str | None]
    category_id: Mapped[str | None]
    category_name: Mapped[str | None]
    category_name_en: Mapped[str | None]
    tcc_enabled: Mapped[bool | None]
    tcc_coefficient: Mapped[Decimal | None]
    tcc_total_cost: Mapped[Decimal | None]
    tcc_currency: Mapped[str | None]
    tsp_enabled: Mapped[bool | None]
    tsp_value: Mapped[Decimal | None]
    tsp_formula: Mapped[str | None] = mapped_column(Text)
    tsp_currency: Mapped[str | None]
    images: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime]


class CatalogSync(Base):
    """One attempt to fetch the catalog, successful or not."""

    __tablename__ = "catalog_syncs"
    __table_args__ = (CheckConstraint("status IN ('ok', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    product_count: Mapped[int]
    error: Mapped[str | None] = mapped_column(Text)


class CurrencyRate(Base):
    """One fetched rate of a currency to Turkish lira; rows are appended, never updated."""

    __tablename__ = "currency_rates"
    __table_args__ = (
        CheckConstraint("length(currency) = 3", name="currency_code"),
        Index("ix_currency_rates_currency_fetched_at", "currency", "fetched_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    rate_to_try: Mapped[Decimal]
    rate_time: Mapped[datetime | None]
    fetched_at: Mapped[datetime]


class AuditEntryRow(Base):
    """Who did what to which entity, with JSON snapshots before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str]
    action: Mapped[str]
    entity_type: Mapped[str]
    entity_id: Mapped[str | None]
    before: Mapped[Any | None] = mapped_column(NullableJson)
    after: Mapped[Any | None] = mapped_column(NullableJson)


class UserRoleRow(Base):
    """The role an administrator gave a signed-in user's address (used when the token has none)."""

    __tablename__ = "user_roles"
    __table_args__ = (
        CheckConstraint("role IN ('purchasing', 'finance', 'staff', 'admin')", name="role"),
    )

    email: Mapped[str] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    assigned_at: Mapped[datetime]
    assigned_by: Mapped[str]


class WebhookEventRow(Base):
    """One webhook event from PleasureStock, stored once per ``delivery_key``."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A hash of the signed content (lib.orders.webhooks.delivery_key): replays cannot change it.
    delivery_key: Mapped[str] = mapped_column(unique=True)
    # The sender's X-Webhook-Id of the first delivery, for its log; not signed, not unique.
    webhook_id: Mapped[str | None]
    event: Mapped[str]
    order_number: Mapped[str | None] = mapped_column(index=True)
    event_time: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(index=True)
    payload: Mapped[Any] = mapped_column(JSON)


class OrderStatusChangeRow(Base):
    """A status change StockDesk asked PleasureStock for, applied or of unknown outcome."""

    __tablename__ = "order_status_changes"
    __table_args__ = (CheckConstraint("outcome IN ('applied', 'unknown')", name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_number: Mapped[str] = mapped_column(index=True)
    from_status: Mapped[str]
    to_status: Mapped[str]
    outcome: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str]
    comment: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime]
    # The server's statusChangedAt; None when its answer never came.
    server_changed_at: Mapped[datetime | None]


BATCH_STATES = ("pending", "sending", "accepted", "refused", "unknown", "cancelled")


class SalesLedgerDay(Base):
    """What StockDesk has sent PleasureStock for one product and day: the server's view of it
    (quantities summed, the highest stock kept)."""

    __tablename__ = "sales_ledger"
    __table_args__ = (Index("ix_sales_ledger_day", "day"),)

    ps_id: Mapped[str] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    quantity: Mapped[int] = mapped_column(BigInteger)
    stock_on_hand: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]


class SalesUploadRow(Base):
    """One sales file sent (or being sent) to PleasureStock, with what the check found.

    ``open_slot`` is 1 while the upload has batches left to send or to resolve and NULL
    afterwards; its unique constraint lets only one upload be open at a time.
    """

    __tablename__ = "sales_uploads"
    __table_args__ = (
        CheckConstraint("open_slot = 1", name="open_slot"),
        UniqueConstraint("open_slot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_at: Mapped[datetime] = mapped_column(index=True)
    uploaded_by: Mapped[str]
    file_name: Mapped[str]
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows_in_file: Mapped[int]
    good_rows: Mapped[int]
    bad_rows: Mapped[int]
    product_days: Mapped[int]
    rows_to_send: Mapped[int]
    unchanged: Mapped[int]
    corrections: Mapped[int]
    open_slot: Mapped[int | None]
    finished_at: Mapped[datetime | None]


class SalesUploadBatchRow(Base):
    """Up to 1,000 sales rows of an upload, sent in one request, and what became of them."""

    __tablename__ = "sales_upload_batches"
    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in BATCH_STATES) + ")", name="state"
        ),
        UniqueConstraint("upload_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("sales_uploads.id", ondelete="CASCADE"))
    seq: Mapped[int]
    state: Mapped[str] = mapped_column(String(16))
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    row_count: Mapped[int]
    quantity_total: Mapped[int] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    row_errors: Mapped[list[dict[str, Any]] | None] = mapped_column(NullableJson)
    claimed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)


class SalesUploadPreferencesRow(Base):
    """The column mapping and date limit used for the last upload (one row, id 1)."""

    __tablename__ = "sales_upload_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    columns: Mapped[dict[str, str]] = mapped_column(JSON)
    max_age_days: Mapped[int]
    saved_by: Mapped[str]
    saved_at: Mapped[datetime]


class PricingVersionRow(Base):
    """One saved pricing plan: rules as JSON, rounding and guard rails; one version is active."""

    __tablename__ = "pricing_versions"
    __table_args__ = (
        CheckConstraint(
            "rounding IN ('none', 'end_99', 'end_90', 'multiple_5', 'multiple_10')",
            name="rounding",
        ),
        # At most one active version, enforced by the database on both backends.
        Index(
            "uq_pricing_versions_active",
            "active",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rules: Mapped[list[dict[str, str | None]]] = mapped_column(JSON)
    rounding: Mapped[str] = mapped_column(String(16))
    rounding_in_try: Mapped[bool]
    min_margin_pct: Mapped[Decimal | None]
    max_markup_pct: Mapped[Decimal | None]
    author: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(index=True)
    comment: Mapped[str] = mapped_column(Text)
    active: Mapped[bool]


class ReorderSettingsRow(Base):
    """Reorder settings of one supplier; the row with supplier_id '*' holds the defaults."""

    __tablename__ = "reorder_settings"
    __table_args__ = (
        CheckConstraint(
            "lead_time_days >= 0 AND review_period_days >= 0 AND moq >= 1 AND case_pack >= 1",
            name="positive",
        ),
    )

    supplier_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lead_time_days: Mapped[int]
    service_level: Mapped[Decimal]
    review_period_days: Mapped[int]
    moq: Mapped[int]
    case_pack: Mapped[int]
    updated_by: Mapped[str]
    updated_at: Mapped[datetime]


ORDER_REQUEST_STATES = ("pending", "sending", "placed", "unknown", "rejected", "not_sent")


class OrderRequestRow(Base):
    """One purchase order StockDesk asks PleasureStock for: one supplier's lines under one
    ``externalOrderId``, stored before it is sent, and what became of it."""

    __tablename__ = "order_requests"
    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in ORDER_REQUEST_STATES) + ")", name="state"
        ),
        Index("ix_order_requests_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_order_id: Mapped[str] = mapped_column(String(64), unique=True)
    supplier_id: Mapped[str | None]
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str]
    requested_at: Mapped[datetime]
    attempts: Mapped[int]
    claimed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # What PleasureStock recorded once placed: order number, status, total, currency.
    orders: Mapped[list[dict[str, Any]] | None] = mapped_column(NullableJson)
    # The last outcome in words: why it is unknown, the refusal, the lookup that failed.
    message: Mapped[str | None] = mapped_column(Text)
    # Set when it was requested although the supplier had unresolved requests.
    override_of: Mapped[list[str] | None] = mapped_column(NullableJson)


class SupplierNameRow(Base):
    """The name of one supplier id: learnt from PleasureStock's orders, or given by an
    administrator for a supplier no order has named."""

    __tablename__ = "supplier_directory"
    __table_args__ = (CheckConstraint("source IN ('orders', 'admin')", name="source"),)

    supplier_id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    source: Mapped[str] = mapped_column(String(16))
    updated_by: Mapped[str]
    updated_at: Mapped[datetime]


JOB_STATES = ("pending", "running", "done", "failed", "unknown", "interrupted")
# A job in one of these states holds its (kind, subject): that is the single-flight rule.
ACTIVE_JOB_STATES = ("pending", "running")
_ACTIVE_JOB = text("state IN (" + ", ".join(f"'{s}'" for s in ACTIVE_JOB_STATES) + ")")


class JobRow(Base):
    """One run of background work (a sales send, a catalog sync): its state, progress and
    last error. The queue only carries the id; this row is the truth."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("state IN (" + ", ".join(f"'{s}'" for s in JOB_STATES) + ")", name="state"),
        Index(
            "uq_jobs_active",
            "kind",
            "subject",
            unique=True,
            sqlite_where=_ACTIVE_JOB,
            postgresql_where=_ACTIVE_JOB,
        ),
        # One job per scheduled slot, however many workers' ticks try to start it.
        UniqueConstraint("kind", "slot", name="uq_jobs_kind_slot"),
        Index("ix_jobs_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # What it acts on (an upload id), "" when there is only one of its kind (catalog sync).
    subject: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    progress_done: Mapped[int]
    progress_total: Mapped[int]
    message: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str]
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    worker_id: Mapped[str | None]
    slot: Mapped[str | None] = mapped_column(String(64))


class WorkerRow(Base):
    """A process that runs jobs, and when it last said it is alive."""

    __tablename__ = "workers"

    worker_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    started_at: Mapped[datetime]
    last_seen: Mapped[datetime]
    embedded: Mapped[bool]


SOURCE_SYNC_STATES = ("ok", "failed")


class SourceItemRow(Base):
    """One item of a source's current snapshot (a Stock2Shop variant, a PleasureStock
    product), normalised; ``raw`` is what the source sent, for the detail view."""

    __tablename__ = "source_items"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    item_key: Mapped[str] = mapped_column(primary_key=True)
    parent_key: Mapped[str | None]
    name: Mapped[str] = mapped_column(Text)
    sku: Mapped[str | None]
    barcode: Mapped[str | None]
    category_path: Mapped[list[str]] = mapped_column(JSON)
    brand: Mapped[str | None]
    supplier_code: Mapped[str | None]
    images: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool]
    updated_at: Mapped[datetime | None]
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    fetched_at: Mapped[datetime]


class SourcePriceRow(Base):
    """One price point of a source's item; ``currency`` NULL when nobody knows it."""

    __tablename__ = "source_prices"
    __table_args__ = (Index("ix_source_prices_source_item", "source", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    item_key: Mapped[str]
    kind: Mapped[str]
    min_qty: Mapped[int]
    max_qty: Mapped[int | None]
    amount: Mapped[Decimal]
    currency: Mapped[str | None] = mapped_column(String(3))


class _WarehouseStock:
    """The columns of one item's stock in one warehouse; NULL figures are unknown."""

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    item_key: Mapped[str]
    warehouse_key: Mapped[str]
    warehouse_name: Mapped[str]
    on_hand: Mapped[int | None] = mapped_column(BigInteger)
    reserved: Mapped[int | None] = mapped_column(BigInteger)
    available: Mapped[int | None] = mapped_column(BigInteger)


class SourceStockRow(_WarehouseStock, Base):
    """Stock of a source's item in one of its warehouses; NULL figures are unknown."""

    __tablename__ = "source_stock"
    __table_args__ = (
        CheckConstraint("kind IN ('own', 'supplier')", name="kind"),
        Index("ix_source_stock_source_item", "source", "item_key"),
    )

    kind: Mapped[str] = mapped_column(String(16))


class SourceStockDayRow(_WarehouseStock, Base):
    """Our stock of a source's item in one warehouse as read on ``day`` (the shop's day):
    the source keeps no history, so this is the only record of a past day's stock."""

    __tablename__ = "source_stock_days"
    __table_args__ = (Index("ix_source_stock_days_source_day", "source", "day", "item_key"),)

    day: Mapped[date]
    taken_at: Mapped[datetime]


class SourceStockReadRow(Base):
    """When a source's item's stock was last asked for (found or not): the budget reads
    the oldest first."""

    __tablename__ = "source_stock_reads"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    item_key: Mapped[str] = mapped_column(primary_key=True)
    read_at: Mapped[datetime]


class SourceSyncRow(Base):
    """One attempt to fetch a source's snapshot, successful or not."""

    __tablename__ = "source_syncs"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in SOURCE_SYNC_STATES) + ")", name="status"
        ),
        Index("ix_source_syncs_source_started_at", "source", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    item_count: Mapped[int]
    error: Mapped[str | None] = mapped_column(Text)


LINK_STATES = ("proposed", "confirmed", "rejected")
LINK_METHODS = ("barcode", "sku")
# An item belongs to at most one proposed or confirmed group; rejected ones are history.
_LIVE_LINK = text("state IN ('proposed', 'confirmed')")


class ItemLinkRow(Base):
    """One item's membership of a link group: the items of every source that are one
    product. StockDesk proposes a group, a person confirms or rejects it."""

    __tablename__ = "item_links"
    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in LINK_STATES) + ")", name="state"
        ),
        CheckConstraint(
            "method IN (" + ", ".join(f"'{m}'" for m in LINK_METHODS) + ")", name="method"
        ),
        Index(
            "uq_item_links_live_item",
            "source",
            "item_key",
            unique=True,
            sqlite_where=_LIVE_LINK,
            postgresql_where=_LIVE_LINK,
        ),
        Index("ix_item_links_group_id", "group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(32))
    item_key: Mapped[str]
    method: Mapped[str] = mapped_column(String(16))
    # The normalised code both items carry, for a person to check.
    code: Mapped[str]
    state: Mapped[str] = mapped_column(String(16))
    proposed_at: Mapped[datetime]
    confirmed_by: Mapped[str | None]
    confirmed_at: Mapped[datetime | None]


class ProductForecastRow(Base):
    """The forecast engine's latest result for one product (the job replaces them all)."""

    __tablename__ = "product_forecasts"

    ps_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(32))
    # Backtest MAE (units a day) of the model, and the spread of its daily errors.
    mae: Mapped[float | None] = mapped_column(Float)
    spread: Mapped[float] = mapped_column(Float)
    # The daily forecasts from the day after the history on, as a JSON list of numbers.
    daily: Mapped[list[float]] = mapped_column(JSON)
    history_end: Mapped[date]
    computed_at: Mapped[datetime]
