"""PleasureStock webhooks: signature verification, parsing and storing each event once.

A delivery carries ``X-Webhook-Timestamp`` (Unix seconds) and ``X-Webhook-Signature``
(``sha256=`` + hex HMAC-SHA256 of ``"{timestamp}.{raw body}"`` with the shared
secret), usually an ``X-Webhook-Id``, and a JSON body ``{event, timestamp, data}``.
The checks here are pure; ``lib.routes`` runs them on each request and stores the
event with ``store_event``. Failed deliveries are retried by the sender (2, 4, 8 s),
so a redelivered event is acknowledged without being stored twice.

An event is known by what the signature covers: a hash of its content (``delivery_key``).
``X-Webhook-Id`` is not signed, so a captured delivery re-sent with another id is still
the same event; the id is kept only to match the sender's delivery log. Bodies JSON
cannot store (``NaN``, ``Infinity``, ``1e400``), numbers too long to read and nesting
deeper than any event has are refused with 400, so the sender does not retry them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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

# A documented event is 4 levels deep (data.items[].product); JSON parsers recurse.
MAX_NESTING = 32
# Ids and amounts are short; Python refuses integers past 4,300 digits with a ValueError.
MAX_NUMBER_DIGITS = 100

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))

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
    payload = _load_json(body)
    try:
        return WebhookEvent.model_validate(payload)
    except pydantic.ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "body"
        raise WebhookRejectedError(
            400, f"not a webhook event ({where}: {problem['msg']})"
        ) from None


def _load_json(body: bytes) -> Any:
    """Strict JSON: finite numbers of sane length, at most ``MAX_NESTING`` levels deep."""
    if _nesting(body) > MAX_NESTING:
        raise WebhookRejectedError(400, f"body nested deeper than {MAX_NESTING} levels")
    try:
        return json.loads(
            body, parse_constant=_refuse_constant, parse_float=_finite, parse_int=_short_int
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WebhookRejectedError(400, f"body is not JSON ({exc})") from None


def _nesting(body: bytes) -> int:
    """The deepest ``[``/``{`` nesting of ``body``, ignoring brackets inside strings."""
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _refuse_constant(name: str) -> Any:
    raise WebhookRejectedError(400, f"body holds {name}, which is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise WebhookRejectedError(400, f"number out of range: {text[:20]}")
    return number


def _short_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise WebhookRejectedError(400, f"number longer than {MAX_NUMBER_DIGITS} digits")
    return int(text)


def delivery_key(event: WebhookEvent) -> str:
    """What makes an event unique: a hash of its content, all of which is signed.

    The sender's retries carry the same content under a new timestamp and signature, so
    they get the same key.
    """
    return payload_key(event.model_dump(mode="json"))


def payload_key(payload: Any) -> str:
    """``sha256:`` + hex hash of ``payload`` as canonical JSON (key order, spacing ignored)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def store_event(
    session_factory: sessionmaker[Session],
    event: WebhookEvent,
    *,
    sender_id: str | None,
    received_at: datetime,
) -> bool:
    """Store a verified event once; False when it was stored before (a redelivery or replay).

    ``sender_id`` is the delivery's ``X-Webhook-Id``, kept for reference only.
    """
    with UnitOfWork(session_factory) as uow:
        stored = uow.webhooks.add_once(
            delivery_key=delivery_key(event),
            webhook_id=sender_id,
            event=event.event,
            order_number=event.order_number,
            event_time=event.timestamp,
            received_at=received_at,
            payload=event.model_dump(mode="json"),
        )
        uow.commit()
    return stored
