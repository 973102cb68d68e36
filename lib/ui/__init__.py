"""The only part of ``lib`` that imports streamlit: shell, cached resources, shared widgets."""

from lib.ui.resources import AppContext, app_context
from lib.ui.shell import PAGES, page_setup, run_app
from lib.ui.widgets import (
    format_age,
    format_money,
    planned_page,
    show_error,
    sync_catalog_with_progress,
)

__all__ = [
    "PAGES",
    "AppContext",
    "app_context",
    "format_age",
    "format_money",
    "page_setup",
    "planned_page",
    "run_app",
    "show_error",
    "sync_catalog_with_progress",
]
