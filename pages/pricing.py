"""Pricing formulas: not built yet; the page says what it will hold."""

from lib.ui import page_setup, planned_page

page_setup()
planned_page(
    "Pricing formulas",
    will_show=(
        "an editor for TSP formulas with live validation, a preview of old vs new prices "
        "for every product, guard rails, saved versions and price-list export"
    ),
)
