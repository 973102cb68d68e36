"""PleasureStock webhooks: signature verification, parsing and storing each event once.

A delivery carries ``X-Webhook-Timestamp`` (Unix seconds) and ``X-Webhook-Signature``
(``sha256=`` + hex HMAC-SHA256 of ``"{timestamp}.{raw body}"`` with the shared
secret), usually an ``X-Webhook-Id``, and a JSON body ``{event, timestamp, data}``.
The checks here are pure; ``lib.routes`` runs them on each request and stores the
event with ``store_event``. Failed deliveries are retried by the sender (2, 4, 8 s),
so a redelivered event is acknowledged without being stored twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pydantic
from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.pleasurestock.models import WebhookEvent

WEBHOOK_PATH = "/api/webhooks/pleasurestock"
# An order.created event with a thousand items is about 150 KB.
MAX_BODY_BYTES = 256 * 1024
# Older deliveries may be replays; newer ones come from a clock that is badly off.
TIMESTAMP_TOLERANCE_SECONDS = 300

SIGNATURE_HEADER = "X-Webhook-Signature"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
ID_HEADER = "X-Webhook-Id"


@dataclass(frozen=True)
class WebhookRejectedError(Exception):
    """A delivery we refuse: the HTTP status to answer and why, for the sender's log."""

    status_code: int
    reason: str

    def __str__(self) -> str:
        return f"{self.status_code}: {self.reason}"


def signature(secret: SecretStr, timestamp: str, body: bytes) -> str:
    """``sha256=`` + hex HMAC-SHA256 of ``"{timestamp}.{body}"`` with ``secret``."""
    message = timestamp.encode() + b"." + body
    digest = hmac.new(secret.get_secret_value().encode(), message, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_delivery(
    secret: SecretStr | None, headers: Mapping[str, str], body: bytes, *, now: float
) -> None:
    """Raise ``WebhookRejectedError`` unless the delivery is signed with ``secret`` and fresh.

    ``headers`` must look names up case-insensitively (Starlette's do); ``now`` is
    Unix seconds.
    """
    if secret is None:
        raise WebhookRejectedError(
            503, "webhooks are not accepted: PLEASURESTOCK_WEBHOOK_SECRET is not configured"
        )
    if len(body) > MAX_BODY_BYTES:
        raise WebhookRejectedError(413, f"body larger than {MAX_BODY_BYTES} bytes")
    timestamp = headers.get(TIMESTAMP_HEADER)
    sent_signature = headers.get(SIGNATURE_HEADER)
    if not timestamp or not sent_signature:
        raise WebhookRejectedError(
            401, f"unsigned: {SIGNATURE_HEADER} and {TIMESTAMP_HEADER} needed"
        )
    expected = signature(secret, timestamp, body)
    # compare_digest takes as long for a near miss as for a wild guess.
    if not hmac.compare_digest(expected.encode(), sent_signature.strip().encode()):
        raise WebhookRejectedError(401, "signature does not match")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise WebhookRejectedError(401, f"{TIMESTAMP_HEADER} is not Unix seconds") from None
    if now - sent_at > TIMESTAMP_TOLERANCE_SECONDS:
        raise WebhookRejectedError(401, "timestamp older than five minutes (possible replay)")
    if sent_at - now > TIMESTAMP_TOLERANCE_SECONDS:
        raise WebhookRejectedError(401, "timestamp more than five minutes in the future")


def parse_event(body: bytes) -> WebhookEvent:
    """The event in a verified body; ``WebhookRejectedError`` (400) when it is not one."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WebhookRejectedError(400, f"body is not JSON ({exc})") from None
    try:
        return WebhookEvent.model_validate(payload)
    except pydantic.ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "body"
        raise WebhookRejectedError(
            400, f"not a webhook event ({where}: {problem['msg']})"
        ) from None


def delivery_key(headers: Mapping[str, str], body: bytes) -> str:
    """What makes a delivery unique: the sender's event id, else a hash of the body."""
    sent_id = (headers.get(ID_HEADER) or "").strip()
    return sent_id or "sha256:" + hashlib.sha256(body).hexdigest()


def store_event(
    session_factory: sessionmaker[Session],
    key: str,
    event: WebhookEvent,
    *,
    received_at: datetime,
) -> bool:
    """Store a verified event once; False when ``key`` was stored before (a redelivery)."""
    with UnitOfWork(session_factory) as uow:
        stored = uow.webhooks.add_once(
            webhook_id=key,
            event=event.event,
            order_number=event.order_number,
            event_time=event.timestamp,
            received_at=received_at,
            payload=event.model_dump(mode="json"),
        )
        uow.commit()
    return stored
