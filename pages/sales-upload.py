"""Sales upload: not built yet; the page says what it will hold."""

from lib.ui import page_setup, planned_page

page_setup()
planned_page(
    "Sales upload",
    will_show=(
        "CSV and Excel upload of daily sales with column mapping, row-by-row validation, "
        "warehouse summing and exactly-once sending to PleasureStock"
    ),
)
