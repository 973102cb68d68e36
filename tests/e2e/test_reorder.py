"""The Reorder page in the real app (``streamlit run``), demo mode: create orders, export.

Editing a quantity happens inside the grid's canvas, which clicks and key presses did
not reach reliably; tests/app/test_reorder_page.py covers editing through the editor's
session state. These tests cover the browser-only parts: the dialog opening, being
cancelled, reopening and sending, and the downloaded proposal files.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import RunningApp, assert_no_exception, wait_for_app

StartApp = Callable[..., RunningApp]


def _dialog_summary(page: Page) -> tuple[int, int]:
    dialog = page.get_by_role("dialog")
    summary = re.compile(r"(\d+) lines for \d+ suppliers, (\d+) units")
    expect(dialog).to_contain_text(summary)  # the frame may show before its content
    match = summary.search(dialog.inner_text())
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
    expect(
        page.get_by_text(re.compile(r"Placed \S+ for supplier .+ under SD-")).first
    ).to_be_visible()

    engine = create_engine(f"sqlite:///{tmp_path / 'stockdesk.db'}")
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT lines, state FROM order_requests")).all()
    lines = [line for row in stored for line in json.loads(row.lines)]
    assert (len(lines), sum(line["quantity"] for line in lines)) == summary
    assert {row.state for row in stored} == {"placed"}


def _download(page: Page, button: str, folder: Path) -> Path:
    with page.expect_download() as download_info:
        page.get_by_role("button", name=button).click()
    download = download_info.value
    saved = folder / download.suggested_filename
    download.save_as(saved)
    return saved


def test_the_proposal_downloads_with_money_as_exact_decimals(
    start_app: StartApp, page: Page, tmp_path: Path
) -> None:
    app = start_app()
    page.goto(f"{app.url}/reorder")
    wait_for_app(page)
    assert_no_exception(page)

    with _download(page, "Proposal (CSV)", tmp_path).open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    costs = [row["Line cost TRY"] for row in rows if row["Line cost TRY"]]
    assert costs and all(re.fullmatch(r"-?\d+\.\d{2}", cost) for cost in costs), costs[:5]

    sheet = load_workbook(_download(page, "Proposal (Excel)", tmp_path)).active
    header, *cells = list(sheet.values)
    column = header.index("Line cost TRY")
    assert len(cells) == len(rows)
    assert [Decimal(str(c[column])) for c in cells if c[column] is not None] == [
        Decimal(cost) for cost in costs
    ]
