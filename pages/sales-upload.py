"""Sales upload: a shop's sales export checked, summed per product and day, sent exactly once."""

import streamlit as st

from lib.sales.upload import sales_page_state
from lib.ui import current_actor, page_setup
from lib.ui.channel_sales import stock2shop_section
from lib.ui.sales_sending import history_panel, open_upload_panel, send_status
from lib.ui.sales_upload import new_upload_section, upload_catalog

ctx = page_setup()
st.title("Sales upload")
st.caption(
    "Send daily sales from your point-of-sale or Excel export to PleasureStock's Smart "
    "Reordering. StockDesk remembers what it has sent per product and day and sends only "
    "what is new, so uploading a file twice never counts sales twice."
)

uploaded_by = current_actor()
state = sales_page_state(ctx.session_factory)
send_status(ctx, state)
open_upload_panel(ctx, state, uploaded_by)

stock2shop_section(ctx, uploaded_by)

st.subheader("New upload")
catalog = upload_catalog(ctx, uploaded_by)
if catalog is not None:
    new_upload_section(
        ctx,
        uploaded_by,
        remembered=state.preferences,
        blocked_by=state.open_upload,
        catalog_fetched_at=catalog.snapshot.fetched_at,
    )

history_panel(ctx)
