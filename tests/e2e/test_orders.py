"""The Orders page and the webhook route in the real app (``streamlit run``), demo mode."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from lib.db import UnitOfWork, WebhookEventRecord, open_database
from lib.orders.webhooks import WEBHOOK_PATH
from lib.sandbox.webhooks import signature
from tests.e2e.conftest import RunningApp, assert_no_exception, choose_option, wait_for_app

StartApp = Callable[..., RunningApp]


def stored_events(tmp_path: Path) -> list[WebhookEventRecord]:
    """The webhook events in the app's database (``start_app`` puts it in tmp_path)."""
    database = open_database(f"sqlite:///{tmp_path / 'stockdesk.db'}")
    with UnitOfWork(database.session_factory) as uow:
        return uow.webhooks.recent()


def badge(page: Page, label: str) -> object:
    """The coloured badge with exactly this label."""
    return page.locator("[data-testid='stMarkdownContainer'] span").filter(
        has_text=re.compile(rf"^{re.escape(label)}$")
    )


def test_moving_an_order_from_created_to_paid_asks_then_changes_its_badge(
    start_app: StartApp, page: Page, tmp_path: Path
) -> None:
    app = start_app()
    page.goto(f"{app.url}/orders")
    wait_for_app(page)
    assert_no_exception(page)

    box = page.get_by_test_id("stMain").get_by_test_id("stSelectbox")
    number = choose_option(page, box, "· Created").split(" · ")[0]
    wait_for_app(page)
    expect(badge(page, "Created").first).to_be_visible()

    page.get_by_role("button", name="Mark as Paid").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Move {number} (")
    expect(dialog).to_contain_text("records the full payment")
    dialog.get_by_role("button", name="Yes, mark as Paid").click()
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_text(f"Moved {number} from Created to Paid.")).to_be_visible()
    expect(badge(page, "Paid").first).to_be_visible()
    expect(badge(page, "Created")).to_have_count(0)

    # The embedded sandbox sends its signed webhook to this server's own route.
    deadline = time.monotonic() + 20
    while not any(e.order_number == number for e in stored_events(tmp_path)):
        assert time.monotonic() < deadline, f"no webhook stored; log:\n{app.log_tail()}"
        time.sleep(0.2)
    (event,) = [e for e in stored_events(tmp_path) if e.order_number == number]
    assert event.payload["data"]["newStatus"] == "paid"


def test_webhook_route_answers_beside_the_ui(start_app: StartApp, tmp_path: Path) -> None:
    secret = "whsec_e2e_route_7c2a"
    app = start_app(env={"PLEASURESTOCK_WEBHOOK_SECRET": secret})
    url = app.url + WEBHOOK_PATH
    body = json.dumps(
        {"event": "order.created", "data": {"orderNumber": "ORD-E2E-1", "status": "created"}}
    ).encode()

    def post(content: bytes, key: str = secret, webhook_id: str = "evt_e2e") -> httpx.Response:
        stamp = str(int(time.time()))
        headers = {
            "X-Webhook-Id": webhook_id,
            "X-Webhook-Timestamp": stamp,
            "X-Webhook-Signature": signature(key, stamp, content),
        }
        return httpx.post(url, content=content, headers=headers)

    # Streamlit would answer these with its HTML page and 200.
    assert httpx.get(url).status_code == 405
    assert post(body, key="whsec_wrong").status_code == 401
    assert post(b"{oops", webhook_id="evt_bad").status_code == 400
    first, again = post(body), post(body)
    assert (first.status_code, first.json()) == (200, {"status": "stored"})
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    assert [e.order_number for e in stored_events(tmp_path)] == ["ORD-E2E-1"]
    assert secret not in app.log_text()
