"""Every download of the app in Chromium, for each role that may download it: the file
arrives, opens (csv / openpyxl) and holds what the page shows.

Catalog, Reorder and Pricing are open only to roles that see costs, so their files keep
the cost columns; the staff role downloads only the sales-upload error report, which
has none.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import zip_longest
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from lib.access.policy import is_cost_column
from tests.app.test_catalog import SANDBOX_SUPPLIER_IDS
from tests.e2e.conftest import (
    PAGE_TIMEOUT_MS,
    RunningApp,
    assert_no_exception,
    metric,
    wait_for_app,
)
from tests.e2e.test_catalog import matching_count

StartApp = Callable[..., RunningApp]
Rows = list[dict[str, str]]


@contextmanager
def page_as(browser: Browser, app: RunningApp, path: str, role: str) -> Iterator[Page]:
    """A fresh browser session on ``path`` as the demo ``role`` (``?role=`` link)."""
    context = browser.new_context(accept_downloads=True)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(f"{app.url}/{path}?role={role}")
        wait_for_app(page)
        assert_no_exception(page)
        yield page
    finally:
        context.close()


def download(page: Page, button: str, folder: Path) -> Path:
    """Click the download button named ``button`` and save the file that arrives."""
    with page.expect_download() as arriving:
        page.get_by_role("button", name=button).click()
    file = arriving.value
    assert file.failure() is None, file.failure()
    saved = folder / file.suggested_filename
    file.save_as(saved)
    return saved


def csv_rows(path: Path) -> Rows:
    """The rows of a UTF-8 (with BOM) CSV file, by heading."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def xlsx_rows(path: Path) -> Rows:
    """The rows of the first sheet of an .xlsx file, by heading, as text ('' for empty)."""
    sheet = load_workbook(path, read_only=True).worksheets[0]
    heading, *rows = list(sheet.iter_rows(values_only=True))
    # A read-only sheet leaves out a row's trailing empty cells.
    return [
        {str(h): "" if v is None else str(v) for h, v in zip_longest(heading, row)} for row in rows
    ]


def test_catalog_exports_csv_and_excel_for_every_role_that_opens_it(
    start_app: StartApp, browser: Browser, tmp_path: Path
) -> None:
    app = start_app()
    for role in ("purchasing", "finance", "admin"):
        with page_as(browser, app, "catalog", role) as page:
            shown = matching_count(page)
            folder = tmp_path / role
            folder.mkdir()
            from_csv = csv_rows(download(page, "Export CSV", folder))
            excel = download(page, "Export Excel", folder)
            assert excel.suffix == ".xlsx"
            from_xlsx = xlsx_rows(excel)
            assert_no_exception(page)
        assert len(from_csv) == len(from_xlsx) == shown, role
        assert list(from_csv[0]) == list(from_xlsx[0]), role
        assert {"TCC", "Margin", "TCC (TRY)"} <= set(from_xlsx[0]), role
        by_ps_id = {row["ps id"]: row for row in from_csv}
        assert {row["ps id"] for row in from_xlsx} == set(by_ps_id), role
        # Suppliers by name, with the id beside it, the same in both files.
        assert all(
            (by_ps_id[row["ps id"]]["Supplier"], by_ps_id[row["ps id"]]["Supplier id"])
            == (row["Supplier"], row["Supplier id"])
            for row in from_xlsx
        )
        assert ("Lovetoy Trading", "12") in {(r["Supplier"], r["Supplier id"]) for r in from_csv}
        assert not {row["Supplier"] for row in from_csv} & SANDBOX_SUPPLIER_IDS


def test_price_list_downloads_for_finance_and_admin(
    start_app: StartApp, browser: Browser, tmp_path: Path
) -> None:
    app = start_app()
    for role in ("finance", "admin"):
        with page_as(browser, app, "pricing", role) as page:
            if role == "finance":  # the versions (and their downloads) follow the first save
                page.get_by_role("button", name="Save as new version").click()
                wait_for_app(page)
            # The page prices every product three times over: give it time to get there.
            expect(page.get_by_role("button", name="Price list (Excel)")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            folder = tmp_path / role
            folder.mkdir()
            from_csv = csv_rows(download(page, "Price list (CSV)", folder))
            from_xlsx = xlsx_rows(download(page, "Price list (Excel)", folder))
            assert_no_exception(page)
        assert len(from_csv) == len(from_xlsx) == 2650, role
        assert {"TCC", "New TSP", "Rule"} <= set(from_xlsx[0]), role
        assert {row["ps id"] for row in from_csv} == {row["ps id"] for row in from_xlsx}
        assert not {row["Supplier"] for row in from_xlsx} & SANDBOX_SUPPLIER_IDS


def test_reorder_proposal_downloads_for_purchasing_and_admin(
    start_app: StartApp, browser: Browser, tmp_path: Path
) -> None:
    app = start_app()
    for role in ("purchasing", "admin"):
        with page_as(browser, app, "reorder", role) as page:
            folder = tmp_path / role
            folder.mkdir()
            from_csv = csv_rows(download(page, "Proposal (CSV)", folder))
            from_xlsx = xlsx_rows(download(page, "Proposal (Excel)", folder))
            assert_no_exception(page)
        assert from_csv, role
        assert len(from_csv) == len(from_xlsx), role
        assert any(is_cost_column(heading) for heading in from_xlsx[0]), role
        assert {row["SKU"] for row in from_csv} == {row["SKU"] for row in from_xlsx}
        assert not {row["Supplier"] for row in from_csv} & SANDBOX_SUPPLIER_IDS


def test_sales_error_report_downloads_for_staff_and_admin(
    start_app: StartApp, browser: Browser, tmp_path: Path
) -> None:
    app = start_app()
    with page_as(browser, app, "", "admin") as page:  # the Overview fetches the catalog
        expect(metric(page, "Products in snapshot")).to_contain_text(re.compile(r"\d,\d{3}"))
    upload = tmp_path / "sales.csv"
    upload.write_text("sku,date,quantity\nNO-SUCH-SKU,2025-03-01,2\nNO-SUCH-SKU,2025-03-02,-1\n")
    for role in ("staff", "admin"):
        with page_as(browser, app, "sales-upload", role) as page:
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)
            wait_for_app(page)
            folder = tmp_path / role
            folder.mkdir()
            report = csv_rows(download(page, "Download the error report (CSV)", folder))
            assert_no_exception(page)
        assert list(report[0]) == ["line", "column", "value", "reason"], role
        assert {row["line"] for row in report} >= {"2", "3"}, role
