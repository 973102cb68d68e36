"""Every page of the real app in demo mode, in Chromium: no exception, the app's own frame."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lib.ui.shell import PAGES
from tests.e2e.conftest import RunningApp, assert_no_exception, metric, wait_for_app

StartApp = Callable[..., RunningApp]


def _assert_page_in_app_frame(page: Page, title: str) -> None:
    """The page's heading, the demo label and our navigation (with our page titles)."""
    assert_no_exception(page)
    expect(page.get_by_role("heading", name=title, exact=True).first).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Demo data — sandbox")).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    for spec in PAGES:
        expect(nav.get_by_text(spec.title, exact=True)).to_be_visible()


def test_every_page_opens_without_an_exception(start_app: StartApp, page: Page) -> None:
    app = start_app()
    for spec in PAGES:
        page.goto(f"{app.url}/{spec.url_path}")
        wait_for_app(page)
        _assert_page_in_app_frame(page, spec.title)


@pytest.mark.parametrize("spec", PAGES, ids=[s.url_path or "overview" for s in PAGES])
def test_page_url_as_the_first_request_to_a_fresh_server(
    start_app: StartApp, page: Page, spec: object
) -> None:
    # Streamlit 1.67 runs a page file without app.py on a fresh server's first request
    # while pages/ exists; the shared page guard must put the app's own frame back.
    app = start_app()
    page.goto(f"{app.url}/{spec.url_path}")  # type: ignore[attr-defined]
    wait_for_app(page)
    _assert_page_in_app_frame(page, spec.title)  # type: ignore[attr-defined]
    assert re.search(rf"/{spec.url_path}$", page.url)  # type: ignore[attr-defined]


def test_overview_shows_connection_catalog_orders_and_rates(
    start_app: StartApp, page: Page
) -> None:
    app = start_app()
    page.goto(app.url)
    wait_for_app(page)
    assert_no_exception(page)
    expect(metric(page, "PleasureStock API")).to_contain_text("Reachable")
    expect(metric(page, "Products in snapshot")).to_contain_text(re.compile(r"\d,\d{3}"))
    expect(page.get_by_text("Orders by status")).to_be_visible()
    expect(page.get_by_text("Today's TRY rates")).to_be_visible()
    for currency in ("EUR", "USD", "GBP"):
        expect(metric(page, f"1 {currency} in TRY")).to_contain_text("₺")


def test_healthz_route_beside_the_ui(start_app: StartApp, page: Page) -> None:
    app = start_app()
    response = page.request.get(f"{app.url}/healthz")
    assert response.status == 200
    assert response.json() == {"status": "ok", "mode": "demo", "database": "ok"}


def test_first_click_on_a_page_opened_first_on_a_fresh_server_is_not_lost(
    start_app: StartApp, page: Page
) -> None:
    app = start_app()
    page.goto(f"{app.url}/settings")
    wait_for_app(page)
    page.get_by_role("button", name="Test connection").click()
    wait_for_app(page)
    assert_no_exception(page)
    expect(
        page.get_by_text(re.compile(r"Connected to http://127\.0\.0\.1:\d+/api/v1 in"))
    ).to_be_visible()
