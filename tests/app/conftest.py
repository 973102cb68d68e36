"""AppTest fixtures: the real app.py in demo or live mode, each test on its own database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread
from lib.sandbox.embedded import running_demo_sandbox
from tests.support.jobs import jobs_run_at_once

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LIVE_KEY = "pk_live_AppTestKey9f8e7d6c5b4a"


@pytest.fixture(autouse=True)
def jobs_run_in_the_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No worker threads in the test process: a job the page starts runs at once, inside
    the script run that starts it (huey's immediate mode)."""
    monkeypatch.setenv("STOCKDESK_EMBEDDED_WORKER", "false")
    with jobs_run_at_once():
        yield


@pytest.fixture(autouse=True)
def demo_rate_limits_unspent() -> None:
    """The demo sandbox is one per process, shared by every AppTest in it: each test starts
    with the documented limits unspent, as a freshly started app would, not with what the
    tests before it spent (which met 429s on whichever test came after a busy one)."""
    sandbox = running_demo_sandbox()
    if sandbox is not None and sandbox.app.state.limiter is not None:
        sandbox.app.state.limiter.forget()


@pytest.fixture
def demo_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Demo mode (a blank key beats any local secrets file) on a fresh SQLite database."""
    monkeypatch.setenv("PLEASURESTOCK_API_KEY", "")
    monkeypatch.setenv("STOCKDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'stockdesk.db'}")


@pytest.fixture
def live_sandbox() -> Iterator[RunningSandbox]:
    """A sandbox standing in for the live API, with its own key."""
    with start_in_thread(SandboxConfig(api_key=LIVE_KEY, rate_limits_enabled=False)) as running:
        yield running


@pytest.fixture
def live_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, live_sandbox: RunningSandbox
) -> Callable[[str], None]:
    """Live mode against ``live_sandbox``; call it with the API key to configure.

    Without ``[auth]`` live mode serves no page unless anonymous use is allowed, as here.
    """

    def configure(key: str = LIVE_KEY) -> None:
        monkeypatch.setenv("STOCKDESK_ALLOW_ANONYMOUS", "true")
        monkeypatch.setenv("PLEASURESTOCK_API_KEY", key)
        monkeypatch.setenv("PLEASURESTOCK_BASE_URL", live_sandbox.base_url)
        monkeypatch.setenv("STOCKDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'stockdesk.db'}")

    return configure


@pytest.fixture
def app() -> AppTest:
    """The app's entrypoint; the generous timeout covers a cold start on 2 cores."""
    return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=90)


def page_text(at: AppTest) -> str:
    """Every value the page rendered as text (markdown, metrics, alerts, tables) joined."""
    parts: list[str] = []
    for kind in (
        "markdown",
        "caption",
        "title",
        "subheader",
        "error",
        "warning",
        "info",
        "success",
    ):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [e.value.to_csv() for e in at.dataframe]
    return "\n".join(parts)


def audit_log(at: AppTest) -> pd.DataFrame:
    """Settings' audit log table, found by its columns wherever the page puts it."""
    return next(d.value for d in at.dataframe if {"Who", "What"} <= set(d.value.columns))
