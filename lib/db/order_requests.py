"""Purchase order requests: what StockDesk is about to send, or sent, to PleasureStock.

Like every repository it works inside the unit of work's session and never commits.
State changes are conditional updates (``… WHERE state IN (…)``), so two sessions can
never both claim one request for sending.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from lib.db.models import OrderRequestRow
from lib.db.state_moves import move_state

RequestState = Literal["pending", "sending", "placed", "unknown", "rejected", "not_sent"]
# Not settled yet: stored and not sent, being sent, or sent with no reliable answer.
UNRESOLVED_STATES: tuple[RequestState, ...] = ("pending", "sending", "unknown")
FINAL_STATES: tuple[RequestState, ...] = ("placed", "rejected", "not_sent")


@dataclass(frozen=True)
class OrderRequestRecord:
    """One stored request: one supplier's ``lines`` (ps_id, quantity) under one external id."""

    id: int
    external_order_id: str
    supplier_id: str | None
    lines: list[dict[str, Any]]
    state: RequestState
    requested_by: str
    requested_at: datetime
    attempts: int
    claimed_at: datetime | None
    finished_at: datetime | None
    orders: list[dict[str, Any]]
    message: str | None
    override_of: list[str]

    @property
    def units(self) -> int:
        """Units over all lines."""
        return sum(int(line["quantity"]) for line in self.lines)


class OrderRequestRepository:
    """Order requests, stored before they are sent and updated with each outcome."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        external_order_id: str,
        supplier_id: str | None,
        lines: Sequence[Mapping[str, Any]],
        *,
        requested_by: str,
        at: datetime,
        override_of: Sequence[str] = (),
    ) -> int:
        """Store a new pending request; returns its id."""
        row = OrderRequestRow(
            external_order_id=external_order_id,
            supplier_id=supplier_id,
            lines=[dict(line) for line in lines],
            state="pending",
            requested_by=requested_by,
            requested_at=at,
            attempts=0,
            override_of=list(override_of) or None,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, request_id: int) -> OrderRequestRecord:
        """One request; raises ``LookupError`` when there is none with this id."""
        row = self._session.get(OrderRequestRow, request_id)
        if row is None:
            raise LookupError(f"no order request {request_id}")
        return _record(row)

    def many(self, request_ids: Iterable[int]) -> list[OrderRequestRecord]:
        """The requests with these ids, oldest first (unknown ids are skipped)."""
        rows = self._session.scalars(
            select(OrderRequestRow)
            .where(OrderRequestRow.id.in_(list(request_ids)))
            .order_by(OrderRequestRow.id)
        )
        return [_record(row) for row in rows]

    def unresolved(self) -> list[OrderRequestRecord]:
        """Requests still pending, being sent or of unknown outcome, oldest first."""
        rows = self._session.scalars(
            select(OrderRequestRow)
            .where(OrderRequestRow.state.in_(UNRESOLVED_STATES))
            .order_by(OrderRequestRow.requested_at, OrderRequestRow.id)
        )
        return [_record(row) for row in rows]

    def move(
        self,
        request_id: int,
        from_states: Iterable[RequestState],
        to_state: RequestState,
        *,
        at: datetime,
        **values: Any,
    ) -> bool:
        """Change a request's state if it is in one of ``from_states``; True when it changed.

        ``values`` sets other columns too (``message``, ``orders``); moving to ``sending``
        claims it (``claimed_at``, one more attempt), a final state sets ``finished_at``.
        """
        if to_state == "sending":
            values.update(claimed_at=at, attempts=OrderRequestRow.attempts + 1)
        if to_state in FINAL_STATES:
            values.setdefault("finished_at", at)
        return move_state(self._session, OrderRequestRow, request_id, from_states, to_state, values)


def _record(row: OrderRequestRow) -> OrderRequestRecord:
    return OrderRequestRecord(
        id=row.id,
        external_order_id=row.external_order_id,
        supplier_id=row.supplier_id,
        lines=list(row.lines),
        state=cast(RequestState, row.state),
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        attempts=row.attempts,
        claimed_at=row.claimed_at,
        finished_at=row.finished_at,
        orders=list(row.orders or []),
        message=row.message,
        override_of=list(row.override_of or []),
    )
