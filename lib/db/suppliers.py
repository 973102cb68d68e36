"""The supplier directory: a name for each supplier id, from PleasureStock's orders or an
administrator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lib.db.models import CatalogProduct, SupplierNameRow

SupplierSource = Literal["orders", "admin"]


@dataclass(frozen=True)
class SupplierName:
    """One entry of the directory and who gave the name (``orders`` or ``admin``)."""

    supplier_id: str
    name: str
    source: SupplierSource
    updated_by: str
    updated_at: datetime


class SupplierDirectoryRepository:
    """Read and write supplier names; one row per supplier id."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def names(self) -> dict[str, str]:
        """Supplier id -> name, for every named supplier."""
        rows = self._session.execute(select(SupplierNameRow.supplier_id, SupplierNameRow.name))
        return {row.supplier_id: row.name for row in rows}

    def all(self) -> list[SupplierName]:
        """Every entry, by name."""
        rows = self._session.scalars(
            select(SupplierNameRow).order_by(SupplierNameRow.name, SupplierNameRow.supplier_id)
        )
        return [_record(row) for row in rows]

    def get(self, supplier_id: str) -> SupplierName | None:
        """The entry of ``supplier_id``, if it has a name."""
        row = self._session.get(SupplierNameRow, supplier_id)
        return None if row is None else _record(row)

    def learn(self, names: Mapping[str, str], *, by: str, at: datetime) -> dict[str, str | None]:
        """Store the names PleasureStock's orders give, over any older name (an
        administrator's too: the orders carry the name PleasureStock uses).

        Returns supplier id -> previous name (None if it had none) of each entry changed.
        """
        changed: dict[str, str | None] = {}
        for supplier_id, name in names.items():
            row = self._session.get(SupplierNameRow, supplier_id)
            if row is None:
                self._session.add(
                    SupplierNameRow(
                        supplier_id=supplier_id,
                        name=name,
                        source="orders",
                        updated_by=by,
                        updated_at=at,
                    )
                )
                changed[supplier_id] = None
            elif (row.name, row.source) != (name, "orders"):
                changed[supplier_id] = row.name
                row.name, row.source, row.updated_by, row.updated_at = name, "orders", by, at
        self._session.flush()
        return changed

    def set_name(self, supplier_id: str, name: str, *, by: str, at: datetime) -> None:
        """Store an administrator's name for ``supplier_id``."""
        self._session.merge(
            SupplierNameRow(
                supplier_id=supplier_id, name=name, source="admin", updated_by=by, updated_at=at
            )
        )
        self._session.flush()

    def remove(self, supplier_id: str) -> None:
        """Forget the name of ``supplier_id``."""
        row = self._session.get(SupplierNameRow, supplier_id)
        if row is not None:
            self._session.delete(row)
            self._session.flush()

    def catalog_supplier_ids(self) -> list[str]:
        """The distinct supplier ids of the stored catalog snapshot, sorted."""
        ids = self._session.scalars(
            select(CatalogProduct.supplier_id)
            .where(CatalogProduct.supplier_id.is_not(None))
            .distinct()
            .order_by(CatalogProduct.supplier_id)
        )
        return [supplier_id for supplier_id in ids if supplier_id]


def _record(row: SupplierNameRow) -> SupplierName:
    source: SupplierSource = "admin" if row.source == "admin" else "orders"
    return SupplierName(row.supplier_id, row.name, source, row.updated_by, row.updated_at)
