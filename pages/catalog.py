"""Catalog: not built yet; the page says what it will hold."""

from lib.ui import page_setup, planned_page

page_setup()
planned_page(
    "Catalog",
    will_show=(
        "the whole catalog with category, TCC, TSP and prices in TRY: filters kept in the "
        "URL, margins, a data-quality panel, product details with images and sales "
        "history, and CSV/Excel export"
    ),
)
