"""Status changes through the real client against a sandbox, recorded in the database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.orders.history import change_order_status, order_timeline
from lib.pleasurestock import AuthenticationError, PleasureStockClient
from lib.pleasurestock.models import Order
from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread
from tests.integration.orders.conftest import API_KEY, TODAY


@pytest.fixture
def order_in(sandbox: RunningSandbox, client: PleasureStockClient) -> Callable[[str], Order]:
    """An order of the sandbox that is in the given status, read through the client."""
    used: set[str] = set()

    def pick(status: str) -> Order:
        number = next(
            o.order_number
            for o in sandbox.store.orders
            if o.status == status and o.order_number not in used
        )
        used.add(number)
        return client.get_order(number)

    return pick


def sandbox_status(sandbox: RunningSandbox, number: str) -> str:
    order = sandbox.store.order(number)
    assert order is not None
    return order.status


def audit_actions(session_factory: sessionmaker[Session]) -> list[tuple[str, str, str | None]]:
    with UnitOfWork(session_factory) as uow:
        return [(e.actor, e.action, e.entity_id) for e in uow.audit.recent()]


def test_an_allowed_change_is_applied_audited_and_on_the_timeline(
    sandbox: RunningSandbox,
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    order_in: Callable[[str], Order],
) -> None:
    order = order_in("created")

    result = change_order_status(
        client, session_factory, order, "paid", actor="ayse", comment="Bank transfer"
    )

    assert result.outcome == "applied"
    assert sandbox_status(sandbox, order.order_number) == "paid"
    assert audit_actions(session_factory) == [("ayse", "order.status_change", order.order_number)]
    (entry,) = order_timeline(session_factory, order.order_number)
    assert (entry.status, entry.source, entry.note) == ("paid", "StockDesk", "Bank transfer")


def test_a_move_the_workflow_forbids_is_refused_without_asking(
    sandbox: RunningSandbox,
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    order_in: Callable[[str], Order],
) -> None:
    order = order_in("accepted")

    result = change_order_status(client, session_factory, order, "cancelled", actor="ayse")

    assert result.outcome == "refused"
    assert "allowed: none" in result.message
    assert sandbox_status(sandbox, order.order_number) == "accepted"
    assert audit_actions(session_factory) == []


def test_the_server_refusing_a_stale_move_is_said_in_plain_words(
    sandbox: RunningSandbox,
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    order_in: Callable[[str], Order],
) -> None:
    order = order_in("created")
    client.update_order_status(order.order_number, "paid")  # someone else was quicker

    result = change_order_status(client, session_factory, order, "part_paid", actor="ayse")

    assert result.outcome == "refused"
    assert result.message.startswith(
        f"PleasureStock refused to move {order.order_number} from Created to Partially paid"
    )
    assert "Allowed from 'paid'" in result.message
    assert "Nothing was changed" in result.message
    assert audit_actions(session_factory) == []


def test_cancelling_needs_a_reason_which_is_sent_along(
    sandbox: RunningSandbox,
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    order_in: Callable[[str], Order],
) -> None:
    order = order_in("paid")

    without = change_order_status(client, session_factory, order, "cancelled", actor="ayse")
    with_reason = change_order_status(
        client, session_factory, order, "cancelled", actor="ayse", comment="  Supplier out  "
    )

    assert without.outcome == "refused" and "Give a reason" in without.message
    assert with_reason.outcome == "applied"
    stored = sandbox.store.order(order.order_number)
    assert stored is not None and (stored.status, stored.comment) == ("cancelled", "Supplier out")


def test_a_lost_answer_is_recorded_as_unknown_not_as_done(
    session_factory: sessionmaker[Session],
) -> None:
    config = SandboxConfig(api_key=API_KEY, today=TODAY, rate_limits_enabled=False, fault_500=1.0)
    with (
        start_in_thread(config) as failing,
        PleasureStockClient(base_url=failing.base_url, api_key=API_KEY) as client,
    ):
        number = next(o.order_number for o in failing.store.orders if o.status == "created")
        order = Order.model_validate({"orderNumber": number, "status": "created"})

        result = change_order_status(client, session_factory, order, "paid", actor="ayse")

    assert result.outcome == "unknown"
    assert "Do not send it again blindly" in result.message
    assert audit_actions(session_factory) == [("ayse", "order.status_change_unknown", number)]
    (entry,) = order_timeline(session_factory, number)
    assert entry.status is None and "outcome is unknown" in entry.what


def test_a_wrong_api_key_is_not_a_refusal_but_the_client_error(
    sandbox: RunningSandbox, session_factory: sessionmaker[Session]
) -> None:
    order = Order.model_validate({"orderNumber": "ORD-1", "status": "created"})
    with (
        PleasureStockClient(base_url=sandbox.base_url, api_key="pk_test_wrong") as client,
        pytest.raises(AuthenticationError),
    ):
        change_order_status(client, session_factory, order, "paid", actor="ayse")
