"""Reorder: not built yet; the page says what it will hold."""

from lib.ui import page_setup, planned_page

page_setup()
planned_page(
    "Reorder",
    will_show=(
        "Smart Reordering recommendations joined to the catalog, our own forecast cross- "
        "check, budgets and turning lines into purchase orders"
    ),
)
