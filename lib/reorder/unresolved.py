"""Order requests whose outcome is not settled: listed as they stand (a pending or sending
one that no job is sending counts as unknown), and holding their supplier back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import OrderRequestRecord, UnitOfWork
from lib.jobs.service import start_job
from lib.reorder.sending import ORDER_REQUEST, RequestStateError, as_seen


def unresolved_requests(session_factory: sessionmaker[Session]) -> list[OrderRequestRecord]:
    """Requests being sent now or of unknown outcome, oldest first."""
    with UnitOfWork(session_factory) as uow:
        in_flight = being_sent(uow)
        return [as_seen(record, in_flight) for record in uow.order_requests.unresolved()]


def requests_by_id(
    session_factory: sessionmaker[Session], request_ids: Iterable[int]
) -> list[OrderRequestRecord]:
    """The stored requests with these ids, as they stand now."""
    with UnitOfWork(session_factory) as uow:
        in_flight = being_sent(uow)
        return [as_seen(record, in_flight) for record in uow.order_requests.many(request_ids)]


def being_sent(uow: UnitOfWork) -> set[int]:
    """Ids of the requests a job is pending or running for, in any process."""
    return {int(subject) for subject in uow.jobs.active_subjects(ORDER_REQUEST)}


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


def check_and_retry(
    session_factory: sessionmaker[Session], request_id: int, *, actor: str
) -> OrderRequestRecord:
    """A person's "Check and retry" of a request of unknown outcome: start the job that
    looks its id up in the order list and sends it only when no order carries it
    (``sending.send_stored_request``); returns the request as it stands then. Raises
    ``RequestStateError`` when it is being sent right now or is resolved already."""
    [record] = requests_by_id(session_factory, [request_id])
    if record.state != "unknown":
        where = (
            "being sent right now"
            if record.state in ("pending", "sending")
            else f"already {record.state}"
        )
        raise RequestStateError(
            f"Order request {record.external_order_id} is {where}; nothing was sent."
        )
    start_job(session_factory, ORDER_REQUEST, str(request_id), by=actor)
    return requests_by_id(session_factory, [request_id])[0]
