"""ORM tables of StockDesk. Only the repositories use these classes; callers get records."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import JSON, CheckConstraint, Index, MetaData, String, Text, text
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
