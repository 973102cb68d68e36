"""The supplier directory: names learnt from orders win, administrators name the rest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from lib.catalog.suppliers import SupplierNameError, name_supplier
from lib.db import UnitOfWork, make_session_factory

AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def test_learning_reports_only_changes_and_replaces_an_administrators_name(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        uow.suppliers.set_name("31", "Doc J", by="admin@example.com", at=AT)
        assert uow.suppliers.learn({"12": "Lovetoy Trading"}, by="demo:admin", at=AT) == {
            "12": None
        }
        uow.commit()
    with uow_factory() as uow:
        again = uow.suppliers.learn(
            {"12": "Lovetoy Trading", "31": "Doc Johnson UK"}, by="demo:admin", at=AT
        )
        uow.commit()
    assert again == {"31": "Doc J"}
    with uow_factory() as uow:
        assert uow.suppliers.names() == {"12": "Lovetoy Trading", "31": "Doc Johnson UK"}
        assert {e.supplier_id: e.source for e in uow.suppliers.all()} == {
            "12": "orders",
            "31": "orders",
        }


def test_an_administrator_names_forgets_and_may_not_rename_what_orders_name(
    engine: Engine,
) -> None:
    factory = make_session_factory(engine)
    with UnitOfWork(factory) as uow:
        uow.suppliers.learn({"12": "Lovetoy Trading"}, by="demo:admin", at=AT)
        uow.commit()

    assert name_supplier(factory, "s-9", "  Kadıköy\n Toptan ", actor="ayse@example.com") == (
        "Kadıköy Toptan"
    )
    with pytest.raises(SupplierNameError, match="PleasureStock's orders name supplier 12"):
        name_supplier(factory, "12", "Other", actor="ayse@example.com")
    with pytest.raises(SupplierNameError, match="at most 100 characters; this one has 101"):
        name_supplier(factory, "s-9", "x" * 101, actor="ayse@example.com")
    assert name_supplier(factory, "s-9", "", actor="ayse@example.com") is None

    with UnitOfWork(factory) as uow:
        assert uow.suppliers.names() == {"12": "Lovetoy Trading"}
        logged = [(e.actor, e.action, e.after) for e in uow.audit.recent(limit=5)]
    assert logged[:2] == [
        ("ayse@example.com", "suppliers.name", None),
        ("ayse@example.com", "suppliers.name", {"name": "Kadıköy Toptan"}),
    ]
