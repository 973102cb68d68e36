"""Sending one stored order request, once, and storing how it ended, audited.

Each request is sent by its own job (``ORDER_REQUEST``, the request's id as subject), so
one runs at a time; a pending or sending request with no job was cut off (a worker killed
mid-send) and counts as unknown until a person has it checked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from lib.db import UNRESOLVED_STATES, OrderRequestRecord, RequestState, UnitOfWork
from lib.pleasurestock import OutcomeUnknownError, PleasureStockClient, PleasureStockError
from lib.pleasurestock.errors import (
    ApiError,
    AuthenticationError,
    PermissionDeniedError,
    RateLimitedError,
)
from lib.pleasurestock.models import Order, OrderLine

Clock = Callable[[], datetime]
ENTITY = "purchase_order"
ORDER_REQUEST = "order_request"  # the job kind that sends one request
INTERRUPTED = (
    "StockDesk stopped while this request was being sent (a worker was stopped or "
    "crashed), so PleasureStock may or may not have placed it."
)
RETRY_ADVICE = "Check and retry looks the id up first and sends nothing if the order exists."


def utc_now() -> datetime:
    """The current time in UTC, the default clock of the order request functions."""
    return datetime.now(UTC)


class RequestStateError(RuntimeError):
    """The request is already resolved; nothing was sent."""


def as_seen(record: OrderRequestRecord, in_flight: Collection[int]) -> OrderRequestRecord:
    """A pending or sending request that no job is sending (``in_flight``: the ids that
    have one pending or running) was cut off: it counts as unknown."""
    if record.state in ("pending", "sending") and record.id not in in_flight:
        return replace(record, state="unknown", message=f"{INTERRUPTED} {RETRY_ADVICE}")
    return record


def send_stored_request(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    request_id: int,
    *,
    actor: str,
    now: Clock = utc_now,
) -> OrderRequestRecord:
    """Send a stored request, once: a pending one is sent; one of unknown outcome (or cut
    off while sending) is looked up in the order list first and sent only when no order
    carries its id, and not at all when the list cannot be read. Returns it as it ended;
    raises ``RequestStateError`` when it is resolved already. One job per request runs
    this (single-flight), so nothing else moves it meanwhile."""
    with UnitOfWork(session_factory) as uow:
        record = uow.order_requests.get(request_id)
        fresh = record.state == "pending"
        claimed = uow.order_requests.move(request_id, UNRESOLVED_STATES, "sending", at=now())
        uow.commit()
    if not claimed:
        raise RequestStateError(
            f"Order request {record.external_order_id} is already {record.state}; nothing was sent."
        )
    if fresh:
        send_request(client, session_factory, record, actor, now, undelivered="not_sent")
    else:
        _check_then_send(client, session_factory, record, actor, now)
    with UnitOfWork(session_factory) as uow:
        return uow.order_requests.get(request_id)


def _check_then_send(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    record: OrderRequestRecord,
    actor: str,
    now: Clock,
) -> None:
    """Check and retry: the order list first; a send only when no order carries the id."""
    external_id = record.external_order_id
    try:
        found = client.find_orders_by_external_id(external_id)
    except PleasureStockError as error:
        finish(
            session_factory,
            record.id,
            "unknown",
            actor=actor,
            now=now,
            action="reorder.orders_check_failed",
            message=(
                f"The order list could not be checked ({error}), so StockDesk cannot tell "
                f"whether PleasureStock placed {external_id}. Nothing was sent again; "
                "try Check and retry in a few minutes."
            ),
        )
        return
    if found:
        record_placed(session_factory, record.id, found, actor, now, action="found")
    else:
        send_request(client, session_factory, record, actor, now, undelivered="unknown")


def send_request(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    record: OrderRequestRecord,
    actor: str,
    now: Clock,
    *,
    undelivered: RequestState,
) -> str | None:
    """POST a claimed request and store what became of it; returns the reason when the
    failure was not about this order (the next request would fail the same way)."""
    external_id = record.external_order_id
    lines = [OrderLine(ps_id=line["ps_id"], quantity=line["quantity"]) for line in record.lines]
    try:
        created = client.create_orders(lines, external_order_id=external_id)
    except OutcomeUnknownError as lost:
        _after_lost_answer(client, session_factory, record, lost, actor, now)
        return None
    except (AuthenticationError, PermissionDeniedError, RateLimitedError) as failure:
        stopped = str(failure)
    except ApiError as refused:
        reasons = f" ({'; '.join(refused.details)})" if refused.details else ""
        message = f"PleasureStock refused order request {external_id}{reasons}: {refused}"
        finish(session_factory, record.id, "rejected", actor=actor, now=now, message=message)
        return None
    except PleasureStockError as failure:
        stopped = str(failure)
    else:
        record_placed(session_factory, record.id, created.orders, actor, now, action="created")
        return None
    advice = RETRY_ADVICE if undelivered == "unknown" else "Create the order again later."
    finish(
        session_factory,
        record.id,
        undelivered,
        actor=actor,
        now=now,
        message=f"{external_id} could not be sent: {stopped} Nothing was stored. {advice}",
    )
    return stopped


def _after_lost_answer(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    record: OrderRequestRecord,
    lost: OutcomeUnknownError,
    actor: str,
    now: Clock,
) -> None:
    """The answer to the POST was lost: the order list says whether it was placed."""
    external_id = record.external_order_id
    try:
        found = client.find_orders_by_external_id(external_id)
    except PleasureStockError as error:
        message = (
            f"{lost} The order list could not be checked either ({error}), so StockDesk "
            f"cannot tell whether {external_id} was placed. Nothing is sent again until the "
            "list has been checked."
        )
    else:
        if found:
            record_placed(session_factory, record.id, found, actor, now, action="found")
            return
        message = f"{lost} No order carrying {external_id} is in the order list yet. {RETRY_ADVICE}"
    finish(session_factory, record.id, "unknown", actor=actor, now=now, message=message)


def record_placed(
    session_factory: sessionmaker[Session],
    request_id: int,
    orders: Sequence[Order],
    actor: str,
    now: Clock,
    *,
    action: str,
) -> None:
    """Store a request as placed with the orders that carry its id (``action``: the
    order was ``created`` now or ``found`` in the order list)."""
    summary = [
        {
            "order_number": order.order_number,
            "status": order.status,
            "total": None if order.total_amount is None else str(order.total_amount),
            "currency": order.currency,
        }
        for order in orders
    ]
    message = "Created now." if action == "created" else "Found in PleasureStock's order list."
    finish(
        session_factory,
        request_id,
        "placed",
        actor=actor,
        now=now,
        action=f"reorder.orders_{action}",
        orders=summary,
        message=message,
    )


def finish(
    session_factory: sessionmaker[Session],
    request_id: int,
    state: RequestState,
    *,
    actor: str,
    now: Clock,
    from_states: tuple[RequestState, ...] = ("sending",),
    action: str | None = None,
    **values: Any,
) -> None:
    """Store a request's new state and audit it, in one transaction."""
    with UnitOfWork(session_factory) as uow:
        if uow.order_requests.move(request_id, from_states, state, at=now(), **values):
            record = uow.order_requests.get(request_id)
            uow.audit.record(
                actor,
                action or f"reorder.orders_{state}",
                ENTITY,
                record.external_order_id,
                after={"state": state, **values},
            )
        uow.commit()
