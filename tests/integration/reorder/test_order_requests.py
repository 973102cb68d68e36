"""Order requests against a sandbox over HTTP: stored before sending, unresolved ones
seen by every later session, a supplier blocked while its request is unresolved, and
"Check and retry" ending with exactly one order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.db import OrderRequestRecord, UnitOfWork
from lib.jobs.runs import Runtime, bind_runtime, utc_now
from lib.jobs.service import ORPHAN_AFTER, recover_orphans
from lib.pleasurestock import PleasureStockClient
from lib.pleasurestock.models import OrderLine
from lib.reorder.ordering import UnresolvedRequestError, request_orders
from lib.reorder.sending import ORDER_REQUEST
from lib.reorder.unresolved import RequestStateError, check_and_retry, unresolved_requests
from lib.sandbox import RunningSandbox
from tests.support.outages import OrderOutage

MakeClient = Callable[..., PleasureStockClient]
ACTOR = "buyer@example.com"


def request_orders_via(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    lines: dict[str | None, list[OrderLine]],
    **options: object,
) -> list[OrderRequestRecord]:
    """ "Create orders" as the page does; its jobs send at once, on ``client``."""
    bind_runtime(Runtime(session_factory=session_factory, client=client))
    return request_orders(session_factory, lines, **options)  # type: ignore[arg-type]


def check_and_retry_via(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    request_id: int,
    *,
    actor: str,
) -> OrderRequestRecord:
    """ "Check and retry" as the page does; its job runs at once, on ``client``."""
    bind_runtime(Runtime(session_factory=session_factory, client=client))
    return check_and_retry(session_factory, request_id, actor=actor)


def supplier_lines(sandbox: RunningSandbox, count: int = 2) -> tuple[str, list[OrderLine]]:
    """Two products of one supplier of the sandbox's catalog, 3 units each."""
    by_supplier: dict[str, list[str]] = {}
    for product in sandbox.store.products:
        group = by_supplier.setdefault(str(product.supplier.id), [])
        group.append(product.internal_id)
        if len(group) == count:
            return str(product.supplier.id), [OrderLine(ps_id=p, quantity=3) for p in group]
    raise AssertionError("no supplier with enough products")


def cut_off_request(
    session_factory: sessionmaker[Session],
    external_id: str,
    supplier: str,
    lines: Sequence[OrderLine],
) -> int:
    """What a run that crashed after claiming a request leaves behind: stored as being
    sent, by no running process, never sent."""
    at = datetime(2025, 11, 10, 9, 0, tzinfo=UTC)
    with UnitOfWork(session_factory) as uow:
        request_id = uow.order_requests.add(
            external_id,
            supplier,
            [{"ps_id": line.ps_id, "quantity": line.quantity} for line in lines],
            requested_by=ACTOR,
            at=at,
        )
        uow.order_requests.move(request_id, ["pending"], "sending", at=at)
        uow.commit()
    return request_id


def orders_carrying(sandbox: RunningSandbox, external_id: str) -> list[str]:
    return [o.order_number for o in sandbox.store.orders if o.external_order_id == external_id]


def test_after_an_unknown_outcome_a_new_session_sees_it_is_blocked_and_retries_once(
    sandbox: RunningSandbox,
    make_client: MakeClient,
    session_factory: sessionmaker[Session],
) -> None:
    supplier, lines = supplier_lines(sandbox)
    outage = make_client(sandbox.base_url, transport=OrderOutage("503"))
    [request] = request_orders_via(outage, session_factory, {supplier: lines}, actor=ACTOR)
    assert request.state == "unknown"
    assert "could not be checked" in request.message
    assert "No order carrying" not in request.message
    # The create was stored before its answer was lost.
    assert len(orders_carrying(sandbox, request.external_order_id)) == 1

    # A new session (a reload, or a restart) on the same database, after the outage.
    fresh_factory = sessionmaker(bind=session_factory.kw["bind"])
    client = make_client(sandbox.base_url)
    [seen] = unresolved_requests(fresh_factory)
    assert (seen.external_order_id, seen.state, seen.supplier_id) == (
        request.external_order_id,
        "unknown",
        supplier,
    )
    assert seen.lines == [{"ps_id": line.ps_id, "quantity": 3} for line in lines]
    with pytest.raises(UnresolvedRequestError, match=request.external_order_id):
        request_orders_via(client, fresh_factory, {supplier: lines}, actor=ACTOR)

    placed = check_and_retry_via(client, fresh_factory, seen.id, actor=ACTOR)
    assert placed.state == "placed"
    assert orders_carrying(sandbox, request.external_order_id) == [
        o["order_number"] for o in placed.orders
    ]
    assert len(placed.orders) == 1
    assert unresolved_requests(fresh_factory) == []
    with pytest.raises(RequestStateError, match="already placed"):
        check_and_retry_via(client, fresh_factory, seen.id, actor=ACTOR)
    with UnitOfWork(fresh_factory) as uow:
        actions = [e.action for e in uow.audit.recent() if e.entity_id == seen.external_order_id]
    assert actions[::-1] == [
        "reorder.orders_requested",
        "reorder.orders_unknown",
        "reorder.orders_found",
    ]


@pytest.mark.parametrize("list_failure", ["503", "timeout"])
def test_when_the_order_list_cannot_be_read_check_and_retry_says_so_and_sends_nothing(
    sandbox: RunningSandbox,
    make_client: MakeClient,
    session_factory: sessionmaker[Session],
    list_failure: str,
) -> None:
    supplier, lines = supplier_lines(sandbox)
    outage = OrderOutage(list_failure)  # type: ignore[arg-type]
    client = make_client(sandbox.base_url, transport=outage)
    [request] = request_orders_via(client, session_factory, {supplier: lines}, actor=ACTOR)

    checked = check_and_retry_via(client, session_factory, request.id, actor=ACTOR)
    assert checked.state == "unknown"
    assert checked.message.startswith("The order list could not be checked")
    assert "Nothing was sent again" in checked.message
    assert outage.creates_sent == 1
    assert len(orders_carrying(sandbox, request.external_order_id)) == 1


def test_a_lost_answer_with_the_order_list_failing_on_the_sandbox_is_unknown_not_missing(
    make_sandbox: Callable[..., RunningSandbox],
    make_client: MakeClient,
    session_factory: sessionmaker[Session],
) -> None:
    failing = make_sandbox(fault_500=1.0, fault_seed=3)
    supplier, lines = supplier_lines(failing)
    [request] = request_orders_via(
        make_client(failing.base_url), session_factory, {supplier: lines}, actor=ACTOR
    )
    assert request.state == "unknown"
    assert "HTTP 500" in request.message and "could not be checked" in request.message
    assert "No order carrying" not in request.message
    assert [r.id for r in unresolved_requests(session_factory)] == [request.id]


def test_an_unreadable_success_answer_leaves_the_request_unknown_never_refused(
    make_sandbox: Callable[..., RunningSandbox],
    make_client: MakeClient,
    session_factory: sessionmaker[Session],
) -> None:
    garbled = make_sandbox(fault_unreadable=1.0, fault_seed=1)
    supplier, lines = supplier_lines(garbled)
    [request] = request_orders_via(
        make_client(garbled.base_url), session_factory, {supplier: lines}, actor=ACTOR
    )
    assert request.state == "unknown"
    assert len(orders_carrying(garbled, request.external_order_id)) == 1
    with pytest.raises(UnresolvedRequestError):
        request_orders_via(
            make_client(garbled.base_url), session_factory, {supplier: lines}, actor=ACTOR
        )


def test_a_request_cut_off_while_sending_counts_as_unknown_and_is_placed_once(
    sandbox: RunningSandbox, make_client: MakeClient, session_factory: sessionmaker[Session]
) -> None:
    supplier, lines = supplier_lines(sandbox)
    request_id = cut_off_request(session_factory, "SD-crashed0000000000001", supplier, lines)

    [seen] = unresolved_requests(session_factory)
    assert seen.state == "unknown" and "stopped while this request was being sent" in seen.message
    placed = check_and_retry_via(
        make_client(sandbox.base_url), session_factory, request_id, actor=ACTOR
    )
    assert placed.state == "placed" and placed.message == "Created now."
    assert len(orders_carrying(sandbox, "SD-crashed0000000000001")) == 1


def test_a_request_whose_worker_died_mid_send_waits_for_a_person_and_is_placed_once(
    sandbox: RunningSandbox, make_client: MakeClient, session_factory: sessionmaker[Session]
) -> None:
    supplier, lines = supplier_lines(sandbox)
    request_id = cut_off_request(session_factory, "SD-workerdied000000001", supplier, lines)
    long_ago = utc_now() - ORPHAN_AFTER - timedelta(seconds=1)
    with UnitOfWork(session_factory) as uow:
        # Its job's worker claimed the request, then was killed (kill -9) before an answer.
        job = uow.jobs.add(ORDER_REQUEST, str(request_id), by=ACTOR, at=long_ago)
        uow.jobs.start(job.id, worker_id="host:1:dead", at=long_ago)
        uow.commit()
    [seen] = unresolved_requests(session_factory)
    assert seen.state == "sending"  # its job still counts as running until found dead

    assert recover_orphans(session_factory) == []  # nothing is sent again by itself

    [seen] = unresolved_requests(session_factory)
    assert seen.state == "unknown" and "stopped while this request was being sent" in seen.message
    assert orders_carrying(sandbox, "SD-workerdied000000001") == []
    placed = check_and_retry_via(
        make_client(sandbox.base_url), session_factory, request_id, actor=ACTOR
    )
    assert placed.state == "placed"
    assert len(orders_carrying(sandbox, "SD-workerdied000000001")) == 1


def test_refused_and_undelivered_requests_are_resolved_with_the_reason(
    sandbox: RunningSandbox, make_client: MakeClient, session_factory: sessionmaker[Session]
) -> None:
    supplier, lines = supplier_lines(sandbox)
    unknown_product = [OrderLine(ps_id="ps_nosuchproduct", quantity=1)]
    [refused] = request_orders_via(
        make_client(sandbox.base_url), session_factory, {"s-x": unknown_product}, actor=ACTOR
    )
    assert refused.state == "rejected"
    assert "refused order request" in refused.message and "nothing was stored" in refused.message

    nowhere = make_client("http://127.0.0.1:9/api/v1")
    first, second = request_orders_via(
        nowhere, session_factory, {supplier: lines, "s-other": lines}, actor=ACTOR
    )
    assert (first.state, second.state) == ("not_sent", "not_sent")
    for request in (first, second):  # each job tried its own request, and said why it failed
        assert "Could not reach PleasureStock" in request.message
        assert "Nothing was stored. Create the order again later." in request.message
    assert unresolved_requests(session_factory) == []


def test_an_explicit_override_orders_again_and_records_which_request_it_overrode(
    sandbox: RunningSandbox, make_client: MakeClient, session_factory: sessionmaker[Session]
) -> None:
    supplier, lines = supplier_lines(sandbox)
    outage = make_client(sandbox.base_url, transport=OrderOutage())
    [unknown] = request_orders_via(outage, session_factory, {supplier: lines}, actor=ACTOR)
    [again] = request_orders_via(
        make_client(sandbox.base_url),
        session_factory,
        {supplier: lines},
        actor=ACTOR,
        override=[supplier],
    )
    assert again.state == "placed"
    assert again.override_of == [unknown.external_order_id]


def test_under_random_faults_every_request_ends_with_exactly_one_order(
    make_sandbox: Callable[..., RunningSandbox],
    make_client: MakeClient,
    session_factory: sessionmaker[Session],
) -> None:
    flaky = make_sandbox(fault_500=0.5, fault_drop=0.3, fault_seed=5)
    client = make_client(flaky.base_url)
    first_supplier, first_lines = supplier_lines(flaky, count=1)
    other = next(p for p in flaky.store.products if str(p.supplier.id) != first_supplier)
    lines = {
        first_supplier: first_lines,
        str(other.supplier.id): [OrderLine(ps_id=other.internal_id, quantity=2)],
    }
    states: list[str] = []
    for _ in range(4):
        made = request_orders_via(client, session_factory, lines, actor=ACTOR)
        for request in made:
            states.append(request.state)
            for _attempt in range(30):
                if request.state == "placed":
                    break
                request = check_and_retry_via(client, session_factory, request.id, actor=ACTOR)
                states.append(request.state)
            assert request.state == "placed", states
            # One order per request, however many attempts it took.
            assert orders_carrying(flaky, request.external_order_id) == [
                o["order_number"] for o in request.orders
            ]
    # The faults really struck: some answers were lost before the order was found.
    assert "unknown" in states and "placed" in states, states
