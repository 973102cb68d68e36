"""The Catalog page in Chromium: filter by a category, export the view as CSV."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp, assert_no_exception, wait_for_app

StartApp = Callable[..., RunningApp]
MATCHING = re.compile(r"([\d,]+) of ([\d,]+) products match the filters")


def matching_count(page: Page) -> int:
    """The number of products the page says match, read from its caption."""
    caption = page.get_by_text(MATCHING)
    expect(caption).to_be_visible()
    found = MATCHING.search(caption.inner_text())
    assert found is not None
    return int(found.group(1).replace(",", ""))


def test_filter_by_category_then_export_csv_of_that_category(
    start_app: StartApp, page: Page, tmp_path: Path
) -> None:
    app = start_app()
    page.goto(f"{app.url}/catalog")
    wait_for_app(page)  # the first visit fetches the sandbox catalog
    assert_no_exception(page)
    total = matching_count(page)
    assert total > 0

    category = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    category.click()
    page.keyboard.type("Lubricants")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_for_app(page)
    assert_no_exception(page)
    expect(page).to_have_url(re.compile(r"[?&]category=Lubricants"))
    shown = matching_count(page)
    assert 0 < shown < total

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("catalog-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with saved.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == shown
    assert {row["Category"] for row in rows} == {"Lubricants"}
