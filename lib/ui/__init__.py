"""The only part of ``lib`` that imports streamlit: shell, cached resources, shared widgets."""

from lib.ui.catalog_sync import follow_catalog_sync
from lib.ui.resources import AppContext, app_context
from lib.ui.shell import (
    PAGES,
    current_actor,
    current_user,
    hide_costs,
    page_setup,
    run_app,
    user_can,
)
from lib.ui.widgets import (
    Confirmation,
    badge_column,
    format_age,
    format_moment,
    format_money,
    markdown_text,
    number_format,
    planned_page,
    show_badges,
    show_error,
)

__all__ = [
    "PAGES",
    "AppContext",
    "Confirmation",
    "app_context",
    "badge_column",
    "current_actor",
    "current_user",
    "follow_catalog_sync",
    "format_age",
    "format_moment",
    "format_money",
    "hide_costs",
    "markdown_text",
    "number_format",
    "page_setup",
    "planned_page",
    "run_app",
    "show_badges",
    "show_error",
    "user_can",
]
