"""Reorder: Smart Reordering recommendations, our forecast cross-check, purchase orders."""

from datetime import UTC, datetime
from decimal import Decimal
from functools import partial

import pandas as pd
import streamlit as st

from lib.access.policy import Action
from lib.catalog.snapshot import catalog_frame, catalog_status
from lib.catalog.suppliers import names_in, with_supplier_names
from lib.pleasurestock import PleasureStockError
from lib.reorder.forecast import (
    backtest,
    compare_with_api,
    cross_check,
    sales_matrix,
)
from lib.reorder.history import sales_history
from lib.reorder.own_stock import TOLERANCE_SHARE, TOLERANCE_UNITS, with_own_stock
from lib.reorder.proposal import (
    ProposalFilter,
    build_proposal,
    filter_proposal,
    forecast_settings,
    join_recommendations,
    settings_columns,
    within_budget,
)
from lib.reorder.settings import load_reorder_settings, stored_settings
from lib.reorder.supplier_offers import with_supplier_offers
from lib.reorder.unresolved import blocked_suppliers, hold_back
from lib.ui import (
    current_actor,
    follow_catalog_sync,
    markdown_text,
    page_setup,
    show_error,
    user_can,
)
from lib.ui.loaders import current_rates
from lib.ui.order_requests import create_orders, held_back_note, order_requests_panel
from lib.ui.reorder_data import linked_sources, on_order, recommendations
from lib.ui.reorder_forecast import engine_section
from lib.ui.reorder_view import (
    export_buttons,
    own_stock_detail,
    product_chart,
    proposal_editor,
    settings_editor,
    show_budget,
    show_overstock,
    show_supplier_totals,
)
from lib.ui.suppliers import supplier_names

ctx = page_setup()
st.title("Reorder")
today = datetime.now(UTC).date()
unresolved = order_requests_panel(ctx)

catalog_empty = catalog_status(ctx.session_factory).snapshot.product_count == 0
if catalog_empty and not follow_catalog_sync(ctx, start=True, actor=current_actor()):
    st.stop()
catalog = with_supplier_names(catalog_frame(ctx.session_factory), supplier_names(ctx).names)

day = st.date_input("Recommendations for", value=today, max_value=today, key="reorder_day")
try:
    listed = recommendations(ctx.client, ctx.client.base_url, day)
    open_orders = on_order(ctx.client)
except PleasureStockError as error:
    show_error(error, failed="The recommendations and open orders could not be loaded.")
    st.stop()
if open_orders.error is not None:
    st.warning(
        f"{open_orders.missing} of {open_orders.open_orders} open orders could not be read, "
        f"so their quantities are not subtracted: {markdown_text(open_orders.error)}",
        icon=":material/warning:",
    )
board = current_rates(ctx)
if board.error:
    st.warning(
        f"TRY values use the last stored rates. {markdown_text(board.error)}",
        icon=":material/warning:",
    )

# -- settings ----------------------------------------------------------------------------
default, per_supplier = stored_settings(load_reorder_settings(ctx.session_factory))
with st.expander("Reorder settings (lead time, service level, review period, MOQ, case pack)"):
    a_share = st.slider("ABC: share of revenue in class A", 0.5, 0.95, 0.80, 0.05)
    b_share = st.slider("ABC: share in class B", 0.0, round(1 - a_share, 2), 0.15, 0.05)
    settings_editor(
        ctx,
        dict(sorted((s, n) for s, n in names_in(catalog).items() if isinstance(s, str))),
        default,
        per_supplier,
        can_save=user_can(Action.CREATE_ORDERS),
    )

# -- proposal ------------------------------------------------------------------------------
joined = join_recommendations(listed.recommendations, catalog)
if joined.unmatched:
    with st.expander(f"{len(joined.unmatched)} recommendations match no product in the catalog"):
        st.dataframe(
            pd.DataFrame(
                [
                    {"id": r.product_internal_id, "sku": r.product_sku, "name": r.product_name}
                    for r in joined.unmatched
                ]
            ),
            hide_index=True,
        )
if joined.frame.empty:
    st.info(f"No recommendations for {day}.", icon=":material/inventory:")
    st.stop()
settings = settings_columns(joined.frame["supplier_id"], per_supplier, default)
proposal = build_proposal(
    joined.frame, open_orders.quantities, settings, board.rate, today, (a_share, b_share)
)

history = sales_history(ctx.session_factory, today, demo_mode=ctx.settings.demo_mode)
matrix = sales_matrix(history.frame)
ours = cross_check(matrix, forecast_settings(matrix.ps_ids, catalog, per_supplier, default), today)
proposal = compare_with_api(proposal, ours)
linked = linked_sources(ctx, day, today=today)
proposal = with_own_stock(proposal, linked.own_stock)

# -- filters and budget ------------------------------------------------------------------
first, second, third, fourth = st.columns(4)
criteria = ProposalFilter(
    suppliers=tuple(
        first.multiselect(
            "Supplier",
            sorted(proposal["supplier_id"].dropna().unique()),
            format_func=names_in(proposal).get,
        )
    ),
    categories=tuple(
        second.multiselect("Category", sorted(proposal["category_name"].dropna().unique()))
    ),
    abc=tuple(third.multiselect("ABC class", ["A", "B", "C"])),
    only_urgent=fourth.toggle("Only urgent", help="Stock runs out before the lead time is over"),
)
budget = st.number_input("Budget in TRY (0 = no budget)", min_value=0, step=1000, value=0)
shown = filter_proposal(proposal, criteria)
blocked = blocked_suppliers(unresolved)
offered, held = hold_back(shown, blocked)
if not held.empty:
    # Supplier names are upstream text: escaped, never Markdown.
    st.warning(markdown_text(held_back_note(held, blocked)), icon=":material/pending:")
    override = st.toggle(
        "Offer them anyway",
        key="reorder_override",
        help="Only if you checked in PleasureStock that the earlier order does not exist, or "
        "you want a second order: the confirmation names the unresolved requests again.",
    )
else:
    override = False
shown = (shown if override else offered).reset_index(drop=True)
include = within_budget(shown, Decimal(budget)) if budget else pd.Series(True, index=shown.index)

check = backtest(matrix)
metrics = st.columns(4)
metrics[0].metric("Lines", len(shown))
metrics[1].metric("Urgent", int(shown["urgent"].sum()))
metrics[2].metric("Unmatched recommendations", len(joined.unmatched))
metrics[3].metric(
    "Our forecast, last 4 weeks",
    "n/a" if check.wape is None else f"WAPE {check.wape:.0%}",
    None if check.bias is None else f"bias {check.bias:+.0%}",
    delta_color="off",
)
st.caption(
    f"Cross-check from {history.source}: average daily sales without stockout days, "
    "weekday-aware, normal safety stock for regular movers and a Poisson quantile for "
    "intermittent ones. ⚠ marks a quantity that differs from the API's by more than half. "
    "Own stock is Price2B's, summed over its warehouses, as read on the day shown; ⚠ in "
    f"Own stock check marks more than {TOLERANCE_UNITS} units and {TOLERANCE_SHARE:.0%} "
    "apart from the recommendation's stock."
)

# -- the proposal --------------------------------------------------------------------------
st.subheader("Proposal")
if shown.empty:
    held_note = " or held back above" if not held.empty and not override else ""
    st.info(
        f"No lines to order: every line is filtered out{held_note}.", icon=":material/inventory:"
    )
chosen = proposal_editor(
    shown,
    include,
    partial(
        with_supplier_offers,
        offers=linked.offers,
        supplier_map=linked.supplier_map,
        rate=board.rate,
    ),
)
ticked = chosen[chosen["quantity"] > 0]
sees_costs = user_can(Action.SEE_COSTS)
if budget and sees_costs:
    show_budget(ticked, shown, budget)
st.markdown("**Totals per supplier**")
show_supplier_totals(chosen)
export_buttons(chosen, day)

if user_can(Action.CREATE_ORDERS):
    create_orders(ctx, ticked, blocked)
else:
    st.caption("Your role may not create orders.")

engine_section(ctx, shown, ctx.settings.service_levels, may_run=user_can(Action.CREATE_ORDERS))

# -- charts and overstock ------------------------------------------------------------------
st.subheader("Product detail")
if not shown.empty:
    names = dict(zip(chosen["ps_id"], chosen["name"], strict=True))
    picked = st.selectbox("Product", list(names), format_func=lambda ps: f"{names[ps]} ({ps})")
    product_chart(chosen[chosen["ps_id"] == picked].iloc[0], history.frame, today)
    own_stock_detail(linked.own_stock.get(picked), day)

st.subheader("Overstock")
show_overstock(ours, catalog, board.rate, sees_costs=sees_costs)
