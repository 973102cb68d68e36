"""The app's frame: pages, navigation, sidebar, access control, and the guard of every page.

Streamlit 1.67 trap: while a ``pages/`` folder sits beside ``app.py``, the first run
of a fresh server that asks for a page URL directly runs that page file WITHOUT
``app.py`` (legacy multipage mode); AppTest does the same on every run. ``page_setup``
notices that the app's own navigation is not in charge and runs the app frame there
and then, so the page runs inside it with the sidebar, setup and checks every other
request gets, and with the user's input of that run intact.

Access: the frame works out who the user is (``lib.ui.identity``), lists in the
navigation only the pages their roles may open (the others stay registered but
hidden, so their URLs still resolve to the page and not to a "page not found"), and
runs the chosen page only when ``lib.access.policy`` allows it. Otherwise it shows, instead
of the page, the sign-in screen, the "ask an administrator" screen, or the refusal.
Live mode without sign-in serves only the set-up screen, unless the operator allows
anonymous use (then a warning heads every page); invalid settings give one
configuration screen, on every URL, naming each bad setting and its fix.
Because ``page_setup`` runs this same frame on a legacy first request, a forbidden
page's URL is refused even as the first request to a fresh server. Pages need no
access code of their own beyond ``page_setup()``; for actions and cost columns they
ask ``user_can(action)`` and ``hide_costs(frame)``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.navigation.page import StreamlitPage

from lib.access.policy import Action, Admission, User, can, can_open, hide_cost_columns
from lib.jobs.embedded import attach_app
from lib.jobs.runs import Runtime
from lib.jobs.schedules import worker_schedules
from lib.sales.channel_pull import ChannelRules
from lib.settings import SettingsError, load_settings
from lib.ui.identity import (
    admission_of,
    anonymous_banner,
    identify,
    no_role_screen,
    sign_in_required_screen,
    sign_in_screen,
)
from lib.ui.resources import AppContext, app_context
from lib.ui.widgets import markdown_text

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"
logger = logging.getLogger("stockdesk")


@dataclass(frozen=True)
class PageSpec:
    """One page of the app: its file in ``pages/``, title, icon and bookmarkable URL path."""

    file: str
    title: str
    icon: str
    url_path: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview.py", "Overview", ":material/dashboard:", ""),
    PageSpec("catalog.py", "Catalog", ":material/inventory_2:", "catalog"),
    PageSpec("pricing.py", "Pricing formulas", ":material/functions:", "pricing"),
    PageSpec("sales-upload.py", "Sales upload", ":material/upload_file:", "sales-upload"),
    PageSpec("reorder.py", "Reorder", ":material/shopping_cart:", "reorder"),
    PageSpec("orders.py", "Orders", ":material/local_shipping:", "orders"),
    PageSpec("settings.py", "Settings", ":material/settings:", "settings"),
)

# Set while app.py runs the chosen page, per script thread (one per browser session):
# ``active`` and the ``user`` the page serves.
_inside_app = threading.local()
_SESSION_USER = "stockdesk_user"


def _navigation(user: User | None) -> tuple[dict[PageSpec, StreamlitPage], PageSpec]:
    """Register every page, showing only the user's; returns the pages and the chosen spec."""
    roles = user.roles if user else frozenset()
    pages = {
        spec: st.Page(
            PAGES_DIR / spec.file,
            title=spec.title,
            icon=spec.icon,
            url_path=spec.url_path or None,
            default=not spec.url_path,
            visibility="visible" if can_open(roles, spec.url_path) else "hidden",
        )
        for spec in PAGES
    }
    chosen = st.navigation(list(pages.values()), position="sidebar")
    return pages, next(spec for spec, page in pages.items() if page is chosen)


def run_app() -> None:
    """The body of ``app.py``: page config, user, navigation, sidebar, then the chosen page."""
    st.set_page_config(page_title="StockDesk", page_icon=":material/storefront:", layout="wide")
    try:
        context = app_context()
    except SettingsError as error:
        _navigation(None)
        configuration_screen(error)
        return
    _sidebar(context)
    entry = admission_of(context.settings)
    if entry is Admission.CLOSED:
        _navigation(None)
        sign_in_required_screen()
        return
    if entry is Admission.ANONYMOUS:
        anonymous_banner()
    user = identify(context, entry)
    pages, spec = _navigation(user)
    if not _admitted(user, spec, pages):
        return
    _inside_app.active, _inside_app.user = True, user
    # A dialog or fragment reruns on its own, without this frame: it finds the user here.
    st.session_state[_SESSION_USER] = user
    try:
        pages[spec].run()
    finally:
        _inside_app.active, _inside_app.user = False, None


def configuration_screen(error: SettingsError) -> None:
    """Shown on every URL, Settings included, while a setting is invalid: what and how to fix."""
    st.title("StockDesk cannot start: check its configuration")
    for problem in error.problems:
        st.error(
            f"**{problem.setting}** {markdown_text(problem.problem)}",
            icon=":material/settings_alert:",
        )
    st.markdown(
        "Settings are read from the environment, then `.streamlit/secrets.toml` "
        "(`.streamlit/secrets.toml.example` documents every key). Fix the setting there "
        "and restart StockDesk."
    )


@asynccontextmanager
async def startup_checks(app: st.App) -> AsyncIterator[None]:
    """``st.App`` lifespan: log at start-up what makes this server unsafe or unusable."""
    try:
        entry = admission_of(load_settings())
    except SettingsError as error:
        logger.error("StockDesk configuration is invalid, every page says how to fix it: %s", error)
    else:
        if entry is Admission.ANONYMOUS:
            logger.warning(
                "STOCKDESK_ALLOW_ANONYMOUS=true: live mode without sign-in, so every visitor "
                "is an administrator. Bind to 127.0.0.1 or configure [auth]."
            )
        elif entry is Admission.CLOSED:
            logger.warning(
                "Live mode without sign-in: no page is served until [auth] is configured "
                "(or STOCKDESK_ALLOW_ANONYMOUS=true is set)."
            )
    yield


def _admitted(user: User | None, spec: PageSpec, pages: dict[PageSpec, StreamlitPage]) -> bool:
    """True when ``user`` may open ``spec``; otherwise shows what to do instead."""
    if user is None:
        sign_in_screen()
        return False
    if not user.roles:
        no_role_screen(user)
        return False
    if can_open(user.roles, spec.url_path):
        return True
    own_pages = [pages[s] for s in PAGES if can_open(user.roles, s.url_path)]
    if not spec.url_path and own_pages:
        # The landing page (where sign-in returns to) is not theirs: go to their first page.
        st.switch_page(own_pages[0])
    st.title(spec.title)
    st.error(
        f"**{spec.title} is not allowed for your role** ({user.role_labels}). "
        "Ask an administrator if you need it.",
        icon=":material/block:",
    )
    st.write("Pages you can open:")
    for page in own_pages:
        st.page_link(page)
    return False


def page_setup() -> AppContext:
    """First call of every page: make sure the app frame runs it, then return the context.

    The frame checks access before it runs a page, so a page body never runs for a user
    who may not open it: not even as a legacy first request, which lands here first.
    """
    if not getattr(_inside_app, "active", False):
        # Run the whole frame now (it checks access and runs this page again, inside the
        # app's navigation) and end the legacy run. A rerun instead would drop the click
        # that caused it.
        run_app()
        st.stop()
    context = app_context()
    attach_app(
        context.settings.stockdesk_database_url,
        Runtime(
            session_factory=context.session_factory,
            client=context.job_client,
            schedules=worker_schedules(context.settings, [s.key for s in context.sources]),
            sources=context.sources,
            link_namespaces=context.settings.equal_sku_namespaces,
            channel_rules=ChannelRules.from_settings(context.settings),
            demo_mode=context.settings.demo_mode,
        ),
        embedded_worker=context.settings.stockdesk_embedded_worker,
    )
    return context


def current_user() -> User:
    """The user the running page serves: set by the frame before the page runs, and kept
    in the session for dialogs and fragments that rerun on their own."""
    user = getattr(_inside_app, "user", None) or st.session_state.get(_SESSION_USER)
    if user is None:
        raise RuntimeError("current_user() works inside a page, after page_setup()")
    return user


def current_actor() -> str:
    """How the audit log names the user: their address, ``demo:<role>`` or ``local user``."""
    return current_user().actor


def user_can(action: Action) -> bool:
    """True when the current user may take ``action`` (hide or disable the control if not)."""
    return can(current_user().roles, action)


def hide_costs(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the columns the current user may not see: use it for tables and exports."""
    return hide_cost_columns(frame, current_user().roles)


def _sidebar(context: AppContext) -> None:
    with st.sidebar:
        if context.settings.demo_mode:
            st.badge("Demo data — sandbox", icon=":material/science:", color="orange")
            st.caption(
                "StockDesk is showing the built-in sandbox's sample data. To use the live "
                "API, set `PLEASURESTOCK_API_KEY` in the environment or in "
                "`.streamlit/secrets.toml` and restart."
            )
        else:
            st.badge("Live — PleasureStock API", icon=":material/cloud_done:", color="green")
            st.caption(context.settings.pleasurestock_base_url)
