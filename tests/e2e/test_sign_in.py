"""Sign-in through a local OpenID Connect provider, and a forbidden page as a first request."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp, assert_no_exception, free_port, wait_for_app
from tests.support.identity_provider import CLIENT_ID, CLIENT_SECRET, serve_identity_provider

StartApp = Callable[..., RunningApp]


def _auth_secrets(path: Path, *, app_port: int, metadata_url: str) -> Path:
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{"c" * 64}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{metadata_url}"\n'
    )
    return path


def _nav_titles(page: Page) -> set[str]:
    # A link's text is its icon's name, then its title.
    nav = page.get_by_test_id("stSidebarNav")
    return {link.inner_text().split("\n")[-1] for link in nav.get_by_role("link").all()}


def test_sign_in_gives_the_token_role_and_refuses_other_pages(
    start_app: StartApp, page: Page, tmp_path: Path
) -> None:
    claims = {
        "email": "Fatma@Example.com",
        "email_verified": True,
        "name": "Fatma",
        "groups": ["Everyone", "FINANCE"],
    }
    with serve_identity_provider(claims) as provider:
        port = free_port()
        secrets = _auth_secrets(
            tmp_path / "secrets.toml", app_port=port, metadata_url=provider.metadata_url
        )
        app = start_app(port=port, args=["--secrets.files", str(secrets)])

        page.goto(app.url)
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Sign in to StockDesk")).to_be_visible()
        assert _nav_titles(page) == set()

        # The browser goes to the provider and back through /oauth2callback to the app.
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(rf"^{re.escape(app.url)}/?$"))
        wait_for_app(page)
        assert_no_exception(page)
        sidebar = page.get_by_test_id("stSidebar")
        # Shown as text: a word joiner after the @ keeps it from becoming a mailto link.
        expect(sidebar.get_by_text("fatma@\u2060example.com")).to_be_visible()
        expect(sidebar.get_by_text("Finance", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()
        assert _nav_titles(page) == {"Overview", "Catalog", "Pricing formulas", "Orders"}

        page.goto(f"{app.url}/settings")
        wait_for_app(page)
        expect(page.get_by_text("Settings is not allowed for your role")).to_be_visible()
        expect(page.get_by_text("Rate-limit budget")).to_have_count(0)

        page.get_by_role("button", name="Sign out").click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Sign in to StockDesk")).to_be_visible()


def test_forbidden_page_url_as_the_first_request_to_a_fresh_server(
    start_app: StartApp, page: Page
) -> None:
    # The legacy first run executes pages/settings.py without app.py; its page guard must
    # still run the frame's access check and refuse, showing only the role's own pages.
    app = start_app()
    page.goto(f"{app.url}/settings?role=staff")
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_text("Settings is not allowed for your role")).to_be_visible()
    expect(page.get_by_text("Rate-limit budget")).to_have_count(0)
    # With one page left Streamlit shows no navigation; the refusal links the role's page.
    assert "Settings" not in _nav_titles(page)
    expect(page.get_by_test_id("stPageLink").filter(has_text="Sales upload")).to_be_visible()
    assert re.search(r"/settings(\?|$)", page.url)


def test_live_mode_without_sign_in_is_closed_unless_anonymous_use_is_allowed(
    start_app: StartApp, page: Page
) -> None:
    live = {
        "PLEASURESTOCK_API_KEY": "pk_live_E2ENoSignIn0123456789",
        "PLEASURESTOCK_BASE_URL": "http://127.0.0.1:9/api/v1",
    }
    closed = start_app(env=live)
    for path in ("", "/orders", "/settings"):
        page.goto(f"{closed.url}{path}")
        wait_for_app(page)
        assert_no_exception(page)
        expect(page.get_by_role("heading", name="Sign-in required")).to_be_visible()
        expect(page.get_by_text("STOCKDESK_ALLOW_ANONYMOUS=true").first).to_be_visible()
        expect(page.get_by_role("heading", name="Orders")).to_have_count(0)
        assert _nav_titles(page) == set()
    assert "no page is served until [auth] is configured" in closed.log_text()

    anonymous = start_app(env={**live, "STOCKDESK_ALLOW_ANONYMOUS": "true"})
    page.goto(f"{anonymous.url}/settings")
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    expect(page.get_by_text("Sign-in is off").first).to_be_visible()
    assert "every visitor is an administrator" in anonymous.log_text()


def test_an_unverified_address_does_not_make_an_administrator(
    start_app: StartApp, page: Page, tmp_path: Path
) -> None:
    claims = {"email": "Boss@Example.com", "email_verified": False, "name": "Not the boss"}
    with serve_identity_provider(claims) as provider:
        port = free_port()
        secrets = _auth_secrets(
            tmp_path / "secrets.toml", app_port=port, metadata_url=provider.metadata_url
        )
        app = start_app(
            port=port,
            args=["--secrets.files", str(secrets)],
            env={"STOCKDESK_ADMIN_EMAILS": "boss@example.com"},
        )
        page.goto(app.url)
        wait_for_app(page)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(rf"^{re.escape(app.url)}/?$"))
        wait_for_app(page)
        assert_no_exception(page)
        expect(page.get_by_role("heading", name="No access yet")).to_be_visible()
        expect(page.get_by_text("does not confirm your e-mail address")).to_be_visible()
        page.goto(f"{app.url}/settings")
        wait_for_app(page)
        expect(page.get_by_text("Rate-limit budget")).to_have_count(0)
