"""Orders: every order with status badges, filters, folded duplicates, overdue flags and
TRY totals; one order's items, dates, timeline and status changes; received webhooks."""

from datetime import UTC, date, datetime, timedelta

import streamlit as st

from lib.access.policy import can_set_order_status
from lib.db import WebhookEventRecord
from lib.orders.history import (
    change_order_status,
    event_status,
    events_frame,
    order_timeline,
    recent_webhooks,
    timeline_frame,
    unreflected_events,
    webhooks_after,
)
from lib.orders.totals import open_commitments, totals_by_status_and_supplier, totals_frame
from lib.orders.webhooks import WEBHOOK_PATH
from lib.orders.workflow import (
    MOVE_CONSEQUENCES,
    ORDER_STATUSES,
    OrderFilter,
    allowed_transitions,
    filter_orders,
    fold_duplicates,
    is_overdue,
    items_frame,
    order_badges,
    order_table,
    status_label,
    supplier_label,
)
from lib.pleasurestock import PleasureStockError
from lib.pleasurestock.models import Order
from lib.sandbox.embedded import webhook_secret
from lib.ui import (
    Confirmation,
    badge_column,
    current_actor,
    current_user,
    format_moment,
    format_money,
    markdown_text,
    page_setup,
    show_badges,
    show_error,
)
from lib.ui.loaders import (
    clear_api_caches,
    clear_order_caches,
    current_rates,
    dated_orders,
    detail_version,
    order_detail,
    order_listing,
)
from lib.ui.order_requests import order_requests_panel
from lib.ui.suppliers import supplier_names

FLASH_KEY = "orders_flash"
# (order number, target) waiting for a yes
PENDING_MOVE = Confirmation("orders_pending_move", "Confirm the status change", cancel="Not now")

ctx = page_setup()
client = ctx.client
actor = current_actor()
st.title("Orders")

flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    kind, message = flash
    (st.success if kind == "applied" else st.warning)(markdown_text(message))

# Purchase order requests from Reorder whose outcome is not settled yet.
order_requests_panel(ctx)

header, refresh = st.columns([5, 1])
header.caption(f"Data source: **{ctx.mode_label}** · {client.base_url}")
if refresh.button("Refresh", icon=":material/refresh:", help="Ask PleasureStock again"):
    clear_api_caches()

try:
    listing = order_listing(client, client.base_url)
except PleasureStockError as error:
    show_error(error, failed="The orders could not be loaded.")
    st.stop()
dated = dated_orders(client, listing.orders)
if dated.error:
    st.warning(
        f"Overdue flags are incomplete: the delivery dates of {dated.missing} open orders "
        f"could not be read. {markdown_text(dated.error)}",
        icon=":material/warning:",
    )
orders = dated.orders
supplier_names(ctx)  # the supplier directory learns the names these orders carry
today = datetime.now(UTC).date()


# -- received webhooks --------------------------------------------------------------------
def _describe(event: WebhookEventRecord) -> str:
    status = event_status(event)
    return f"{event.order_number} → {status_label(status)}" if status else event.event


@st.fragment(run_every=timedelta(seconds=5))
def webhook_feed(loaded_at: datetime, statuses: dict[str, str]) -> None:
    """Events the loaded list does not show yet, and the latest events received."""
    news = unreflected_events(webhooks_after(ctx.session_factory, loaded_at), statuses)
    if news:
        note, button = st.columns([5, 1])
        note.info(
            f"{len(news)} webhook event(s) since the list was loaded: "
            + "; ".join(markdown_text(_describe(event)) for event in news[:5]),
            icon=":material/notifications:",
        )
        if button.button("Refresh orders", key="refresh_from_webhooks"):
            clear_order_caches()
            st.rerun(scope="app")
    with st.expander("Received webhooks"):
        if webhook_secret(ctx.settings) is None:
            st.warning(
                "PLEASURESTOCK_WEBHOOK_SECRET is not set, so every webhook delivery is refused. "
                f"Set it and point PleasureStock's webhook at `{WEBHOOK_PATH}` on this server.",
                icon=":material/key_off:",
            )
        events = recent_webhooks(ctx.session_factory)
        if events:
            st.dataframe(events_frame(events), hide_index=True, width="stretch")
        else:
            st.caption("No webhook event has arrived yet.")


webhook_feed(listing.loaded_at, {o.order_number: o.status for o in orders})


# -- filters ------------------------------------------------------------------------------
created_days = [o.created_at.date() for o in orders if o.created_at]
status_options = list(ORDER_STATUSES) + sorted({o.status for o in orders} - set(ORDER_STATUSES))
with st.container(border=True):
    status_col, supplier_col, period_col = st.columns(3)
    statuses = status_col.multiselect(
        "Status",
        status_options,
        format_func=status_label,
        placeholder="All statuses",
        key="orders_statuses",
    )
    suppliers = supplier_col.multiselect(
        "Supplier",
        sorted({supplier_label(o) for o in orders}),
        placeholder="All suppliers",
        key="orders_suppliers",
    )
    period = period_col.date_input(
        "Created between",
        value=(min(created_days, default=today), max(created_days, default=today)),
        key="orders_period",
    )
    text_col, overdue_col, folded_col = st.columns([2, 1, 1])
    text = text_col.text_input(
        "Search", placeholder="Order number, delivery ID or external ID", key="orders_text"
    )
    overdue_only = overdue_col.checkbox("Overdue only", key="orders_overdue_only")
    show_folded = folded_col.toggle(
        "Show folded duplicates",
        key="orders_show_folded",
        help="Cancelled orders with the same supplier, amount and item count as an active one "
        "are folded under it.",
    )

# While a range is being picked the widget holds one date; until then it does not filter.
picked: tuple[date, ...] = tuple(period) if isinstance(period, tuple | list) else (period,)
criteria = OrderFilter(
    statuses=frozenset(statuses),
    suppliers=frozenset(suppliers),
    created_from=picked[0] if len(picked) == 2 else None,
    created_to=picked[1] if len(picked) == 2 else None,
    text=text,
    overdue_only=overdue_only,
)
shown = filter_orders(orders, criteria, today)
groups = fold_duplicates(shown)
table = order_table(groups, today, show_folded=show_folded)

# -- headline figures ---------------------------------------------------------------------
board = current_rates(ctx)
if board.error:
    st.warning(f"TRY figures use the last stored rates. {board.error}", icon=":material/warning:")
commitments = open_commitments(shown, board.rate)
count_col, overdue_metric, folded_metric, commit_col = st.columns(4)
count_col.metric("Orders shown", f"{len(shown):,} of {len(orders):,}")
overdue_metric.metric("Overdue", sum(is_overdue(o, today) for o in shown))
folded_metric.metric("Folded duplicates", sum(len(g.folded) for g in groups))
commit_col.metric(
    "Open commitments",
    format_money(commitments.amount_try, "TRY"),
    help=f"TRY value of the {commitments.orders} orders shown that are not yet accepted or "
    "cancelled.",
)
if commitments.unconverted or commitments.unpriced:
    left_out = [format_money(amount, code) for code, amount in commitments.unconverted.items()]
    if commitments.unpriced:
        left_out.append(f"{commitments.unpriced} order(s) without an amount")
    st.warning(
        "Not in the open commitments for lack of a TRY rate or amount: " + ", ".join(left_out),
        icon=":material/currency_exchange:",
    )
if board.rates:
    st.caption(
        "TRY at PleasureStock's rates: "
        + " · ".join(
            f"1 {r.currency} = ₺{r.rate_to_try:,.4f} (rate time {format_moment(r.rate_time)}, "
            f"fetched {format_moment(r.fetched_at)})"
            for r in board.rates.values()
        )
    )

# -- the list -----------------------------------------------------------------------------
if table.frame.empty:
    st.info("No order matches the filters.", icon=":material/filter_alt_off:")
else:
    st.dataframe(
        table.frame,
        column_config={
            "Status": badge_column("Status", table.badges),
            "Amount": st.column_config.NumberColumn(format="%.2f"),
        },
        hide_index=True,
        width="stretch",
    )

with st.expander("Totals per status and supplier"):
    st.dataframe(
        totals_frame(totals_by_status_and_supplier(shown, board.rate)),
        column_config={
            "Amount": st.column_config.NumberColumn(format="%,.2f"),
            "Amount in TRY": st.column_config.NumberColumn(format="₺%,.2f"),
        },
        hide_index=True,
        width="stretch",
    )


# -- one order ----------------------------------------------------------------------------
def change_status(order: Order, target: str, comment: str | None) -> None:
    """Send the change; on success (or an unknown outcome) reload everything and say so."""
    try:
        result = change_order_status(
            client, ctx.session_factory, order, target, actor=actor, comment=comment
        )
    except PleasureStockError as error:
        show_error(error, failed=f"The status of {order.order_number} was not changed.")
        return
    if result.outcome == "refused":
        st.error(markdown_text(result.message), icon=":material/block:")
        return
    clear_order_caches()
    st.session_state[FLASH_KEY] = (result.outcome, result.message)
    st.rerun()


def move_question(order: Order, target: str) -> None:
    """Name the order, supplier and amount and what moving it to ``target`` does."""
    amount = format_money(order.total_amount, order.currency)
    st.markdown(
        f"Move **{markdown_text(order.order_number)}** "
        f"({markdown_text(supplier_label(order))}, **{markdown_text(amount)}**) from "
        f"{status_label(order.status)} to **{status_label(target)}**?"
    )
    st.write(MOVE_CONSEQUENCES[target])


def status_controls(order: Order) -> None:
    """Buttons for the moves the workflow allows; payments and the moves that end an order
    ask first, cancelling needs a reason and a tick."""
    number = order.order_number
    # The workflow's moves, less those the user's role may not make (payments are finance's).
    roles = current_user().roles
    targets = [t for t in allowed_transitions(order.status) if can_set_order_status(roles, t)]
    if not targets:
        if allowed_transitions(order.status):
            st.caption("Your role may not change this order's status.")
        else:
            st.caption(
                f"**{markdown_text(status_label(order.status))}** is final: no status change "
                "is offered."
            )
        return
    forward = [t for t in targets if t != "cancelled"]
    comment = st.text_input("Comment for PleasureStock (optional)", key=f"comment_{number}")
    if forward:
        for column, target in zip(st.columns(len(forward)), forward, strict=True):
            label, key = f"Mark as {status_label(target)}", f"move_{number}_{target}"
            if target in MOVE_CONSEQUENCES:
                column.button(label, key=key, on_click=PENDING_MOVE.ask, args=((number, target),))
            elif column.button(label, key=key):
                change_status(order, target, comment)
    pending = PENDING_MOVE.waiting
    if pending and pending[0] == number and pending[1] in forward:
        moving = pending[1]
        PENDING_MOVE.show(
            lambda: move_question(order, moving),
            confirm=f"Yes, mark as {status_label(moving)}",
            on_confirm=lambda: change_status(order, moving, comment),
        )
    if "cancelled" not in targets:
        return
    with st.expander("Cancel this order"), st.form(f"cancel_{number}"):
        reason = st.text_area("Reason (sent to PleasureStock)")
        sure = st.checkbox(
            f"Yes, cancel {markdown_text(number)}. A cancelled order cannot be reopened."
        )
        if st.form_submit_button("Cancel order", type="primary"):
            if sure:
                change_status(order, "cancelled", reason)
            else:
                st.warning("Tick the box to confirm the cancellation.")


def order_detail_view(listed: Order) -> None:
    """Badges, amounts, dates, items, status change and timeline of one order."""
    try:
        order = order_detail(client, client.base_url, listed.order_number, detail_version(listed))
    except PleasureStockError as error:
        show_error(error, failed=f"Order {listed.order_number} could not be loaded.")
        return
    show_badges(order_badges(order, today))
    amount_col, supplier_col, items_col, due_col = st.columns(4)
    amount_col.metric("Amount", format_money(order.total_amount, order.currency))
    supplier_col.metric("Supplier", markdown_text(supplier_label(order)))
    items_col.metric("Items", len(order.items) or order.items_count or 0)
    due_col.metric("Estimated delivery", str(order.estimated_delivery_date or "—"))
    st.caption(
        f"Delivery ID {markdown_text(order.delivery_id or '—')} · external ID "
        f"{markdown_text(order.external_order_id or '—')}"
        f" · created {format_moment(order.created_at)} · paid {format_moment(order.paid_at)}"
        f" · shipped {format_moment(order.shipped_at)} · delivered "
        f"{order.actual_delivery_date or '—'} · accepted {format_moment(order.accepted_at)}"
    )
    st.dataframe(
        items_frame(order),
        column_config={
            "Unit price": st.column_config.NumberColumn(format="%.2f"),
            "Total": st.column_config.NumberColumn(format="%.2f"),
        },
        hide_index=True,
        width="stretch",
    )
    st.markdown("**Change the status**")
    status_controls(order)
    st.markdown("**Timeline**")
    entries = order_timeline(ctx.session_factory, order.order_number)
    if entries:
        st.dataframe(timeline_frame(entries), hide_index=True, width="stretch")
    else:
        st.caption("No status change or webhook event has been recorded for this order yet.")


st.subheader("Order detail")
by_number = {o.order_number: o for o in table.orders}
choice = st.selectbox(
    "Order",
    list(by_number),
    index=None,
    format_func=lambda n: (
        f"{n} · {by_number[n].delivery_id or '—'} · {supplier_label(by_number[n])} · "
        f"{status_label(by_number[n].status)}"
    ),
    placeholder="Choose an order to see its items, dates, timeline and status changes",
    key="orders_choice",
)
if choice:
    order_detail_view(by_number[choice])
