"""Roles in the running app: what each role can open and do, signed in or in the demo."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from lib.access.policy import Role, can_open
from lib.access.roles import assign_role
from lib.db import UnitOfWork, open_database
from lib.ui import markdown_text
from lib.ui.shell import PAGES, PageSpec
from tests.app.conftest import LIVE_KEY, audit_log, page_text
from tests.support.hostile import as_shown

REFUSED = "not allowed for your role"
# Streamlit only checks that [auth] exists until someone presses "Sign in".
AUTH_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-cookie-secret-0123456789abcdef",
        "client_id": "stockdesk",
        "client_secret": "test-client-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}


def _sessions() -> sessionmaker[Session]:
    """The session factory of the test's database (the app's own, shared in-process)."""
    return open_database(os.environ["STOCKDESK_DATABASE_URL"]).session_factory


def _refused(at: AppTest) -> bool:
    return any(REFUSED in e.value for e in at.error)


def _signed_in(app: AppTest, **claims: object) -> AppTest:
    app.secrets.update(AUTH_SECRETS)
    app.user = {"is_logged_in": True, **claims}
    return app


@pytest.mark.parametrize("role", list(Role))
def test_each_demo_role_opens_its_pages_and_is_refused_the_others(
    demo_env: None, app: AppTest, role: Role
) -> None:
    app.query_params["role"] = role.value
    app.run()
    assert not app.exception
    for spec in PAGES:
        if spec.url_path == "" and role is Role.STAFF:
            continue  # the landing page sends staff to their own page (below)
        app.switch_page(f"pages/{spec.file}").run()
        assert not app.exception, spec.title
        assert app.title[0].value == spec.title
        assert _refused(app) != can_open(role, spec.url_path), (role, spec.title)
    assert app.selectbox(key="demo_role").value == role


def test_staff_landing_on_overview_is_sent_to_sales_upload(demo_env: None, app: AppTest) -> None:
    app.query_params["role"] = "staff"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Sales upload"
    assert not _refused(app)


def test_switching_the_demo_role_applies_at_once(demo_env: None, app: AppTest) -> None:
    app.run()
    app.switch_page("pages/settings.py").run()
    assert not _refused(app)
    app.selectbox(key="demo_role").set_value(Role.FINANCE).run()
    assert _refused(app)
    assert "Rate-limit budget" not in page_text(app)


def test_catalog_sync_is_audited_as_the_demo_role(demo_env: None, app: AppTest) -> None:
    app.query_params["role"] = "purchasing"
    app.run()
    assert not app.exception
    with UnitOfWork(_sessions()) as uow:
        (entry,) = uow.audit.recent()
    assert (entry.action, entry.actor) == ("catalog.sync", "demo:purchasing")


def test_signed_out_visitor_sees_only_the_sign_in_screen(demo_env: None, app: AppTest) -> None:
    app.secrets.update(AUTH_SECRETS)
    app.user = {"is_logged_in": False}
    app.run()
    app.switch_page("pages/settings.py").run()
    assert not app.exception
    assert app.title[0].value == "Sign in to StockDesk"
    assert [b.label for b in app.button] == ["Sign in"]
    assert "Rate-limit budget" not in page_text(app)


def test_token_role_from_groups_claim(demo_env: None, app: AppTest) -> None:
    _signed_in(
        app, email="Fatma@Example.com", email_verified=True, groups=["Everyone", "FINANCE"]
    ).run()
    assert not app.exception
    assert app.title[0].value == "Overview"
    shown = f"Signed in as **{markdown_text('fatma@example.com')}**"
    assert shown in app.sidebar.markdown[-1].value
    app.switch_page("pages/pricing.py").run()
    assert not _refused(app)
    app.switch_page("pages/settings.py").run()
    assert _refused(app)


def test_unknown_person_asks_an_administrator_then_gets_the_assigned_role(
    demo_env: None, app: AppTest
) -> None:
    _signed_in(app, email="new@example.com", email_verified=True, groups=["Everyone"]).run()
    assert not app.exception
    assert app.title[0].value == "No access yet"
    assert markdown_text("new@example.com") in app.warning[0].value
    assert "Sign out" in [b.label for b in app.button]

    assign_role(_sessions(), "new@example.com", Role.STAFF, actor="it@example.com")
    app.run()
    assert app.title[0].value == "Sales upload"


def test_listed_admin_gives_a_role_on_settings_and_is_the_audited_actor(
    demo_env: None, app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STOCKDESK_ADMIN_EMAILS", "it@example.com")
    _signed_in(app, email="IT@example.com", email_verified=True).run()
    app.switch_page("pages/settings.py").run()
    assert not _refused(app)

    app.text_input[0].input("Not an address")
    next(b for b in app.button if b.label == "Save role").click().run()
    assert "is not an email address" in app.error[0].value

    app.text_input[0].input("Ayse@Example.com")
    app.selectbox[0].set_value(Role.PURCHASING)
    next(b for b in app.button if b.label == "Save role").click().run()
    assert not app.exception
    assert "ayse@example.com now has the role Purchasing" in as_shown(app.success[0].value)
    changes = audit_log(app)
    assert (changes["Who"].iloc[0], changes["What"].iloc[0]) == ("it@example.com", "roles.assign")


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "Boss@Example.com", "email_verified": False},
        {"email": "boss@example.com"},
        {"preferred_username": "boss@example.com"},
        {"upn": "boss@example.com", "email_verified": True},
    ],
    ids=["unverified", "no-verified-claim", "login-name", "upn"],
)
def test_an_unverified_address_is_neither_a_listed_admin_nor_an_assigned_role(
    demo_env: None, app: AppTest, monkeypatch: pytest.MonkeyPatch, claims: dict[str, object]
) -> None:
    monkeypatch.setenv("STOCKDESK_ADMIN_EMAILS", "boss@example.com")
    assign_role(_sessions(), "boss@example.com", Role.FINANCE, actor="it@example.com")
    _signed_in(app, **claims).run()
    app.switch_page("pages/settings.py").run()
    assert not app.exception
    assert app.title[0].value == "No access yet"
    assert "Rate-limit budget" not in page_text(app)
    assert any("does not confirm your e-mail address" in i.value for i in app.info)


def test_a_verified_address_counts_also_by_the_claim_the_operator_names(
    demo_env: None, app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STOCKDESK_ADMIN_EMAILS", "boss@example.com")
    monkeypatch.setenv("STOCKDESK_EMAIL_VERIFIED_CLAIM", "xms_edov")
    _signed_in(app, email="Boss@Example.com", xms_edov=True).run()
    app.switch_page("pages/settings.py").run()
    assert not app.exception
    assert app.title[0].value == "Settings"
    assert not _refused(app)


@pytest.fixture
def live_without_sign_in(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An API key and no [auth]; the key is never used, as no page may run."""
    monkeypatch.setenv("PLEASURESTOCK_API_KEY", "pk_live_NoSignIn0123456789")
    monkeypatch.setenv("PLEASURESTOCK_BASE_URL", "http://127.0.0.1:9/api/v1")
    monkeypatch.setenv("STOCKDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'stockdesk.db'}")
    monkeypatch.delenv("STOCKDESK_ALLOW_ANONYMOUS", raising=False)


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.title)
def test_live_mode_without_sign_in_serves_only_the_set_up_screen(
    live_without_sign_in: None, app: AppTest, spec: PageSpec
) -> None:
    app.run()
    app.switch_page(f"pages/{spec.file}").run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Sign-in required"]
    assert "STOCKDESK_ALLOW_ANONYMOUS=true" in page_text(app)
    assert "[auth]" in app.code[0].value
    assert not app.button and not app.selectbox  # no role switcher, no page's controls


def test_anonymous_live_mode_needs_the_operators_word_and_says_so_on_every_page(
    live_env: Callable[[str], None], app: AppTest
) -> None:
    live_env(LIVE_KEY)
    app.run()
    for spec in PAGES:
        app.switch_page(f"pages/{spec.file}").run()
        assert not app.exception, spec.title
        assert app.title[0].value == spec.title
        assert "Sign-in is off" in app.warning[0].value, spec.title
