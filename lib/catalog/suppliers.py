"""The supplier directory: a name for each supplier id the catalog, reorder and pricing show.

PleasureStock names suppliers only in its orders: a listed order carries ``supplierName``
(and, in some answers, ``supplierId``), an order's detail ``supplier {id, name}``. The
directory keeps id -> name from them, learnt again whenever the orders are read; an
administrator names the suppliers no order has named. Ids stay opaque strings and stay
what filters, rules and settings are keyed by. Names are upstream or user text: callers
show them as text, never as Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import SupplierName, UnitOfWork
from lib.pleasurestock import PleasureStockClient, PleasureStockError
from lib.pleasurestock.models import Order

NAME_MAX_LENGTH = 100
NO_SUPPLIER = "No supplier"
# How the directory says where a name came from.
ORDERS_SOURCE, ADMIN_SOURCE, UNNAMED = "PleasureStock orders", "administrator", "not named yet"


class SupplierNameError(ValueError):
    """A name an administrator cannot give: too long, or PleasureStock already names it."""


@dataclass(frozen=True)
class DirectoryRow:
    """A supplier of the catalog or the directory, its name and where the name came from."""

    supplier_id: str
    name: str | None
    source: str  # ORDERS_SOURCE, ADMIN_SOURCE or UNNAMED


def clean_name(text: str | None) -> str:
    """``text`` with its whitespace (line breaks, tabs, runs of spaces) made single spaces."""
    return " ".join((text or "").split())


def names_from_orders(orders: Iterable[Order]) -> dict[str, str]:
    """Supplier id -> name of every order that carries both (a detail always does)."""
    names: dict[str, str] = {}
    for order in orders:
        name = clean_name(order.supplier_name)
        if order.supplier_id and name:
            names[str(order.supplier_id)] = name
    return names


def orders_to_look_up(orders: Iterable[Order], known: Mapping[str, str]) -> list[Order]:
    """One listed order per supplier name that ``known`` lacks and the list gives no id
    for: its detail names the supplier's id."""
    named = set(known.values())
    picked: dict[str, Order] = {}
    for order in orders:
        name = clean_name(order.supplier_name)
        if name and not order.supplier_id and name not in named:
            picked.setdefault(name, order)
    return list(picked.values())


def learn_supplier_names(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    orders: list[Order],
    *,
    actor: str,
) -> dict[str, str]:
    """Store the supplier names ``orders`` give, reading one order detail per name whose id
    is not known yet; returns supplier id -> new name of each entry that changed.

    What was learnt before a detail request failed is kept; the client's
    ``PleasureStockError`` is raised after it is stored. Changes go to the audit log.
    """
    with UnitOfWork(session_factory) as uow:
        known = uow.suppliers.names()
    found = names_from_orders(orders)
    failure: PleasureStockError | None = None
    for order in orders_to_look_up(orders, known | found):
        try:
            found |= names_from_orders([client.get_order(order.order_number)])
        except PleasureStockError as error:
            failure = error  # the next requests would most likely fail the same way
            break
    with UnitOfWork(session_factory) as uow:
        changed = uow.suppliers.learn(found, by=actor, at=datetime.now(UTC))
        if changed:
            uow.audit.record(
                actor,
                "suppliers.learn",
                "supplier_directory",
                before=changed,
                after={supplier_id: found[supplier_id] for supplier_id in changed},
            )
        uow.commit()
    if failure is not None:
        raise failure
    return {supplier_id: found[supplier_id] for supplier_id in changed}


def stored_supplier_names(session_factory: sessionmaker[Session]) -> dict[str, str]:
    """Supplier id -> name as the directory holds them now."""
    with UnitOfWork(session_factory) as uow:
        return uow.suppliers.names()


def name_supplier(
    session_factory: sessionmaker[Session], supplier_id: str, name: str, *, actor: str
) -> str | None:
    """Give ``supplier_id`` the name ``name`` (an empty name forgets the administrator's),
    audited as ``actor``; returns the stored name (None when forgotten).

    Raises SupplierNameError for a name that is too long or a supplier PleasureStock's
    orders already name.
    """
    name = clean_name(name)
    if len(name) > NAME_MAX_LENGTH:
        raise SupplierNameError(
            f"A supplier name has at most {NAME_MAX_LENGTH} characters; this one has "
            f"{len(name)}. Shorten it and save again."
        )
    with UnitOfWork(session_factory) as uow:
        entry = uow.suppliers.get(supplier_id)
        if entry is not None and entry.source == "orders":
            raise SupplierNameError(
                f"PleasureStock's orders name supplier {supplier_id} “{entry.name}”, and "
                "StockDesk keeps that name. Change it in PleasureStock if it is wrong."
            )
        before = None if entry is None else {"name": entry.name}
        if name:
            uow.suppliers.set_name(supplier_id, name, by=actor, at=datetime.now(UTC))
        elif entry is None:
            return None
        else:
            uow.suppliers.remove(supplier_id)
        uow.audit.record(
            actor,
            "suppliers.name",
            "supplier",
            supplier_id,
            before=before,
            after={"name": name} if name else None,
        )
        uow.commit()
    return name or None


def supplier_directory(session_factory: sessionmaker[Session]) -> list[DirectoryRow]:
    """Every supplier of the catalog or the directory with its name and who gave it."""
    with UnitOfWork(session_factory) as uow:
        return directory_rows(uow.suppliers.all(), uow.suppliers.catalog_supplier_ids())


def directory_rows(
    entries: Iterable[SupplierName], catalog_ids: Iterable[str]
) -> list[DirectoryRow]:
    """Every supplier of the catalog or the directory: the unnamed first, then by name."""
    by_id = {entry.supplier_id: entry for entry in entries}
    sources = {"orders": ORDERS_SOURCE, "admin": ADMIN_SOURCE}
    rows = [
        DirectoryRow(supplier_id, by_id[supplier_id].name, sources[by_id[supplier_id].source])
        if supplier_id in by_id
        else DirectoryRow(supplier_id, None, UNNAMED)
        for supplier_id in dict.fromkeys([*catalog_ids, *by_id])
    ]
    return sorted(rows, key=lambda row: (row.name is not None, row.name or "", row.supplier_id))


def supplier_label(supplier_id: str | None, names: Mapping[str, str]) -> str:
    """The supplier's name, else its id, else ``No supplier``."""
    if not supplier_id:
        return NO_SUPPLIER
    return names.get(supplier_id) or supplier_id


def name_column(ids: pd.Series, names: Mapping[str, str]) -> pd.Series:
    """Each row's supplier name, or its id where the directory has no name (None stays)."""
    named = ids.isin(list(names))
    column = ids.copy()
    column[named] = ids[named].map(names)
    return column


def with_supplier_names(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with a ``supplier`` column: the name of its ``supplier_id`` (or the id)."""
    return frame.assign(supplier=name_column(frame["supplier_id"], names))


def names_in(frame: pd.DataFrame) -> dict[str, str]:
    """Supplier id -> shown name, as a frame with ``supplier_id`` and ``supplier`` holds them."""
    return dict(zip(frame["supplier_id"], frame["supplier"], strict=True))
