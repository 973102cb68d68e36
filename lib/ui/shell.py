"""The app's frame: page list, navigation, sidebar, and the guard every page starts with.

Streamlit 1.67 trap: while a ``pages/`` folder sits beside ``app.py``, the first run
of a fresh server that asks for a page URL directly runs that page file WITHOUT
``app.py`` (legacy multipage mode); AppTest does the same on every run. ``page_setup``
notices that the app's own navigation is not in charge and runs the app frame there
and then, so the page runs inside it with the sidebar, setup and checks every other
request gets, and with the user's input of that run intact.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from lib.ui.resources import AppContext, app_context

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"


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

# Set while app.py runs the chosen page, per script thread (one per browser session).
_inside_app = threading.local()


def _navigation() -> st.navigation:
    pages = [
        st.Page(
            PAGES_DIR / spec.file,
            title=spec.title,
            icon=spec.icon,
            url_path=spec.url_path or None,
            default=not spec.url_path,
        )
        for spec in PAGES
    ]
    return st.navigation(pages, position="sidebar")


def run_app() -> None:
    """The body of ``app.py``: page config, navigation, sidebar, then the chosen page."""
    st.set_page_config(page_title="StockDesk", page_icon=":material/storefront:", layout="wide")
    page = _navigation()
    _inside_app.active = True
    try:
        page.run()
    finally:
        _inside_app.active = False


def page_setup() -> AppContext:
    """First call of every page: make sure the app frame runs it, then return the context."""
    if not getattr(_inside_app, "active", False):
        # Run the whole frame now (it runs this page again, inside the app's navigation)
        # and end the legacy run. A rerun instead would drop the click that caused it.
        run_app()
        st.stop()
    context = app_context()
    _sidebar(context)
    return context


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
