"""Roles in the running app: what each role can open and do, signed in or in the demo."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from lib.access import Role, can_open
from lib.db import UnitOfWork, open_database
from lib.roles import assign_role
from lib.ui.shell import PAGES
from tests.app.conftest import page_text

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
    _signed_in(app, email="Fatma@Example.com", groups=["Everyone", "FINANCE"]).run()
    assert not app.exception
    assert app.title[0].value == "Overview"
    assert "Signed in as **fatma@example.com**" in app.sidebar.markdown[-1].value
    app.switch_page("pages/pricing.py").run()
    assert not _refused(app)
    app.switch_page("pages/settings.py").run()
    assert _refused(app)


def test_unknown_person_asks_an_administrator_then_gets_the_assigned_role(
    demo_env: None, app: AppTest
) -> None:
    _signed_in(app, email="new@example.com", groups=["Everyone"]).run()
    assert not app.exception
    assert app.title[0].value == "No access yet"
    assert "new@example.com" in app.warning[0].value
    assert "Sign out" in [b.label for b in app.button]

    assign_role(_sessions(), "new@example.com", Role.STAFF, actor="it@example.com")
    app.run()
    assert app.title[0].value == "Sales upload"


def test_listed_admin_gives_a_role_on_settings_and_is_the_audited_actor(
    demo_env: None, app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STOCKDESK_ADMIN_EMAILS", "it@example.com")
    _signed_in(app, email="IT@example.com").run()
    app.switch_page("pages/settings.py").run()
    assert not _refused(app)

    app.text_input[0].input("Not an address")
    next(b for b in app.button if b.label == "Save role").click().run()
    assert "is not an email address" in app.error[0].value

    app.text_input[0].input("Ayse@Example.com")
    app.selectbox[0].set_value(Role.PURCHASING)
    next(b for b in app.button if b.label == "Save role").click().run()
    assert not app.exception
    assert "ayse@example.com now has the role Purchasing" in app.success[0].value
    changes = app.dataframe[-1].value
    assert (changes["Who"].iloc[0], changes["What"].iloc[0]) == ("it@example.com", "roles.assign")
