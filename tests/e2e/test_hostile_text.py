"""Hostile upstream text in the real browser: no link, image or icon made of it reaches the DOM.

The app runs live (anonymous use allowed) against a sandbox in this process whose product,
supplier and order fields are hostile (``tests.support.hostile``); a hostile webhook
event is stored in the app's database. Streamlit's own Markdown pipeline renders them,
so this checks what the AppTest sweep can only approximate.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.db import open_database
from lib.orders.webhooks import parse_event, store_event
from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread
from tests.e2e.conftest import RunningApp, assert_no_exception, choose_option, wait_for_app
from tests.support.hostile import MARK, hostile, make_hostile

StartApp = Callable[..., RunningApp]
KEY = "pk_live_HostileE2E0123456789"
# The material icon and the Streamlit logo the hostile values ask for.
ICON = "[role='img'][aria-label='skull icon'], img[alt='Streamlit logo']"


@pytest.fixture
def hostile_sandbox() -> Iterator[tuple[RunningSandbox, dict[str, str]]]:
    with start_in_thread(SandboxConfig(api_key=KEY, rate_limits_enabled=False)) as sandbox:
        yield sandbox, make_hostile(sandbox.store)


def assert_nothing_rendered_from_upstream(page: Page) -> None:
    assert_no_exception(page)
    assert page.locator(f"a[href*='{MARK}']").count() == 0
    assert page.locator(f"img[src*='{MARK}']").count() == 0
    assert page.locator(ICON).count() == 0
    assert page.locator("[data-testid='stMain'] strong", has_text="bold").count() == 0


def test_hostile_orders_catalog_and_webhook_text_render_as_text(
    start_app: StartApp,
    page: Page,
    tmp_path: Path,
    hostile_sandbox: tuple[RunningSandbox, dict[str, str]],
) -> None:
    sandbox, names = hostile_sandbox
    app = start_app(
        env={
            "PLEASURESTOCK_API_KEY": KEY,
            "PLEASURESTOCK_BASE_URL": sandbox.base_url,
            "STOCKDESK_ALLOW_ANONYMOUS": "true",
        }
    )
    page.goto(app.url)  # Overview syncs the catalog
    wait_for_app(page)
    assert_nothing_rendered_from_upstream(page)

    page.goto(f"{app.url}/orders")
    wait_for_app(page)
    _store_webhook(tmp_path)
    choose_option(
        page, page.get_by_test_id("stMain").get_by_test_id("stSelectbox"), "order [Re-enter"
    )
    wait_for_app(page)
    # The hostile ids are on the page, as typed: the supplier metric, the ids caption, the
    # cancel checkbox and (within 5 s) the webhook notice.
    main = page.get_by_test_id("stMain")
    expect(
        main.get_by_test_id("stMetricValue").filter(has_text="supplier [Re-enter")
    ).to_be_visible()
    expect(main.get_by_text("Delivery ID delivery [Re-enter your key here](https:")).to_be_visible()
    expect(page.get_by_text("since the list was loaded")).to_be_visible(timeout=15_000)
    expect(main.get_by_text("status [Re-enter your key here]").first).to_be_visible()
    page.get_by_text("Cancel this order").click()
    expect(
        page.get_by_test_id("stCheckbox").filter(has_text="Yes, cancel order [Re-enter")
    ).to_be_visible()
    assert_nothing_rendered_from_upstream(page)

    page.goto(f"{app.url}/catalog?search=Re-enter")
    wait_for_app(page)
    page.get_by_test_id("stDataFrame").first.click(position={"x": 20, "y": 52})
    wait_for_app(page)
    expect(page.get_by_role("heading", name=names["product"][:30])).to_be_visible()
    assert_nothing_rendered_from_upstream(page)


def _store_webhook(tmp_path: Path) -> None:
    body = {
        "event": "order.status_changed",
        "data": {"orderNumber": hostile("webhook"), "newStatus": hostile("status")},
    }
    session_factory = open_database(f"sqlite:///{tmp_path / 'stockdesk.db'}").session_factory
    store_event(
        session_factory,
        parse_event(json.dumps(body).encode()),
        sender_id=None,
        received_at=datetime.now(UTC),
    )
