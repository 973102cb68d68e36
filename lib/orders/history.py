"""What happened to an order: the status changes StockDesk makes and PleasureStock's webhooks.

``change_order_status`` asks PleasureStock for one step of the workflow and records
it (audit log and the order's own history); ``order_timeline`` merges that history
with the webhook events received for the order; ``unreflected_events`` tells which
events the loaded order list does not show yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import pandas as pd
from pydantic import Field
from sqlalchemy.orm import Session, sessionmaker

from lib.db import StatusChangeRecord, UnitOfWork, WebhookEventRecord
from lib.orders.workflow import allowed_transitions, status_label
from lib.pleasurestock import PleasureStockClient
from lib.pleasurestock.errors import (
    ApiError,
    AuthenticationError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitedError,
)
from lib.pleasurestock.models import ApiModel, Order, Timestamp


@dataclass(frozen=True)
class StatusChangeResult:
    """How a status change ended: ``applied``, ``refused`` (nothing changed) or ``unknown``."""

    outcome: Literal["applied", "refused", "unknown"]
    message: str


def change_order_status(
    client: PleasureStockClient,
    session_factory: sessionmaker[Session],
    order: Order,
    target: str,
    *,
    actor: str,
    comment: str | None = None,
) -> StatusChangeResult:
    """Ask PleasureStock to move ``order`` to ``target`` and record what happened.

    Refuses locally what the workflow does not allow and a cancellation without a
    reason. Applied and possibly-applied changes go to the audit log and the order's
    timeline. Errors that are not about this change (network, API key, rate limit)
    are raised as the client's ``PleasureStockError``.
    """
    number, current = order.order_number, order.status
    move = f"{number} from {status_label(current)} to {status_label(target)}"
    comment = (comment or "").strip() or None
    if target not in allowed_transitions(current):
        allowed = ", ".join(status_label(s) for s in allowed_transitions(current)) or "none"
        return StatusChangeResult(
            "refused", f"The workflow does not allow moving {move} (allowed: {allowed})."
        )
    if target == "cancelled" and comment is None:
        return StatusChangeResult(
            "refused", f"Give a reason to cancel {number}; PleasureStock passes it on."
        )
    requested_at = datetime.now(UTC)
    try:
        change = client.update_order_status(number, target, comment=comment)
    except OutcomeUnknownError:
        _record(session_factory, order, target, "unknown", actor, comment, requested_at)
        return StatusChangeResult(
            "unknown",
            f"The request to move {move} was sent, but PleasureStock's answer was lost, so "
            "it may or may not have been applied. Do not send it again blindly: press "
            "Refresh and check the order's status and timeline first.",
        )
    except ApiError as error:
        if isinstance(error, AuthenticationError | RateLimitedError) or error.status_code >= 500:
            raise
        return StatusChangeResult("refused", _refusal(move, error))
    _record(
        session_factory,
        order,
        target,
        "applied",
        actor,
        comment,
        requested_at,
        server_changed_at=change.status_changed_at,
    )
    return StatusChangeResult("applied", f"Moved {move}.")


def _refusal(move: str, error: ApiError) -> str:
    """A refusal in plain words: what was refused, the server's reasons, what to do."""
    if isinstance(error, NotFoundError | PermissionDeniedError):
        return f"PleasureStock refused to move {move}. {error}"
    reasons = f" ({'; '.join(error.details)})" if error.details else ""
    return (
        f"PleasureStock refused to move {move}{reasons}. Nothing was changed. The order may "
        "have changed since the list was loaded: press Refresh, check its status and try again."
    )


def _record(
    session_factory: sessionmaker[Session],
    order: Order,
    target: str,
    outcome: Literal["applied", "unknown"],
    actor: str,
    comment: str | None,
    requested_at: datetime,
    *,
    server_changed_at: datetime | None = None,
) -> None:
    """Write the change to the order's history and the audit log, in one transaction."""
    action = "order.status_change" if outcome == "applied" else "order.status_change_unknown"
    with UnitOfWork(session_factory) as uow:
        uow.order_changes.add(
            order_number=order.order_number,
            from_status=order.status,
            to_status=target,
            outcome=outcome,
            actor=actor,
            comment=comment,
            requested_at=requested_at,
            server_changed_at=server_changed_at,
        )
        uow.audit.record(
            actor,
            action,
            "order",
            order.order_number,
            before={"status": order.status},
            after={"status": target, "comment": comment, "outcome": outcome},
        )
        uow.commit()


# -- webhook events -----------------------------------------------------------------------


class _EventData(ApiModel):
    """The ``data`` fields of order events that the timeline reads (all optional)."""

    status: str | None = None
    old_status: str | None = Field(default=None, alias="oldStatus")
    new_status: str | None = Field(default=None, alias="newStatus")
    changed_by: str | None = Field(default=None, alias="changedBy")
    comment: str | None = None
    reason: str | None = None
    created_at: Timestamp | None = Field(default=None, alias="createdAt")
    changed_at: Timestamp | None = Field(default=None, alias="changedAt")
    cancelled_at: Timestamp | None = Field(default=None, alias="cancelledAt")


def _data(event: WebhookEventRecord) -> _EventData:
    payload = event.payload if isinstance(event.payload, dict) else {}
    data = payload.get("data")
    try:
        return _EventData.model_validate(data if isinstance(data, dict) else {})
    except ValueError:
        # An event we stored but cannot read in detail still shows, without details.
        return _EventData()


def event_status(event: WebhookEventRecord) -> str | None:
    """The status an event says the order is in now; None when it says none."""
    data = _data(event)
    if event.event == "order.status_changed":
        return data.new_status
    if event.event == "order.cancelled":
        return "cancelled"
    if event.event == "order.created":
        return data.status or "created"
    return data.status


def event_time(event: WebhookEventRecord) -> datetime:
    """When the event happened: its own change time, else its timestamp, else its arrival."""
    data = _data(event)
    return (
        data.changed_at
        or data.cancelled_at
        or data.created_at
        or event.event_time
        or event.received_at
    )


def unreflected_events(
    events: Iterable[WebhookEventRecord], statuses: Mapping[str, str]
) -> list[WebhookEventRecord]:
    """Events whose order is missing from ``statuses`` (number -> status) or differs there."""
    stale = []
    for event in events:
        status = event_status(event)
        if event.order_number and status and statuses.get(event.order_number) != status:
            stale.append(event)
    return stale


def webhooks_after(
    session_factory: sessionmaker[Session], moment: datetime
) -> list[WebhookEventRecord]:
    """Webhook events received after ``moment``, oldest first."""
    with UnitOfWork(session_factory) as uow:
        return uow.webhooks.received_after(moment)


def recent_webhooks(
    session_factory: sessionmaker[Session], limit: int = 20
) -> list[WebhookEventRecord]:
    """The newest ``limit`` webhook events, newest first."""
    with UnitOfWork(session_factory) as uow:
        return uow.webhooks.recent(limit)


def events_frame(events: Iterable[WebhookEventRecord]) -> pd.DataFrame:
    """Webhook events as a table: arrival, event, order, the status it reports."""
    return pd.DataFrame(
        [
            {
                "Received": event.received_at,
                "Event": event.event,
                "Order": event.order_number,
                "Status": status_label(s) if (s := event_status(event)) else None,
                "Webhook ID": event.webhook_id,
            }
            for event in events
        ],
        columns=["Received", "Event", "Order", "Status", "Webhook ID"],
    )


# -- timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One step in an order's history, from StockDesk or from a PleasureStock webhook."""

    at: datetime
    status: str | None
    source: Literal["StockDesk", "Webhook"]
    what: str
    note: str | None = None


def build_timeline(
    changes: Iterable[StatusChangeRecord], events: Iterable[WebhookEventRecord]
) -> list[TimelineEntry]:
    """Our status changes and the order's webhook events, oldest first."""
    entries = [_change_entry(change) for change in changes]
    entries += [_event_entry(event) for event in events]
    # Stable: at the same second our change stays before the webhook that reports it.
    return sorted(entries, key=lambda entry: entry.at)


def _change_entry(change: StatusChangeRecord) -> TimelineEntry:
    move = f"{status_label(change.from_status)} → {status_label(change.to_status)}"
    if change.outcome == "unknown":
        what = f"{change.actor} asked for {move}; the outcome is unknown, check the order"
    else:
        what = f"{change.actor} moved it {move}"
    return TimelineEntry(
        at=change.server_changed_at or change.requested_at,
        status=change.to_status if change.outcome == "applied" else None,
        source="StockDesk",
        what=what,
        note=change.comment,
    )


def _event_entry(event: WebhookEventRecord) -> TimelineEntry:
    data = _data(event)
    status = event_status(event)
    if event.event == "order.status_changed" and data.old_status and status:
        what = f"{status_label(data.old_status)} → {status_label(status)}"
        if data.changed_by:
            what += f" (by {data.changed_by})"
    elif event.event == "order.created":
        what = "Order created"
    elif event.event == "order.cancelled":
        what = "Order cancelled"
    else:
        what = event.event
    return TimelineEntry(
        at=event_time(event),
        status=status,
        source="Webhook",
        what=what,
        note=data.comment or data.reason,
    )


def order_timeline(
    session_factory: sessionmaker[Session], order_number: str
) -> list[TimelineEntry]:
    """The stored history of one order: our changes and its webhook events, oldest first."""
    with UnitOfWork(session_factory) as uow:
        changes = uow.order_changes.for_order(order_number)
        events = uow.webhooks.for_order(order_number)
    return build_timeline(changes, events)


def timeline_frame(entries: Iterable[TimelineEntry]) -> pd.DataFrame:
    """The timeline as a table, oldest first."""
    return pd.DataFrame(
        [
            {
                "When": entry.at,
                "Status": status_label(entry.status) if entry.status else None,
                "From": entry.source,
                "What": entry.what,
                "Note": entry.note,
            }
            for entry in entries
        ],
        columns=["When", "Status", "From", "What", "Note"],
    )
