"""Supplier names learnt from the sandbox's orders through the real client, over HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.catalog.suppliers import learn_supplier_names
from lib.db import UnitOfWork
from lib.pleasurestock import NetworkError, PleasureStockClient
from lib.pleasurestock.models import Order
from lib.sandbox import RunningSandbox


class NoDetails:
    """A client that may not be asked for an order's detail."""

    def get_order(self, order_number: str) -> Order:
        raise AssertionError(f"asked for the detail of {order_number}")


class FailingDetails:
    """A client whose detail requests fail as a lost connection would."""

    def get_order(self, order_number: str) -> Order:
        raise NetworkError("PleasureStock cannot be reached. Check the connection.")


def test_the_list_names_and_one_detail_per_supplier_give_every_id(
    sandbox: RunningSandbox, client: PleasureStockClient, session_factory: sessionmaker[Session]
) -> None:
    orders = client.fetch_all_orders()
    assert all(order.supplier_id is None for order in orders)  # the list gives names only
    learnt = learn_supplier_names(client, session_factory, orders, actor="demo:purchasing")

    expected = {str(o.supplier.id): o.supplier.name for o in sandbox.store.orders}
    assert learnt == expected
    assert learnt["12"] == "Lovetoy Trading"
    assert learnt["f0229142-8d6e-4d3b-b1a5-7e4c2a9d0b33"] == "Satisfyer Trade"
    with UnitOfWork(session_factory) as uow:
        assert uow.suppliers.names() == expected
        (entry,) = uow.audit.recent(limit=1)
    assert (entry.actor, entry.action, entry.after) == (
        "demo:purchasing",
        "suppliers.learn",
        expected,
    )

    # Known names need no detail, and nothing changed means nothing to log.
    assert learn_supplier_names(NoDetails(), session_factory, orders, actor="x") == {}  # type: ignore[arg-type]
    with UnitOfWork(session_factory) as uow:
        assert len(uow.audit.recent()) == 1


def test_a_failed_detail_keeps_what_was_learnt_and_says_why(
    client: PleasureStockClient, session_factory: sessionmaker[Session]
) -> None:
    orders = client.fetch_all_orders()
    detailed = client.get_order(orders[0].order_number)
    with pytest.raises(NetworkError, match="cannot be reached"):
        learn_supplier_names(
            FailingDetails(),  # type: ignore[arg-type]
            session_factory,
            [detailed, *orders],
            actor="demo:purchasing",
        )
    with UnitOfWork(session_factory) as uow:
        assert uow.suppliers.names() == {str(detailed.supplier_id): detailed.supplier_name}
