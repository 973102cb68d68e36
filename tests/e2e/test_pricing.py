"""Pricing formulas in Chromium: type a formula, see the preview change, save a version."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp, assert_no_exception, wait_for_app


def test_type_a_formula_see_the_preview_and_save_a_version(
    start_app: Callable[..., RunningApp], page: Page
) -> None:
    app = start_app()
    page.goto(f"{app.url}/pricing")
    wait_for_app(page)
    assert_no_exception(page)
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Priced (of 2,650)")).to_contain_text(re.compile(r"\d,\d{3}"))

    box = page.get_by_role("textbox", name="Company default formula")
    box.fill("TCCC * 2")
    box.press("Enter")
    wait_for_app(page)
    # The message is Markdown: the names in backticks show as code.
    expect(
        page.get_by_text(re.compile(r"unknown name TCCC at column 1; did you mean TCC\?"))
    ).to_be_visible()

    box.fill("TCC * 3 + 10")
    box.press("Enter")
    wait_for_app(page)
    assert_no_exception(page)
    expect(metrics.filter(has_text="Median change")).to_contain_text(re.compile(r"\+\d+\.\d%"))

    comment = page.get_by_role("textbox", name="Comment")
    comment.fill("Browser test")
    comment.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Save as new version").click()
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_text("Saved version 1; it is now the active one.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"differs from the active version 1"))).to_be_visible()
