"""Catalog: every product with category, TCC, TSP, margin, prices in TRY and, for linked
products, Stock2Shop's price and named tiers; and a tab comparing every source per
confirmed link group, with the sources' data quality and their items.

Filters live in widgets bound to the URL query string, so a link reproduces the view.
"""

from datetime import UTC, datetime, timedelta

import streamlit as st

from lib.access.policy import Action
from lib.catalog.filters import filter_mask, filter_problems
from lib.catalog.quality import CHECKS, issue_counts, row_issues
from lib.catalog.snapshot import catalog_status
from lib.catalog.source_catalogs import comparison_key
from lib.catalog.source_prices import stock2shop_prices_key
from lib.catalog.table import labelled
from lib.currency import rate_age
from lib.pleasurestock import PleasureStockError
from lib.sales.sent import product_sales_history
from lib.ui import (
    current_actor,
    current_user,
    follow_catalog_sync,
    format_age,
    hide_costs,
    markdown_text,
    page_setup,
    show_error,
    user_can,
)
from lib.ui.catalog_compare import compare_tab, comparison_data
from lib.ui.catalog_data import catalog_data, product_images, rates_key
from lib.ui.catalog_view import (
    RANGES,
    export_buttons,
    filter_sidebar,
    grid_column_config,
    product_details,
    show_issue,
)
from lib.ui.charts import (
    margin_boxes,
    margin_summary,
    price_points,
    price_scatter,
    sales_history_figure,
)
from lib.ui.loaders import current_rates
from lib.ui.suppliers import supplier_names

ctx = page_setup()
client = ctx.client
st.title("Catalog")

# -- snapshot: synced on demand, and automatically when older than the configured age ---
now = datetime.now(UTC)
max_age_hours = ctx.settings.catalog_max_age_hours
status = catalog_status(ctx.session_factory)
about, sync_column = st.columns([4, 1], vertical_alignment="center")
sync_clicked = sync_column.button("Sync catalog now", icon=":material/sync:")
auto_sync = status.needs_auto_sync(timedelta(hours=max_age_hours), now=now)
if auto_sync and not sync_clicked:
    st.info(
        f"The catalog snapshot is missing or older than {max_age_hours:g} hours; fetching it now.",
        icon=":material/download:",
    )
synced = follow_catalog_sync(ctx, start=sync_clicked or auto_sync, actor=current_actor())
if synced:
    status = catalog_status(ctx.session_factory)

snapshot = status.snapshot
if snapshot.fetched_at is None:
    about.caption("No catalog snapshot yet.")
else:
    about.caption(
        f"Snapshot of {snapshot.product_count:,} products, fetched "
        f"{snapshot.fetched_at:%Y-%m-%d %H:%M} UTC ({format_age(now - snapshot.fetched_at)} ago)."
    )
last = status.last_sync
if last and last.status == "failed" and synced is None:
    st.warning(
        f"The last sync attempt failed ({last.finished_at:%Y-%m-%d %H:%M} UTC), so this is "
        f"the previous snapshot. {markdown_text(last.error)}",
        icon=":material/sync_problem:",
    )
if snapshot.product_count == 0:
    st.info("There is no catalog to show yet. Use **Sync catalog now** to fetch it.")
    st.stop()

# -- TRY rates and the catalog frames ---------------------------------------------------
board = current_rates(ctx)
if board.error:
    ages = ", ".join(
        f"{rate.currency} fetched {format_age(rate_age(rate, now=now))} ago"
        for rate in board.rates.values()
    )
    st.warning(
        "**The rate service failed, so TRY prices use the last stored rates** "
        f"({ages or 'none stored, so foreign prices show no rate'}). {markdown_text(board.error)}",
        icon=":material/currency_exchange:",
    )
data = catalog_data(
    ctx.session_factory,
    ctx.settings.stockdesk_database_url,
    snapshot.product_count,
    snapshot.fetched_at,
    rates_key(board),
    board,
    supplier_names(ctx).key,
    stock2shop_prices_key(ctx.session_factory),
)
table, flags, s2s = data.table, data.flags, data.source_prices

filters, issue = filter_sidebar(data.grid)
language = filters.language
for problem in filter_problems(filters, RANGES):
    st.warning(problem, icon=":material/filter_alt_off:")
without_issue = filter_mask(table, filters)
mask = without_issue & flags[issue] if issue else without_issue
shown = int(mask.sum())

# -- data quality -----------------------------------------------------------------------
st.subheader("Data quality")
st.caption("How many products in the view (all other filters applied) each check flags.")
counts = issue_counts(flags, without_issue)
for column, check in zip(st.columns(len(CHECKS)), CHECKS, strict=True):
    column.metric(check.label, f"{counts[check.key]:,}", help=check.explanation)
    column.button(
        "Show these",
        key=f"show-{check.key}",
        on_click=show_issue,
        args=(check.key,),
        disabled=counts[check.key] == 0 or issue == check.key,
    )

# -- the table with the selected product, and the charts --------------------------------
st.subheader("Products")
st.caption(f"{shown:,} of {len(table):,} products match the filters.")
if s2s.without_currency:
    st.caption(
        "Stock2Shop prices are shown without a currency: the Stock2Shop API never states "
        "one, and STOCK2SHOP_CURRENCY was not set when it was last synced. Set it, then "
        "sync Stock2Shop again (Settings)."
    )
# Every chart plots costs or margins: a user who may not see them gets the table only.
see_costs = user_can(Action.SEE_COSTS)
tab_names = ["Table", "Charts"] if see_costs else ["Table"]
products_tab, *chart_tabs, sources_tab = st.tabs(
    [*tab_names, "Compare sources"], key="catalog_tab", on_change="rerun"
)

if products_tab.open:
    with products_tab:
        export_buttons(table, mask, language, current_user().roles, day=now.date())
        grid = hide_costs(labelled(data.grid[mask], language, ids=False))
        event = st.dataframe(
            grid,
            column_config=grid_column_config(grid, s2s.tiers),
            hide_index=True,
            width="stretch",
            height="auto" if shown <= 10 else 560,  # no empty rows under a short view
            key="catalog_grid",
            on_select="rerun",
            selection_mode="single-row",
        )
        rows = event.selection.rows
        if rows and rows[0] < shown:
            index = grid.index[rows[0]]
            product = table.loc[index]
            st.subheader(markdown_text(product["name"] or product["ps_id"]))
            details, pictures = st.columns([3, 2])
            details.dataframe(
                product_details(
                    data.snapshot.loc[index],
                    product,
                    see_costs=see_costs,
                    variants=s2s.by_product.get(product["ps_id"], ()),
                    tiers=s2s.tiers,
                ),
                hide_index=True,
                height="content",
            )
            for check in row_issues(flags, index):
                details.warning(f"**{check.label}.** {check.explanation}")
            with pictures:
                try:
                    images = product_images(client, client.base_url, product["ps_id"])
                except PleasureStockError as error:
                    show_error(error, failed="The product's images could not be loaded.")
                else:
                    if images:
                        st.image(images, width=160)
                    else:
                        st.caption("PleasureStock has no images of this product.")
            history = product_sales_history(ctx.session_factory, product["ps_id"])
            if history:
                st.markdown("**Sales sent to PleasureStock**")
                st.plotly_chart(sales_history_figure(history), width="stretch")
            else:
                st.caption("No sales of this product have been uploaded yet.")
        else:
            st.caption("Select a row to see all of the product's fields and its images.")

if chart_tabs and chart_tabs[0].open:
    with chart_tabs[0]:
        view = data.grid[mask]
        points, left_out = price_points(view, language)
        st.markdown("**TSP against TCC, in TRY**")
        st.plotly_chart(price_scatter(points), width="stretch")
        if left_out:
            what = "product is" if left_out == 1 else "products are"
            st.caption(
                f"{left_out:,} {what} not plotted for want of a TCC or TSP in TRY "
                "(disabled, or no rate)."
            )
        st.markdown("**Margin as % of TSP, per category**")
        st.plotly_chart(margin_boxes(margin_summary(view, language)), width="stretch")

if sources_tab.open:
    with sources_tab:
        comparison = comparison_data(
            ctx.session_factory,
            table,
            board,
            (snapshot.product_count, snapshot.fetched_at, rates_key(board)),
            comparison_key(ctx.session_factory),
            ctx.settings.psrestful_inventory_max_age_hours,
            ctx.settings.price2b_currency is not None,
            now.replace(second=0, microsecond=0),
        )
        compare_tab(comparison, see_costs=see_costs, now=now)
