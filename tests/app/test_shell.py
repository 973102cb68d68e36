"""The app frame, Overview and Settings, run with Streamlit's AppTest."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from lib.jobs.runs import current_runtime
from lib.pleasurestock import PleasureStockClient
from lib.pleasurestock.models import ORDER_STATUSES
from lib.ui import markdown_text
from lib.ui.resources import app_context
from lib.ui.shell import PAGES
from tests.app.conftest import LIVE_KEY, audit_log, page_text


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_demo_overview_syncs_the_catalog_and_shows_the_state(demo_env: None, app: AppTest) -> None:
    app.run()
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["PleasureStock API"] == "Reachable"
    assert metrics["Products in snapshot"] == "2,650"
    assert metrics["Last sync"] != "never"
    assert {"1 EUR in TRY", "1 USD in TRY", "1 GBP in TRY"} <= set(metrics)
    assert "Demo data — sandbox" in "".join(m.value for m in app.sidebar.markdown)
    orders = app.dataframe[0].value
    assert list(orders["Status"])[:7] == list(ORDER_STATUSES)
    assert orders["Orders"].sum() > 0


def test_jobs_share_the_pages_api_budget_but_wait_their_turn(demo_env: None, app: AppTest) -> None:
    app.run()  # the Overview's requests and its catalog sync job
    assert not app.exception
    pages, jobs = app_context().client, current_runtime().client
    assert (pages.max_wait, jobs.max_wait) == (5, None)

    def used(client: PleasureStockClient) -> int:
        usage = client.rate_limit_usage()
        return next(
            u.used for u in usage if u.rate_class == "standard" and u.window_seconds == 3600
        )

    assert used(pages) == used(jobs) > 0  # one budget, counted the same from both


def test_sync_button_records_a_new_sync_in_the_audit_log(demo_env: None, app: AppTest) -> None:
    app.run()
    sync = next(b for b in app.button if b.label == "Sync catalog now")
    sync.click().run()
    assert not app.exception
    app.switch_page("pages/settings.py").run()
    changes = audit_log(app)
    assert list(changes["What"]).count("catalog.sync") == 2


def test_every_page_renders_in_demo_mode(demo_env: None, app: AppTest) -> None:
    app.run()
    for spec in PAGES:
        app.switch_page(f"pages/{spec.file}").run()
        assert not app.exception, spec.title
        assert app.title[0].value == spec.title


def test_settings_masks_the_key_and_tests_the_connection(
    live_env: Callable[[str], None], app: AppTest
) -> None:
    live_env(LIVE_KEY)
    app.run()
    app.switch_page("pages/settings.py").run()
    test = next(b for b in app.button if b.label == "Test connection")
    test.click().run()

    assert not app.exception
    text = page_text(app)
    assert LIVE_KEY not in text
    assert "••••••••" + LIVE_KEY[-4:] in text
    assert "Live — PleasureStock API" in "".join(m.value for m in app.sidebar.markdown)
    assert app.success and "Connected to" in app.success[0].value
    budget = app.dataframe[1].value
    assert set(budget["Class"]) == {"standard", "external", "smart reordering"}
    assert budget[budget["Class"] == "standard"]["Used"].max() > 0


def test_wrong_key_says_what_to_do_and_never_shows_the_key(
    live_env: Callable[[str], None], app: AppTest
) -> None:
    wrong = "pk_live_WrongKey000000000000"
    live_env(wrong)
    app.run()
    assert not app.exception
    assert _metrics(app)["PleasureStock API"] == "Key refused"
    error = app.error[0]  # the orders panel below says it could not load them, too
    assert "PleasureStock refused the API key" in error.value
    assert "PLEASURESTOCK_API_KEY" in error.value and "secrets.toml" in error.value
    assert "cannot be reached" not in page_text(app)
    assert wrong not in page_text(app)


def test_an_unreachable_server_is_called_unreachable(
    monkeypatch: pytest.MonkeyPatch, live_env: Callable[[str], None], app: AppTest
) -> None:
    live_env(LIVE_KEY)
    monkeypatch.setenv("PLEASURESTOCK_BASE_URL", "http://127.0.0.1:9/api/v1")
    monkeypatch.setenv("REQUEST_TIMEOUT_SECONDS", "2")
    app.run()
    assert not app.exception
    assert _metrics(app)["PleasureStock API"] == "Unreachable"
    assert any("PleasureStock cannot be reached" in e.value for e in app.error)


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("PLEASURESTOCK_BASE_URL", "http://[::1/api/v1", "is not a valid URL"),
        ("PLEASURESTOCK_BASE_URL", "pleasurestock.com/api/v1", "must start with https://"),
        ("PLEASURESTOCK_API_KEY", "pk_live_Secret0123\nrest456789", "line break"),
        ("CATALOG_MAX_AGE_HOURS", "-1", "greater than 0"),
        ("STOCKDESK_DATABASE_URL", "not a url", "is not a database URL"),
    ],
)
def test_an_invalid_setting_shows_one_configuration_screen_on_every_page(
    live_env: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
    app: AppTest,
    variable: str,
    value: str,
    named: str,
) -> None:
    live_env(LIVE_KEY)
    monkeypatch.setenv(variable, value)
    app.run()
    for spec in PAGES:
        app.switch_page(f"pages/{spec.file}").run()
        assert not app.exception, spec.title
        assert [t.value for t in app.title] == ["StockDesk cannot start: check its configuration"]
        (error,) = app.error
        assert error.value.startswith(f"**{variable}**")
        assert markdown_text(named) in error.value
        assert "Secret0123" not in page_text(app)
