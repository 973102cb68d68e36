"""Order requests whose outcome is not settled: listed, holding their supplier back, and
"Check and retry", which looks the id up before it sends anything again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UNRESOLVED_STATES, OrderRequestRecord, UnitOfWork
from lib.pleasurestock import PleasureStockClient, PleasureStockError
from lib.reorder.sending import (
    Clock,
    RequestStateError,
    as_seen,
    finish,
    record_placed,
    send_request,
    sending,
    utc_now,
)


def unresolved_requests(session_factory: sessionmaker[Session]) -> list[OrderRequestRecord]:
    """Requests being sent now or of unknown outcome, oldest first."""
    with UnitOfWork(session_factory) as uow:
        return [as_seen(record) for record in uow.order_requests.unresolved()]


def requests_by_id(
    session_factory: sessionmaker[Session], request_ids: Iterable[int]
) -> list[OrderRequestRecord]:
    """The stored requests with these ids, as they stand now."""
    with UnitOfWork(session_factory) as uow:
        return [as_seen(record) for record in uow.order_requests.many(request_ids)]


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
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    request_id: int,
    *,
    actor: str,
    now: Clock = utc_now,
) -> OrderRequestRecord:
    """Look an unresolved request's id up in the order list; send it again only when no
    order carries it. When the list cannot be read, nothing is sent. Raises
    ``RequestStateError`` when it is being sent right now or already resolved."""
    with sending([request_id]):
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
            finish(
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
                record_placed(session_factory, request_id, found, actor, now, action="found")
            else:
                send_request(client, session_factory, record, actor, now, undelivered="unknown")
    return requests_by_id(session_factory, [request_id])[0]
