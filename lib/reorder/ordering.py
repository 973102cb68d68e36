"""Purchase orders from the proposal, placed exactly once.

"Create orders" stores one request per supplier (its lines and a fresh
``externalOrderId``, PleasureStock's idempotency key) in the database before anything
is sent, then sends them one by one. A request moves

    pending (stored) -> sending -> placed     the order number is known
                                -> unknown    the answer was lost: it may be placed
                                -> rejected   PleasureStock refused it; nothing stored
                                -> not_sent   it could not be delivered; nothing stored

An unknown request is never sent again blindly: ``check_and_retry`` looks its id up in
the order list first, sends only when no order carries it, and sends nothing when the
list cannot be read. A request left pending or sending by a run that stopped (restart,
crash) counts as unknown. While a supplier has an unresolved request, a new request
for it needs an explicit override.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pandas as pd
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
INTERRUPTED = (
    "StockDesk stopped while this request was being sent (restart, crash or closed "
    "browser), so PleasureStock may or may not have placed it."
)
RETRY_ADVICE = "Check and retry looks the id up first and sends nothing if the order exists."


def _utc_now() -> datetime:
    return datetime.now(UTC)


class UnresolvedRequestError(Exception):
    """A supplier of a new request has an unresolved one; nothing was stored or sent."""

    def __init__(self, blocking: Sequence[OrderRequestRecord]) -> None:
        ids = ", ".join(f"{r.external_order_id} ({r.supplier_id})" for r in blocking)
        super().__init__(
            f"These suppliers have an order request whose outcome is not known yet: {ids}. "
            "Check and retry those first, or confirm that a second order is wanted."
        )
        self.blocking = list(blocking)


class RequestStateError(RuntimeError):
    """The request is being sent right now or is already resolved; nothing was sent."""


def new_external_order_id() -> str:
    """A fresh id for one order request (``SD-`` and 20 hex digits)."""
    return "SD-" + uuid.uuid4().hex[:20]


def lines_by_supplier(frame: pd.DataFrame) -> dict[str | None, list[OrderLine]]:
    """One order line per row with a positive quantity, grouped by supplier id."""
    chosen = frame[frame["quantity"] > 0]
    grouped: dict[str | None, list[OrderLine]] = {}
    for ps_id, quantity, supplier in zip(
        chosen["ps_id"], chosen["quantity"], chosen["supplier_id"], strict=True
    ):
        key = supplier if isinstance(supplier, str) else None
        grouped.setdefault(key, []).append(OrderLine(ps_id=str(ps_id), quantity=int(quantity)))
    return grouped


# Requests this process is sending now; any other pending or sending one was cut off.
_in_flight: set[int] = set()
_in_flight_lock = threading.Lock()


@contextmanager
def _sending(request_ids: Iterable[int]) -> Iterator[None]:
    """Mark requests as being sent by this process for the duration of the block."""
    ids = set(request_ids)
    with _in_flight_lock:
        if ids & _in_flight:
            raise RequestStateError(
                "This order request is being sent right now (from another tab); wait for it."
            )
        _in_flight.update(ids)
    try:
        yield
    finally:
        with _in_flight_lock:
            _in_flight.difference_update(ids)


def _as_seen(record: OrderRequestRecord) -> OrderRequestRecord:
    """A pending or sending request that no run of this process is sending counts as unknown."""
    with _in_flight_lock:
        in_flight = record.id in _in_flight
    if record.state in ("pending", "sending") and not in_flight:
        return replace(record, state="unknown", message=f"{INTERRUPTED} {RETRY_ADVICE}")
    return record


def unresolved_requests(session_factory: sessionmaker[Session]) -> list[OrderRequestRecord]:
    """Requests being sent now or of unknown outcome, oldest first."""
    with UnitOfWork(session_factory) as uow:
        return [_as_seen(record) for record in uow.order_requests.unresolved()]


def requests_by_id(
    session_factory: sessionmaker[Session], request_ids: Iterable[int]
) -> list[OrderRequestRecord]:
    """The stored requests with these ids, as they stand now."""
    with UnitOfWork(session_factory) as uow:
        return [_as_seen(record) for record in uow.order_requests.many(request_ids)]


def blocked_suppliers(unresolved: Iterable[OrderRequestRecord]) -> dict[str | None, list[str]]:
    """Supplier id -> the external ids of its unresolved requests."""
    blocked: dict[str | None, list[str]] = {}
    for record in unresolved:
        blocked.setdefault(record.supplier_id, []).append(record.external_order_id)
    return blocked


def hold_back(
    frame: pd.DataFrame, blocked: Mapping[str | None, object]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The proposal's lines split into those offered and those held back because their
    supplier has an unresolved request."""
    held = frame["supplier_id"].map(lambda s: (s if isinstance(s, str) else None) in blocked)
    return frame[~held], frame[held]


def request_orders(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    lines: Mapping[str | None, Sequence[OrderLine]],
    *,
    actor: str,
    override: Collection[str | None] = (),
    now: Clock = _utc_now,
) -> list[OrderRequestRecord]:
    """Store one request per supplier, then send each; returns them as they ended.

    Raises ``UnresolvedRequestError`` (nothing stored) when a supplier has an unresolved
    request, unless that supplier is in ``override``. After a failure that is not about
    one order (network, API key, rate limit) the remaining requests are not sent.
    """
    wanted = {supplier: list(group) for supplier, group in lines.items() if group}
    if not wanted:
        raise ValueError("no line with a quantity to order")
    at = now()
    guard = ExitStack()
    with UnitOfWork(session_factory) as uow:
        unresolved = uow.order_requests.unresolved()
        blocking = [
            r for r in unresolved if r.supplier_id in wanted and r.supplier_id not in override
        ]
        if blocking:
            raise UnresolvedRequestError(blocking)
        blocked = blocked_suppliers(unresolved)
        ids = []
        for supplier, group in wanted.items():
            external_id = new_external_order_id()
            payload = [{"ps_id": line.ps_id, "quantity": line.quantity} for line in group]
            overridden = blocked.get(supplier, [])
            ids.append(
                uow.order_requests.add(
                    external_id,
                    supplier,
                    payload,
                    requested_by=actor,
                    at=at,
                    override_of=overridden,
                )
            )
            uow.audit.record(
                actor,
                "reorder.orders_requested",
                ENTITY,
                external_id,
                after={"supplier": supplier, "lines": payload, "override_of": overridden},
            )
        # In flight before the commit, so no other session takes them for interrupted ones.
        guard.enter_context(_sending(ids))
        try:
            uow.commit()
        except BaseException:
            guard.close()
            raise
    with guard:
        stopped: str | None = None
        for request_id in ids:
            if stopped is None:
                stopped = _claim_and_send(client, session_factory, request_id, actor, now)
                continue
            _finish(
                session_factory,
                request_id,
                "not_sent",
                actor=actor,
                now=now,
                from_states=("pending",),
                message=f"Not sent, because an earlier request could not be: {stopped}",
            )
    return requests_by_id(session_factory, ids)


def check_and_retry(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    request_id: int,
    *,
    actor: str,
    now: Clock = _utc_now,
) -> OrderRequestRecord:
    """Look an unresolved request's id up in the order list; send it again only when no
    order carries it. When the list cannot be read, nothing is sent. Raises
    ``RequestStateError`` when it is being sent right now or already resolved."""
    with _sending([request_id]):
        with UnitOfWork(session_factory) as uow:
            claimed = uow.order_requests.move(request_id, UNRESOLVED_STATES, "sending", at=now())
            uow.commit()
            record = uow.order_requests.get(request_id)
        if not claimed:
            raise RequestStateError(
                f"Order request {record.external_order_id} is already {record.state}; "
                "nothing was sent."
            )
        external_id = record.external_order_id
        try:
            found = client.find_orders_by_external_id(external_id)
        except PleasureStockError as error:
            _finish(
                session_factory,
                request_id,
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
        else:
            if found:
                _placed(session_factory, request_id, found, actor, now, action="found")
            else:
                _send(client, session_factory, record, actor, now, undelivered="unknown")
    return requests_by_id(session_factory, [request_id])[0]


def _claim_and_send(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    request_id: int,
    actor: str,
    now: Clock,
) -> str | None:
    """Send one freshly stored request; returns why sending stopped, if it must."""
    with UnitOfWork(session_factory) as uow:
        uow.order_requests.move(request_id, ("pending",), "sending", at=now())
        uow.commit()
        record = uow.order_requests.get(request_id)
    return _send(client, session_factory, record, actor, now, undelivered="not_sent")


def _send(
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
        _finish(session_factory, record.id, "rejected", actor=actor, now=now, message=message)
        return None
    except PleasureStockError as failure:
        stopped = str(failure)
    else:
        _placed(session_factory, record.id, created.orders, actor, now, action="created")
        return None
    advice = RETRY_ADVICE if undelivered == "unknown" else "Create the order again later."
    _finish(
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
            _placed(session_factory, record.id, found, actor, now, action="found")
            return
        message = f"{lost} No order carrying {external_id} is in the order list yet. {RETRY_ADVICE}"
    _finish(session_factory, record.id, "unknown", actor=actor, now=now, message=message)


def _placed(
    session_factory: sessionmaker[Session],
    request_id: int,
    orders: Sequence[Order],
    actor: str,
    now: Clock,
    *,
    action: str,
) -> None:
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
    _finish(
        session_factory,
        request_id,
        "placed",
        actor=actor,
        now=now,
        action=f"reorder.orders_{action}",
        orders=summary,
        message=message,
    )


def _finish(
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
