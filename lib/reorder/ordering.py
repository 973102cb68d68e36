"""Purchase orders from the proposal, placed exactly once.

"Create orders" stores one request per supplier (its lines and a fresh
``externalOrderId``, PleasureStock's idempotency key) in the database before anything
is sent, with one background job per request that sends it (``sending``), so a closed
tab or a rerun changes nothing. A request moves

    pending (stored) -> sending -> placed     the order number is known
                                -> unknown    the answer was lost: it may be placed
                                -> rejected   PleasureStock refused it; nothing stored
                                -> not_sent   it could not be delivered; nothing stored

An unknown request is never sent again blindly: ``unresolved.check_and_retry`` looks its
id up in the order list first, sends only when no order carries it, and sends nothing
when the list cannot be read. A request left pending or sending by a job that was cut
off (a worker killed) counts as unknown. While a supplier has an unresolved request, a new
request for it needs an explicit override. How one request is sent and recorded is in
``sending``.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import OrderRequestRecord, UnitOfWork
from lib.jobs.service import queue_jobs
from lib.pleasurestock.models import OrderLine
from lib.reorder.sending import ENTITY, ORDER_REQUEST, Clock, utc_now
from lib.reorder.unresolved import blocked_suppliers, requests_by_id


class UnresolvedRequestError(Exception):
    """A supplier of a new request has an unresolved one; nothing was stored or sent."""

    def __init__(self, blocking: Sequence[OrderRequestRecord]) -> None:
        ids = ", ".join(f"{r.external_order_id} ({r.supplier_id})" for r in blocking)
        super().__init__(
            f"These suppliers have an order request whose outcome is not known yet: {ids}. "
            "Check and retry those first, or confirm that a second order is wanted."
        )
        self.blocking = list(blocking)


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


def request_orders(
    session_factory: sessionmaker[Session],
    lines: Mapping[str | None, Sequence[OrderLine]],
    *,
    actor: str,
    override: Collection[str | None] = (),
    now: Clock = utc_now,
) -> list[OrderRequestRecord]:
    """Store one request per supplier and one job to send each, in one transaction, then
    queue the jobs; returns the requests as they stand (sent already when jobs run at once).

    Raises ``UnresolvedRequestError`` (nothing stored) when a supplier has an unresolved
    request, unless that supplier is in ``override``.
    """
    wanted = {supplier: list(group) for supplier, group in lines.items() if group}
    if not wanted:
        raise ValueError("no line with a quantity to order")
    at = now()
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
        # The jobs with the requests: a request is never stored without its sender.
        jobs = [uow.jobs.add(ORDER_REQUEST, str(i), by=actor, at=at) for i in ids]
        uow.commit()
    queue_jobs(jobs)
    return requests_by_id(session_factory, ids)
