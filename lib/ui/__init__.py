"""The only part of ``lib`` that imports streamlit: shell, cached resources, shared widgets."""

from lib.ui.resources import AppContext, app_context
from lib.ui.shell import PAGES, page_setup, run_app
from lib.ui.widgets import (
    actor_name_input,
    badge_column,
    format_age,
    format_moment,
    format_money,
    planned_page,
    show_badges,
    show_error,
)

__all__ = [
    "PAGES",
    "AppContext",
    "actor_name_input",
    "app_context",
    "badge_column",
    "format_age",
    "format_moment",
    "format_money",
    "page_setup",
    "planned_page",
    "run_app",
    "show_badges",
    "show_error",
]
