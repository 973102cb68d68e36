"""Browser-test harness: the real app in a subprocess, driven by Playwright in Debian's Chromium.

Fixtures
    browser      session: headless Chromium (``/usr/bin/chromium``, or ``$STOCKDESK_CHROMIUM``)
    page         function: a page in a fresh browser context, default timeout 30 s
    start_app    function: factory ``start_app(script=None, env=None, *, port=None, args=())
                 -> RunningApp``; each call starts a fresh ``streamlit run`` on a free loopback
                 port (or ``port``, e.g. one from ``free_port()`` that a secrets file already
                 names) in demo mode (no ``PLEASURESTOCK_API_KEY``), scheduled jobs off, with
                 ``STOCKDESK_DATABASE_URL`` pointing at ``<tmp_path>/stockdesk.db`` (shared by
                 every server of one test, so a restart test sees the same data); ``args`` are
                 extra ``streamlit run`` options, e.g. ``["--secrets.files", path]``; stopped
                 at teardown

Helpers (``from tests.e2e.conftest import wait_for_app, assert_no_exception``)
    free_port()                a free loopback port, for a server whose URL must be known first
    wait_for_app(page)         after ``page.goto`` or an action that reruns the script
    assert_no_exception(page)  fails with the text of any ``st.exception`` box on the page
    choose_option(page, box, typed)  opens a selectbox, types, picks the first option left
    metric(page, label)        the st.metric whose label is exactly ``label``

Without Chromium every test here is skipped, except with ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from lib.ui.catalog_sync import PROGRESS_KEY as CATALOG_SYNC_PROGRESS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]
PAGE_TIMEOUT_MS = 30_000
# A script run can take longer: a fresh server's first page fetches the whole catalog,
# on 2 cores shared with another browser test.
RUN_TIMEOUT_MS = 60_000
APP_START_TIMEOUT_S = 60.0
LOG_TAIL_LINES = 80
E2E_TEST_TIMEOUT_S = 180  # per test, unless the test sets its own pytest.mark.timeout

E2E_DIR = Path(__file__).resolve().parent


def chromium_path() -> Path:
    """Return the Chromium binary to drive; ``$STOCKDESK_CHROMIUM`` overrides the Debian one."""
    return Path(os.environ.get("STOCKDESK_CHROMIUM") or DEFAULT_CHROMIUM)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e as ``e2e`` and give it a generous hang guard."""
    for item in items:
        if not item.path.is_relative_to(E2E_DIR):
            continue
        item.add_marker(pytest.mark.e2e)
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(E2E_TEST_TIMEOUT_S))


@pytest.fixture(scope="session", autouse=True)
def chromium_executable() -> Path:
    """Skip the e2e tests when Chromium is missing; with ``CI=true`` fail them instead."""
    path = chromium_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        reason = (
            f"Chromium not found at {path}; "
            "install Debian's chromium package (apt-get install chromium)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable: Path) -> Iterator[Browser]:
    """A headless Chromium shared by the whole session."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_executable), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies or storage from other tests)."""
    context = browser.new_context()
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@dataclass
class RunningApp:
    """A ``streamlit run`` subprocess started by ``start_app``."""

    url: str
    port: int
    log_path: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        """Return everything the server has written to stdout and stderr so far."""
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """Return the last ``lines`` lines of the server's log."""
        return "\n".join(self.log_text().splitlines()[-lines:])


def free_port() -> int:
    """Return a loopback port that is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def start_app(tmp_path: Path) -> Iterator[Callable[..., RunningApp]]:
    """Factory: ``start_app(script=None, env=None)`` starts a fresh server and waits for health.

    ``script`` defaults to ``app.py`` at the project root; ``env`` adds or overrides variables;
    keyword-only ``port`` picks the port (default: a free one) and ``args`` adds CLI options.
    On start-up failure or after 60 s the test fails with the last 80 lines of the server log.
    """
    started: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []

    def start(
        script: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        *,
        port: int | None = None,
        args: Sequence[str] = (),
    ) -> RunningApp:
        script_path = Path(script) if script is not None else PROJECT_ROOT / "app.py"
        port = port or free_port()
        url = f"http://127.0.0.1:{port}"
        app_env = {k: v for k, v in os.environ.items() if k != "PLEASURESTOCK_API_KEY"}
        app_env["STOCKDESK_DATABASE_URL"] = f"sqlite:///{tmp_path / 'stockdesk.db'}"
        # The tests' clock as it reads now, so the app's clock and this process's agree (a
        # token the identity provider signs here is not from the app's future).
        app_env["STOCKDESK_TEST_NOW"] = datetime.now(UTC).isoformat()
        # On the tests' clock every daily job is due at start (a forecast, four source
        # syncs): they would compete with the page for the process. Pages start what
        # they need; a test that wants schedules passes the setting in ``env``.
        app_env["STOCKDESK_SCHEDULED_JOBS"] = "false"
        app_env.update(env or {})
        log_path = tmp_path / f"streamlit-{len(started) + 1}-{port}.log"
        log_file = log_path.open("wb")
        # Under the tests' clock, so the app and its embedded sandbox see the test's day.
        command = [sys.executable, "-m", "tests.support.frozen_run", "streamlit", "run"]
        command += [str(script_path)]
        command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
        command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
        command += list(args)
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=app_env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log_file))
        app = RunningApp(url=url, port=port, log_path=log_path, process=process)

        deadline = time.monotonic() + APP_START_TIMEOUT_S
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(
                    f"{script_path} exited with code {process.returncode} during start-up; "
                    f"last {LOG_TAIL_LINES} lines of {log_path}:\n{app.log_tail()}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                _stop(process)
                pytest.fail(
                    f"{script_path} did not answer {url}/_stcore/health within "
                    f"{APP_START_TIMEOUT_S:.0f} s; last {LOG_TAIL_LINES} lines of "
                    f"{log_path}:\n{app.log_tail()}",
                    pytrace=False,
                )
            time.sleep(0.1)
        return app

    yield start

    for process, log_file in started:
        _stop(process)
        log_file.close()


# The script counts as finished once the app is connected, reports notRunning and shows no
# running indicator, continuously for `settle_ms` measured from the call. That covers the
# moment right after a click or a page switch, when the attribute still says notRunning from
# the previous run: the rerun request reaches the loopback server and flips the state well
# within the settle time. A run that starts and ends between two polls is over, which is fine.
_SETTLED_JS = """
([token, settleMs, waitSelector]) => {
    const app = document.querySelector("[data-testid='stApp']");
    const idle = app !== null
        && app.getAttribute("data-test-connection-state") === "CONNECTED"
        && app.getAttribute("data-test-script-state") === "notRunning"
        && document.querySelector("[data-testid='stStatusWidgetRunningIcon']") === null
        && (waitSelector === null || document.querySelector(waitSelector) === null);
    const now = performance.now();
    const key = "__stockdeskIdleSince_" + token;
    if (!idle) {
        window[key] = undefined;
        return false;
    }
    if (window[key] === undefined) window[key] = now;
    return now - window[key] >= settleMs;
}
"""
_wait_tokens = iter(range(1, 1 << 62))


def wait_for_app(
    page: Page,
    *,
    settle_ms: int = 300,
    timeout_ms: int = RUN_TIMEOUT_MS,
    catalog_sync: bool = True,
) -> None:
    """Wait until the script has finished running and stayed idle for ``settle_ms`` ms,
    and (``catalog_sync``) until no catalog sync the page follows is still running: a
    page with no catalog yet shows its progress while the job fetches it.

    Call it after ``page.goto(app.url)`` and after every action that reruns the script.
    """
    following = f".st-key-{CATALOG_SYNC_PROGRESS}" if catalog_sync else None
    try:
        page.wait_for_function(
            _SETTLED_JS,
            arg=[next(_wait_tokens), settle_ms, following],
            polling=50,
            timeout=timeout_ms,
        )
    except PlaywrightTimeoutError as error:
        raise AssertionError(f"the app never settled: {_app_state(page, following)}") from error


def _app_state(page: Page, following: str | None) -> str:
    """What kept ``wait_for_app`` waiting: the app's states and the start of its text."""
    return page.evaluate(
        """(following) => {
            const app = document.querySelector("[data-testid='stApp']");
            const text = (document.body.innerText || "").slice(0, 600);
            return JSON.stringify({
                connection: app && app.getAttribute("data-test-connection-state"),
                script: app && app.getAttribute("data-test-script-state"),
                running_icon: !!document.querySelector("[data-testid='stStatusWidgetRunningIcon']"),
                following: following !== null && !!document.querySelector(following),
                text,
            });
        }""",
        following,
    )


def assert_no_exception(page: Page) -> None:
    """Fail with the text of every exception box the app shows (call after ``wait_for_app``)."""
    boxes = page.get_by_test_id("stException")
    count = boxes.count()
    if count:
        texts = "\n---\n".join(box.inner_text() for box in boxes.all())
        raise AssertionError(f"the app shows {count} exception(s):\n{texts}")


CHOOSE_ATTEMPTS = 3
OPTION_TIMEOUT_MS = 5_000


def choose_option(page: Page, box: Locator, typed: str) -> str:
    """Open the selectbox ``box``, type ``typed`` to narrow its list and pick the first
    option left with Enter; return that option's text. A rerun the app starts on its own
    (a job finishing, a fragment) can close the list before the pick: it is opened again,
    up to ``CHOOSE_ATTEMPTS`` times, rather than waiting out the page timeout."""
    option = page.get_by_role("option").first
    for _ in range(CHOOSE_ATTEMPTS):
        wait_for_app(page)
        box.click()
        page.keyboard.type(typed)
        try:
            text = option.inner_text(timeout=OPTION_TIMEOUT_MS)
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            continue
        # Enter picks the focused option even if a rerun redraws the list under the pointer.
        page.keyboard.press("Enter")
        return text
    raise AssertionError(f"no option for {typed!r} stayed open in {CHOOSE_ATTEMPTS} attempts")


def metric(page: Page, label: str) -> Locator:
    """The metric labelled exactly ``label`` (a card's "Price2B products in snapshot" is not
    the catalog's "Products in snapshot")."""
    labelled = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=labelled)
