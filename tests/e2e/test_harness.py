"""The e2e harness itself, on tiny throwaway scripts so it does not depend on the real app."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp, assert_no_exception, wait_for_app

CLICK_SCRIPT = """
import streamlit as st

st.title("Harness check")
if st.button("Say hello"):
    st.write("Hello from the button")
"""

RAISING_SCRIPT = """
import streamlit as st

st.title("Broken on purpose")
raise RuntimeError("boom from the harness test")
"""


def _script(tmp_path: Path, name: str, source: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


def test_click_shows_text(start_app, page: Page, tmp_path: Path) -> None:
    app: RunningApp = start_app(script=_script(tmp_path, "click.py", CLICK_SCRIPT))

    page.goto(app.url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Harness check")).to_be_visible()
    expect(page.get_by_text("Hello from the button")).to_have_count(0)

    page.get_by_role("button", name="Say hello").click()
    wait_for_app(page)

    expect(page.get_by_text("Hello from the button")).to_be_visible()
    assert_no_exception(page)
    assert "Traceback" not in app.log_text()


def test_assert_no_exception_reports_the_error(start_app, page: Page, tmp_path: Path) -> None:
    app: RunningApp = start_app(script=_script(tmp_path, "raising.py", RAISING_SCRIPT))

    page.goto(app.url)
    wait_for_app(page)

    with pytest.raises(AssertionError, match="boom from the harness test"):
        assert_no_exception(page)


def test_each_call_starts_a_fresh_server(start_app, tmp_path: Path) -> None:
    script = _script(tmp_path, "click.py", CLICK_SCRIPT)

    first, second = start_app(script=script), start_app(script=script)

    assert first.url != second.url
    assert first.process.pid != second.process.pid
    assert first.process.poll() is None and second.process.poll() is None


def test_start_up_failure_fails_with_the_log(start_app, tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="does not exist"):
        start_app(script=tmp_path / "missing.py")
