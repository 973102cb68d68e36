"""Order requests' failure paths over HTTP: a refused new request stores nothing, "Check
and retry" whose resend fails keeps the request unresolved and its supplier held back,
a refusal resolves it, and a request being sent now is not sent twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.db import OrderRequestRecord, UnitOfWork
from lib.jobs.service import start_job
from lib.pleasurestock import PleasureStockClient
from lib.reorder.ordering import UnresolvedRequestError
from lib.reorder.sending import ORDER_REQUEST
from lib.reorder.unresolved import RequestStateError, blocked_suppliers, unresolved_requests
from lib.sandbox import RunningSandbox
from tests.integration.reorder.test_order_requests import (
    check_and_retry_via,
    cut_off_request,
    orders_carrying,
    request_orders_via,
    supplier_lines,
)
from tests.support.jobs import jobs_wait_in_the_queue
from tests.support.outages import ORDERS_PATH, OrderOutage

MakeClient = Callable[..., PleasureStockClient]
ACTOR = "buyer@example.com"
INTERRUPTED = "SD-interrupted00000000001"
CreateFailure = Literal["unreachable", "401", "422"]


class CreateFails(httpx.BaseTransport):
    """Forwards every request except order creates, which never reach the server."""

    def __init__(self, failure: CreateFailure) -> None:
        self._http = httpx.HTTPTransport()
        self.failure = failure
        self.creates_tried = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Forward ``request``, or fail an order create as ``failure`` says."""
        if request.method != "POST" or not request.url.path.endswith(ORDERS_PATH):
            return self._http.handle_request(request)
        self.creates_tried += 1
        if self.failure == "unreachable":
            raise httpx.ConnectError("connection refused", request=request)
        body = {"success": False, "error": "Refused", "message": "Quantity below the MOQ"}
        return httpx.Response(int(self.failure), json=body, request=request)

    def close(self) -> None:
        """Close the forwarding connection pool."""
        self._http.close()


def stored_requests(session_factory: sessionmaker[Session]) -> list[OrderRequestRecord]:
    """Every stored request, whatever its state (ids count up from 1)."""
    with UnitOfWork(session_factory) as uow:
        return uow.order_requests.many(range(1, 1000))


def audit_actions(session_factory: sessionmaker[Session], external_id: str) -> list[str]:
    """The audit log's actions on one request, oldest first."""
    with UnitOfWork(session_factory) as uow:
        return [e.action for e in uow.audit.recent() if e.entity_id == external_id][::-1]


def test_a_request_for_a_held_back_supplier_stores_and_sends_nothing(
    sandbox: RunningSandbox, make_client: MakeClient, session_factory: sessionmaker[Session]
) -> None:
    supplier, lines = supplier_lines(sandbox)
    outage = OrderOutage()
    [unknown] = request_orders_via(
        make_client(sandbox.base_url, transport=outage),
        session_factory,
        {supplier: lines},
        actor=ACTOR,
    )
    assert blocked_suppliers(unresolved_requests(session_factory)) == {
        supplier: [unknown.external_order_id]
    }
    with UnitOfWork(session_factory) as uow:
        audited = len(uow.audit.recent())

    with pytest.raises(UnresolvedRequestError, match=unknown.external_order_id) as refused:
        request_orders_via(
            make_client(sandbox.base_url, transport=outage),
            session_factory,
            {supplier: lines, "s-other": lines},
            actor=ACTOR,
        )

    assert [r.external_order_id for r in refused.value.blocking] == [unknown.external_order_id]
    assert outage.creates_sent == 1
    assert [r.id for r in stored_requests(session_factory)] == [unknown.id]
    with UnitOfWork(session_factory) as uow:
        assert len(uow.audit.recent()) == audited


def test_a_request_with_no_line_to_order_is_refused_before_anything_is_stored(
    sandbox: RunningSandbox, make_client: MakeClient, session_factory: sessionmaker[Session]
) -> None:
    with pytest.raises(ValueError, match="no line with a quantity"):
        request_orders_via(make_client(sandbox.base_url), session_factory, {"s1": []}, actor=ACTOR)
    assert stored_requests(session_factory) == []
    with UnitOfWork(session_factory) as uow:
        assert uow.audit.recent() == []


@pytest.mark.parametrize("failure", ["unreachable", "401"])
def test_when_the_resend_fails_upstream_the_request_stays_unknown_and_its_supplier_held_back(
    sandbox: RunningSandbox,
    make_client: MakeClient,
    session_factory: sessionmaker[Session],
    failure: CreateFailure,
) -> None:
    supplier, lines = supplier_lines(sandbox)
    request_id = cut_off_request(session_factory, INTERRUPTED, supplier, lines)
    transport = CreateFails(failure)

    checked = check_and_retry_via(
        make_client(sandbox.base_url, transport=transport),
        session_factory,
        request_id,
        actor=ACTOR,
    )

    assert transport.creates_tried >= 1
    assert checked.state == "unknown"
    assert checked.message.startswith(f"{INTERRUPTED} could not be sent: ")
    assert "Check and retry looks the id up first" in checked.message
    assert orders_carrying(sandbox, checked.external_order_id) == []
    assert blocked_suppliers(unresolved_requests(session_factory)) == {
        supplier: [checked.external_order_id]
    }
    assert audit_actions(session_factory, checked.external_order_id) == ["reorder.orders_unknown"]

    # Once PleasureStock answers again, the same request is placed, once.
    client = make_client(sandbox.base_url)
    placed = check_and_retry_via(client, session_factory, request_id, actor=ACTOR)
    assert placed.state == "placed" and placed.message == "Created now."
    assert len(orders_carrying(sandbox, checked.external_order_id)) == 1
    assert unresolved_requests(session_factory) == []


def test_a_resend_that_pleasurestock_refuses_resolves_the_request_with_the_reason(
    sandbox: RunningSandbox, make_client: MakeClient, session_factory: sessionmaker[Session]
) -> None:
    supplier, lines = supplier_lines(sandbox)
    request_id = cut_off_request(session_factory, INTERRUPTED, supplier, lines)

    refused = check_and_retry_via(
        make_client(sandbox.base_url, transport=CreateFails("422")),
        session_factory,
        request_id,
        actor=ACTOR,
    )

    assert refused.state == "rejected"
    assert refused.message.startswith(f"PleasureStock refused order request {INTERRUPTED}")
    assert unresolved_requests(session_factory) == []
    assert audit_actions(session_factory, refused.external_order_id) == ["reorder.orders_rejected"]
    with pytest.raises(RequestStateError, match="already rejected; nothing was sent"):
        check_and_retry_via(make_client(sandbox.base_url), session_factory, request_id, actor=ACTOR)


def test_a_request_being_sent_right_now_is_not_checked_or_sent_again(
    sandbox: RunningSandbox, make_client: MakeClient, session_factory: sessionmaker[Session]
) -> None:
    supplier, lines = supplier_lines(sandbox)
    request_id = cut_off_request(session_factory, INTERRUPTED, supplier, lines)
    transport = CreateFails("unreachable")

    with jobs_wait_in_the_queue():  # a worker has its job, and has not ended it yet
        start_job(session_factory, ORDER_REQUEST, str(request_id), by=ACTOR)
        [seen] = unresolved_requests(session_factory)
        assert seen.state == "sending"  # a job is sending it: not cut off
        with pytest.raises(RequestStateError, match="being sent right now"):
            check_and_retry_via(
                make_client(sandbox.base_url, transport=transport),
                session_factory,
                request_id,
                actor=ACTOR,
            )

    assert transport.creates_tried == 0
    assert audit_actions(session_factory, seen.external_order_id) == []
