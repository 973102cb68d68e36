"""Repositories: the only code that speaks SQL. They return records, never ORM rows.

Each repository works inside the session it is given and never commits: the unit of
work decides when a change becomes visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal, cast

import pandas as pd
from pydantic_core import to_jsonable_python
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from lib.access.policy import Role
from lib.db.models import AuditEntryRow, CatalogProduct, CatalogSync, CurrencyRate, UserRoleRow
from lib.pleasurestock.models import Product

SyncStatus = Literal["ok", "failed"]

# Fields with the same name on Product and on catalog_products; internal_id and id
# are stored as ps_id and uuid.
_SHARED_PRODUCT_FIELDS = (
    "name",
    "sku",
    "description",
    "price",
    "currency",
    "supplier_id",
    "category_id",
    "category_name",
    "category_name_en",
    "tcc_enabled",
    "tcc_coefficient",
    "tcc_total_cost",
    "tcc_currency",
    "tsp_enabled",
    "tsp_value",
    "tsp_formula",
    "tsp_currency",
    "images",
    "created_at",
    "updated_at",
)


# Columns of ``CatalogRepository.load_frame``: every stored field but the image list
# (the sync does not ask for images) and the snapshot time (the same on every row).
SNAPSHOT_FRAME_COLUMNS = ("ps_id", "uuid", *(f for f in _SHARED_PRODUCT_FIELDS if f != "images"))


@dataclass(frozen=True)
class SnapshotInfo:
    """Size and age of the stored catalog snapshot; ``fetched_at`` is None when empty."""

    product_count: int
    fetched_at: datetime | None


@dataclass(frozen=True)
class SyncRecord:
    """One recorded catalog sync attempt."""

    id: int
    started_at: datetime
    finished_at: datetime
    status: SyncStatus
    product_count: int
    error: str | None


@dataclass(frozen=True)
class StoredRate:
    """A stored rate: 1 unit of ``currency`` is worth ``rate_to_try`` Turkish lira."""

    currency: str
    rate_to_try: Decimal
    rate_time: datetime | None
    fetched_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One audit log line; ``before``/``after`` are JSON values."""

    id: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str | None
    before: Any
    after: Any


class CatalogRepository:
    """The catalog snapshot and the history of sync attempts."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def replace_snapshot(self, products: Sequence[Product], *, fetched_at: datetime) -> int:
        """Replace the whole snapshot with ``products``; returns the number stored."""
        rows = [_product_row(product, fetched_at) for product in products]
        self._session.execute(delete(CatalogProduct))
        if rows:
            # One executemany instead of 5,000 ORM objects.
            self._session.execute(insert(CatalogProduct), rows)
        return len(rows)

    def load_products(self) -> list[Product]:
        """Every product of the snapshot, ordered by ps id."""
        rows = self._session.scalars(select(CatalogProduct).order_by(CatalogProduct.ps_id))
        return [_product_from_row(row) for row in rows]

    def load_frame(self) -> pd.DataFrame:
        """The snapshot as one row per product (``SNAPSHOT_FRAME_COLUMNS``), ordered by ps id.

        Every column has object dtype: money stays exact ``Decimal``, a missing value is None.
        """
        selected = [getattr(CatalogProduct, name) for name in SNAPSHOT_FRAME_COLUMNS]
        # Core, not ORM, execution: no ORM row machinery for 50,000 rows.
        query = select(*selected).order_by(CatalogProduct.ps_id)
        rows = self._session.connection().execute(query).all()
        # Column by column from plain tuples: pandas probing Row objects costs seconds.
        columns = zip(*rows, strict=True) if rows else ([] for _ in SNAPSHOT_FRAME_COLUMNS)
        return pd.DataFrame(
            {
                name: pd.Series(values, dtype=object)
                for name, values in zip(SNAPSHOT_FRAME_COLUMNS, columns, strict=True)
            }
        )

    def snapshot_info(self) -> SnapshotInfo:
        """How many products the snapshot holds and when it was fetched."""
        count, fetched_at = self._session.execute(
            select(func.count(), func.max(CatalogProduct.fetched_at))
        ).one()
        return SnapshotInfo(product_count=count, fetched_at=fetched_at)

    def record_sync(
        self,
        started_at: datetime,
        finished_at: datetime,
        status: SyncStatus,
        product_count: int,
        error: str | None = None,
    ) -> None:
        """Remember one sync attempt and how it ended."""
        self._session.add(
            CatalogSync(
                started_at=started_at,
                finished_at=finished_at,
                status=status,
                product_count=product_count,
                error=error,
            )
        )
        self._session.flush()

    def last_sync(self) -> SyncRecord | None:
        """The most recently started sync attempt, whatever its outcome."""
        return self._latest_sync(select(CatalogSync))

    def last_successful_sync(self) -> SyncRecord | None:
        """The most recently started sync attempt that succeeded."""
        return self._latest_sync(select(CatalogSync).where(CatalogSync.status == "ok"))

    def _latest_sync(self, query: Any) -> SyncRecord | None:
        row = self._session.scalars(
            query.order_by(CatalogSync.started_at.desc(), CatalogSync.id.desc()).limit(1)
        ).first()
        if row is None:
            return None
        return SyncRecord(
            id=row.id,
            started_at=row.started_at,
            finished_at=row.finished_at,
            status=cast(SyncStatus, row.status),
            product_count=row.product_count,
            error=row.error,
        )


class CurrencyRateRepository:
    """Fetched currency rates to TRY; history is kept, the newest fetch wins."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        currency: str,
        rate_to_try: Decimal,
        rate_time: datetime | None,
        fetched_at: datetime,
    ) -> None:
        """Append a rate (TRY per unit of ``currency``), keeping earlier ones."""
        self._session.add(
            CurrencyRate(
                currency=currency.upper(),
                rate_to_try=rate_to_try,
                rate_time=rate_time,
                fetched_at=fetched_at,
            )
        )
        self._session.flush()

    def latest(self, currency: str) -> StoredRate | None:
        """The most recently fetched rate of ``currency``, or None if never fetched."""
        row = self._session.scalars(
            select(CurrencyRate)
            .where(CurrencyRate.currency == currency.upper())
            .order_by(CurrencyRate.fetched_at.desc(), CurrencyRate.id.desc())
            .limit(1)
        ).first()
        return None if row is None else _stored_rate(row)

    def latest_all(self) -> dict[str, StoredRate]:
        """The most recently fetched rate of every currency, keyed by currency code."""
        newest_first = self._session.scalars(
            select(CurrencyRate).order_by(CurrencyRate.fetched_at.desc(), CurrencyRate.id.desc())
        )
        latest: dict[str, StoredRate] = {}
        # The history is a few rows per currency per day, so picking in Python is cheap
        # and reads the same on both databases.
        for row in newest_first:
            latest.setdefault(row.currency, _stored_rate(row))
        return latest


class AuditLogRepository:
    """An append-only log of changes made by people and by jobs."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def record(
        self,
        actor: str,
        action: str,
        entity_type: str,
        entity_id: str | None = None,
        before: Any = None,
        after: Any = None,
    ) -> None:
        """Log ``actor`` doing ``action`` (e.g. ``catalog.sync``) to an entity, now."""
        self._session.add(
            AuditEntryRow(
                at=datetime.now(UTC),
                actor=actor,
                action=action,
                entity_type=entity_type,
                entity_id=entity_id,
                # Decimals, dates and datetimes become strings so the JSON column accepts them.
                before=to_jsonable_python(before),
                after=to_jsonable_python(after),
            )
        )
        self._session.flush()

    def recent(self, limit: int = 100) -> list[AuditEntry]:
        """The newest ``limit`` entries, newest first."""
        rows = self._session.scalars(
            select(AuditEntryRow)
            .order_by(AuditEntryRow.at.desc(), AuditEntryRow.id.desc())
            .limit(limit)
        )
        return [
            AuditEntry(
                id=row.id,
                at=row.at,
                actor=row.actor,
                action=row.action,
                entity_type=row.entity_type,
                entity_id=row.entity_id,
                before=row.before,
                after=row.after,
            )
            for row in rows
        ]


@dataclass(frozen=True)
class RoleAssignment:
    """The role an administrator gave an address (lower case), when and by whom."""

    email: str
    role: Role
    assigned_at: datetime
    assigned_by: str


class RoleAssignmentRepository:
    """Roles given in StockDesk, one per address; addresses are compared in lower case."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, email: str) -> RoleAssignment | None:
        """The assignment of ``email``, or None when it has none."""
        row = self._session.get(UserRoleRow, email.strip().lower())
        return None if row is None else _role_assignment(row)

    def all(self) -> list[RoleAssignment]:
        """Every assignment, ordered by address."""
        rows = self._session.scalars(select(UserRoleRow).order_by(UserRoleRow.email))
        return [_role_assignment(row) for row in rows]

    def assign(self, email: str, role: Role, *, by: str) -> RoleAssignment | None:
        """Give ``email`` the role ``role`` (replacing any other); returns the previous one."""
        row = self._session.get(UserRoleRow, email.strip().lower())
        previous = None if row is None else _role_assignment(row)
        if row is None:
            row = UserRoleRow(email=email.strip().lower())
            self._session.add(row)
        row.role, row.assigned_at, row.assigned_by = role.value, datetime.now(UTC), by
        self._session.flush()
        return previous

    def remove(self, email: str) -> RoleAssignment | None:
        """Take the assignment of ``email`` away; returns it, or None if there was none."""
        row = self._session.get(UserRoleRow, email.strip().lower())
        if row is None:
            return None
        removed = _role_assignment(row)
        self._session.delete(row)
        self._session.flush()
        return removed


def _product_row(product: Product, fetched_at: datetime) -> dict[str, Any]:
    """The catalog_products row of one product."""
    row = {field: getattr(product, field) for field in _SHARED_PRODUCT_FIELDS}
    row.update(ps_id=product.internal_id, uuid=product.id, fetched_at=fetched_at)
    return row


def _product_from_row(row: CatalogProduct) -> Product:
    """The Product a catalog_products row was stored from."""
    fields = {field: getattr(row, field) for field in _SHARED_PRODUCT_FIELDS}
    return Product(internal_id=row.ps_id, id=row.uuid, **fields)


def _stored_rate(row: CurrencyRate) -> StoredRate:
    return StoredRate(
        currency=row.currency,
        rate_to_try=row.rate_to_try,
        rate_time=row.rate_time,
        fetched_at=row.fetched_at,
    )


def _role_assignment(row: UserRoleRow) -> RoleAssignment:
    return RoleAssignment(
        email=row.email,
        role=Role(row.role),
        assigned_at=row.assigned_at,
        assigned_by=row.assigned_by,
    )
