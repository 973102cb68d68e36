"""HTTP routes served beside the Streamlit UI by ``st.App``: health check and webhooks,
and the middleware that tells the demo sandbox where this server listens."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import nullcontext
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from lib.db import open_database
from lib.orders.webhooks import (
    ID_HEADER,
    MAX_BODY_BYTES,
    WEBHOOK_PATH,
    WebhookRejectedError,
    parse_event,
    store_event,
    verify_delivery,
)
from lib.pleasurestock.models import WebhookEvent
from lib.sandbox.embedded import note_app_address, webhook_secret
from lib.settings import Settings, SettingsError, load_settings

logger = logging.getLogger("stockdesk.webhooks")

# Every method reaches the webhook handler: a route limited to POST would let Streamlit's
# catch-all answer a GET with its HTML page and 200 instead of 405.
_ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# SQLite has one writer at a time and its busy handler waits in growing sleeps (up to
# 100 ms each), which put p99 near half a second under concurrent deliveries; queueing
# on a lock in this process hands the database over at once.
_sqlite_write_lock = threading.Lock()


async def healthz(request: Request) -> JSONResponse:
    """Liveness and database reachability; 503 when the database cannot be queried."""
    try:
        settings = load_settings()
    except SettingsError as error:
        # The names of the bad settings only: the page says how to fix them.
        names = sorted({problem.setting for problem in error.problems})
        return JSONResponse({"status": "error", "settings": names}, status_code=503)
    mode = "demo" if settings.demo_mode else "live"
    try:
        await run_in_threadpool(_ping_database, settings.stockdesk_database_url)
    except SQLAlchemyError as error:
        return JSONResponse(
            {"status": "error", "mode": mode, "database": type(error).__name__}, status_code=503
        )
    return JSONResponse({"status": "ok", "mode": mode, "database": "ok"})


def _ping_database(url: str) -> None:
    with open_database(url).engine.connect() as connection:
        connection.execute(text("SELECT 1"))


async def pleasurestock_webhook(request: Request) -> JSONResponse:
    """Verify a signed PleasureStock event and store it once; a redelivery also gets 200."""
    if request.method != "POST":
        return JSONResponse(
            {"error": f"{request.method} is not allowed; webhooks are POSTed"},
            status_code=405,
            headers={"Allow": "POST"},
        )
    try:
        settings = _webhook_settings()
        body = await _read_body(request)
        verify_delivery(webhook_secret(settings), request.headers, body, now=time.time())
        event = parse_event(body)
    except WebhookRejectedError as rejection:
        logger.warning("webhook delivery rejected (%s)", rejection)
        return JSONResponse({"error": rejection.reason}, status_code=rejection.status_code)
    sender_id = (request.headers.get(ID_HEADER) or "").strip()[:200] or None
    stored = await run_in_threadpool(_store, settings.stockdesk_database_url, event, sender_id)
    logger.info("webhook %s for %s: %s", event.event, event.order_number, stored)
    return JSONResponse({"status": stored})


def _webhook_settings() -> Settings:
    """The settings, or a 503 the sender retries later while the configuration is invalid."""
    try:
        return load_settings()
    except SettingsError as error:
        raise WebhookRejectedError(
            503, "webhooks are not accepted: StockDesk's configuration is invalid"
        ) from error


async def _read_body(request: Request) -> bytes:
    """The body, refusing (413) as soon as it is known to exceed ``MAX_BODY_BYTES``."""
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise WebhookRejectedError(413, f"body larger than {MAX_BODY_BYTES} bytes")
    body = bytearray()
    # A chunked or understated body is cut off here rather than read whole into memory.
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise WebhookRejectedError(413, f"body larger than {MAX_BODY_BYTES} bytes")
    return bytes(body)


def _store(url: str, event: WebhookEvent, sender_id: str | None) -> str:
    session_factory = open_database(url).session_factory
    sqlite = make_url(url).get_backend_name() == "sqlite"
    with _sqlite_write_lock if sqlite else nullcontext():
        stored = store_event(
            session_factory, event, sender_id=sender_id, received_at=datetime.now(UTC)
        )
    return "stored" if stored else "duplicate"


ROUTES = [
    Route("/healthz", healthz, methods=["GET"]),
    Route(WEBHOOK_PATH, pleasurestock_webhook, methods=_ANY_METHOD),
]


class NoteOwnAddress:
    """ASGI middleware: hands the local address of each connection (the socket this server
    listens on, not what the client asked for) to the demo sandbox, for its webhooks."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        server = scope.get("server")  # (host, port); None or (path, None) on a Unix socket
        if scope["type"] in {"http", "websocket"} and server and isinstance(server[1], int):
            note_app_address(server[0], server[1])
        await self.app(scope, receive, send)


MIDDLEWARE = [Middleware(NoteOwnAddress)]
