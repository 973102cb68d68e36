"""Hostile upstream and uploaded text on every page: shown as text, never as Markdown.

The live sandbox gets hostile product, category and supplier names, order numbers,
delivery and external ids (``tests.support.hostile``); webhook events and an error body
carry more. Every text Streamlit would render as Markdown (bodies, labels, metric
values, help) is checked for a link, image, HTML, icon or emphasis made of them. The
browser test in ``tests/e2e/test_hostile_text.py`` checks the same in the real DOM.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from streamlit.testing.v1 import AppTest

from lib.db import open_database
from lib.orders.webhooks import parse_event, store_event
from lib.sandbox import RunningSandbox
from lib.sandbox.server import bind_socket
from lib.ui import markdown_text
from lib.ui.shell import PAGES
from tests.app.conftest import LIVE_KEY
from tests.support.hostile import hostile, leaks, make_hostile, markdown_texts


def assert_shown_as_text(at: AppTest, where: str) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    found = {text: leaks(text) for text in markdown_texts(at)}
    assert not {text: what for text, what in found.items() if what}, where


@pytest.fixture
def names(live_env: Callable[[str], None], live_sandbox: RunningSandbox) -> dict[str, str]:
    live_env(LIVE_KEY)
    return make_hostile(live_sandbox.store)


def test_every_page_shows_hostile_upstream_text_as_text(
    names: dict[str, str], app: AppTest
) -> None:
    app.run()
    for spec in PAGES:
        app.switch_page(f"pages/{spec.file}").run()
        assert_shown_as_text(app, spec.title)


def test_order_detail_and_webhook_notice_show_hostile_ids_as_text(
    names: dict[str, str], app: AppTest
) -> None:
    app.run()
    app.switch_page("pages/orders.py").run()
    choice = app.selectbox(key="orders_choice")
    choice.set_value(names["order"]).run()
    assert_shown_as_text(app, "order detail")
    supplier = next(m.value for m in app.metric if m.label == "Supplier")
    assert supplier == markdown_text(names["supplier"])
    assert any(markdown_text(names["order"]) in c.label for c in app.checkbox)
    assert any(markdown_text(hostile("delivery")) in c.value for c in app.caption)

    _store_webhook(hostile("webhook-order"), hostile("status"))
    app.run()
    assert any("since the list was loaded" in i.value for i in app.info)
    assert_shown_as_text(app, "webhook notice")


def test_an_order_number_with_a_slash_gives_a_message_not_an_exception(
    names: dict[str, str], app: AppTest
) -> None:
    app.run()
    app.switch_page("pages/orders.py").run()
    app.selectbox(key="orders_choice").set_value(names["unreachable_order"]).run()
    assert_shown_as_text(app, "order with a slash")
    assert any("could not be loaded" in e.value for e in app.error)


def test_catalog_detail_heading_shows_a_hostile_name_as_text(
    names: dict[str, str], app: AppTest
) -> None:
    app.run()
    app.switch_page("pages/catalog.py").run()
    grid = app.dataframe[0].value
    row = grid.index.get_loc(grid.index[grid["Name"] == names["product"]][0])
    app.session_state["catalog_grid"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    app.run()
    assert markdown_text(names["product"]) in [s.value for s in app.subheader]
    assert_shown_as_text(app, "catalog detail")


def test_a_hostile_file_name_is_shown_as_text(names: dict[str, str], app: AppTest) -> None:
    app.run()
    app.switch_page("pages/sales-upload.py").run()
    name = hostile("file").replace("/", "|") + ".csv"
    data = b"sku,date,quantity\nNOPE-1,2026-11-30,1\n"
    app.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert any(markdown_text(name) in c.value for c in app.caption)
    assert_shown_as_text(app, "upload")
    app.file_uploader[0].set_value((name, b"only one column\nvalue\n", "text/csv")).run()
    assert any(markdown_text(name) in e.value for e in app.error)
    assert_shown_as_text(app, "unreadable upload")


@pytest.fixture
def hostile_errors() -> Iterator[str]:
    """An API that refuses every request with a hostile message; yields its base URL."""

    async def refuse(request: Request) -> JSONResponse:
        body = {"success": False, "error": "Unauthorized", "message": hostile("error")}
        return JSONResponse(body, status_code=401)

    sock = bind_socket("127.0.0.1", 0)
    server = uvicorn.Server(
        uvicorn.Config(
            Starlette(routes=[Route("/api/v1/{path:path}", refuse)]),
            lifespan="off",
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/api/v1"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def test_a_hostile_error_body_is_shown_as_text(
    live_env: Callable[[str], None],
    hostile_errors: str,
    monkeypatch: pytest.MonkeyPatch,
    app: AppTest,
) -> None:
    live_env(LIVE_KEY)
    monkeypatch.setenv("PLEASURESTOCK_BASE_URL", hostile_errors)
    app.run()
    assert any("refused the API key" in e.value for e in app.error)
    assert any(markdown_text(hostile("error")) in e.value for e in app.error)
    assert_shown_as_text(app, "Overview")
    app.switch_page("pages/settings.py").run()
    next(b for b in app.button if b.label == "Test connection").click().run()
    assert_shown_as_text(app, "Settings")


def _store_webhook(number: str, status: str) -> None:
    event = parse_event(
        json.dumps(
            {
                "event": "order.status_changed",
                "data": {"orderNumber": number, "oldStatus": "created", "newStatus": status},
            }
        ).encode()
    )
    session_factory = open_database(os.environ["STOCKDESK_DATABASE_URL"]).session_factory
    store_event(session_factory, event, sender_id=None, received_at=datetime.now(UTC))
