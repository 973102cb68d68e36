"""Orders: not built yet; the page says what it will hold."""

from lib.ui import page_setup, planned_page

page_setup()
planned_page(
    "Orders",
    will_show=(
        "every order with status badges, overdue flags, TRY totals, the status workflow "
        "and signed webhooks"
    ),
)
