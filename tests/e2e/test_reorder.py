"""The Reorder page in the real app (``streamlit run``), demo mode: create orders.

Editing a quantity happens inside the grid's canvas, which clicks and key presses did
not reach reliably; tests/app/test_reorder_page.py covers editing through the editor's
session state. This test covers the browser-only parts: the dialog opening, being
cancelled, reopening and sending.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import RunningApp, assert_no_exception, wait_for_app

StartApp = Callable[..., RunningApp]


def _dialog_summary(page: Page) -> tuple[int, int]:
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    match = re.search(r"(\d+) lines for \d+ suppliers, (\d+) units", dialog.inner_text())
    assert match, dialog.inner_text()
    return int(match[1]), int(match[2])


def test_create_orders_from_the_proposal(start_app: StartApp, page: Page, tmp_path: Path) -> None:
    app = start_app()
    page.goto(f"{app.url}/reorder")
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_text("sandbox history", exact=False).first).to_be_visible()

    page.get_by_role("button", name="Create orders").click()
    summary = _dialog_summary(page)
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    wait_for_app(page)
    expect(page.get_by_role("dialog")).to_have_count(0)

    page.get_by_role("button", name="Create orders").click()
    assert _dialog_summary(page) == summary
    page.get_by_role("dialog").get_by_role("button", name="Send orders").click()
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_text(re.compile(r"Created \d+ orders under SD-"))).to_be_visible()

    engine = create_engine(f"sqlite:///{tmp_path / 'stockdesk.db'}")
    with engine.connect() as connection:
        requested = json.loads(
            connection.execute(
                text("SELECT after FROM audit_log WHERE action = 'reorder.orders_requested'")
            ).scalar_one()
        )
    assert (len(requested), sum(line["quantity"] for line in requested)) == summary
