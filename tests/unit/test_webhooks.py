"""Webhook verification, parsing and delivery keys, without HTTP."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr
from starlette.datastructures import Headers

from lib.orders.webhooks import (
    MAX_BODY_BYTES,
    WebhookRejectedError,
    delivery_key,
    parse_event,
    signature,
    verify_delivery,
)
from lib.sandbox.webhooks import signature as sandbox_signature

SECRET = SecretStr("whsec_unit")
NOW = 1_736_850_600.0
BODY = json.dumps(
    {"event": "order.status_changed", "timestamp": "2025-01-14T11:00:00Z", "data": {}}
).encode()


def signed(body: bytes = BODY, timestamp: float = NOW, secret: str = "whsec_unit") -> Headers:
    stamp = str(int(timestamp))
    return Headers(
        {
            "x-webhook-timestamp": stamp,
            "x-webhook-signature": sandbox_signature(secret, stamp, body),
        }
    )


def rejection(headers: Headers, body: bytes = BODY, secret: SecretStr | None = SECRET) -> int:
    with pytest.raises(WebhookRejectedError) as caught:
        verify_delivery(secret, headers, body, now=NOW)
    return caught.value.status_code


def test_our_signature_matches_the_documented_scheme_as_the_sandbox_computes_it() -> None:
    assert signature(SECRET, "1736850600", BODY) == sandbox_signature(
        "whsec_unit", "1736850600", BODY
    )


def test_a_signed_fresh_delivery_passes() -> None:
    verify_delivery(SECRET, signed(), BODY, now=NOW)
    verify_delivery(SECRET, signed(timestamp=NOW - 299), BODY, now=NOW)


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        (signed(secret="whsec_other"), BODY, 401),
        (signed(), BODY + b" ", 401),  # the body was changed after signing
        (signed(timestamp=NOW - 301), BODY, 401),  # stale: a replay
        (signed(timestamp=NOW + 301), BODY, 401),
        (Headers({}), BODY, 401),
        (Headers({"x-webhook-timestamp": "1736850600"}), BODY, 401),
        (signed(body=b"x" * (MAX_BODY_BYTES + 1)), b"x" * (MAX_BODY_BYTES + 1), 413),
    ],
    ids=["wrong-secret", "tampered", "stale", "future", "unsigned", "no-signature", "too-big"],
)
def test_bad_deliveries_are_rejected(headers: Headers, body: bytes, status: int) -> None:
    assert rejection(headers, body) == status


def test_a_timestamp_that_is_not_unix_seconds_is_rejected() -> None:
    stamp = "2025-01-14T11:00:00Z"
    headers = Headers(
        {"x-webhook-timestamp": stamp, "x-webhook-signature": signature(SECRET, stamp, BODY)}
    )
    assert rejection(headers) == 401


def test_without_a_secret_everything_is_rejected() -> None:
    assert rejection(signed(), secret=None) == 503


def test_the_rejection_never_contains_the_secret() -> None:
    with pytest.raises(WebhookRejectedError) as caught:
        verify_delivery(SECRET, signed(secret="whsec_other"), BODY, now=NOW)
    assert "whsec_unit" not in str(caught.value)


@pytest.mark.parametrize(
    "body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"data": {}}', b'{"event": 5}']
)
def test_a_body_that_is_not_an_event_is_a_400(body: bytes) -> None:
    with pytest.raises(WebhookRejectedError) as caught:
        parse_event(body)
    assert caught.value.status_code == 400


def test_parse_event_reads_the_documented_payload() -> None:
    event = parse_event(
        b'{"event": "order.cancelled", "timestamp": "2025-01-14T11:00:00Z",'
        b' "data": {"orderNumber": "ORD-1", "reason": "no stock"}}'
    )
    assert (event.event, event.order_number) == ("order.cancelled", "ORD-1")


def test_delivery_key_is_the_signed_content_whatever_the_sender_id_or_layout() -> None:
    event = parse_event(BODY)
    same = parse_event(
        b'{"data": {}, "timestamp": "2025-01-14T11:00:00Z",\n "event": "order.status_changed"}'
    )
    other = parse_event(BODY.replace(b"11:00:00", b"11:00:01"))
    assert delivery_key(event).startswith("sha256:")
    assert delivery_key(event) == delivery_key(same)
    assert delivery_key(event) != delivery_key(other)


def nested(depth: int) -> bytes:
    return b'{"event": "x", "data": {"deep": ' + b"[" * depth + b"]" * depth + b"}}"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (nested(900), "nested deeper"),
        (nested(40), "nested deeper"),
        (b'{"event": "x", "data": {"n": ' + b"9" * 5000 + b"}}", "longer than 100 digits"),
        (b'{"event": "x", "data": {"n": -' + b"9" * 101 + b"}}", "longer than 100 digits"),
        (b'{"event": "x", "data": {"n": 1e400}}', "out of range"),
        (b'{"event": "x", "data": {"n": -1e400}}', "out of range"),
        (b'{"event": "x", "data": {"n": NaN}}', "NaN"),
        (b'{"event": "x", "data": {"n": Infinity}}', "Infinity"),
        (b'{"event": "x", "data": {"n": -Infinity}}', "-Infinity"),
    ],
    ids=[
        "900-deep",
        "40-deep",
        "5000-digits",
        "101-digits",
        "1e400",
        "-1e400",
        "NaN",
        "inf",
        "-inf",
    ],
)
def test_json_that_cannot_be_stored_is_a_400(body: bytes, reason: str) -> None:
    with pytest.raises(WebhookRejectedError) as caught:
        parse_event(body)
    assert caught.value.status_code == 400
    assert reason in caught.value.reason


def test_brackets_in_strings_and_documented_depth_are_fine() -> None:
    body = (
        b'{"event": "order.created", "data": {"comment": "[[[[{{{{\\"]]]]", '
        b'"items": [{"product": {"name": "x", "tags": [1, 2.5, -3, 1e300]}}]}}'
    )
    event = parse_event(body)
    assert event.data["items"][0]["product"]["tags"] == [1, 2.5, -3, 1e300]
    assert event.data["comment"] == '[[[[{{{{"]]]]'
