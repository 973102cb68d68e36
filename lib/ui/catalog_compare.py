"""The Catalog's "Compare sources" tab: one row per confirmed link group with every
source's price in its own currency (as text, rounded once), the sources' data-quality
panel, and one source's stored items listed under their own source with an item's price
breaks in its details. Costs are left out for roles without SEE_COSTS."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from lib.catalog.compare import compare_labelled
from lib.catalog.source_catalogs import (
    BREAK_LABELS,
    LISTING_LABELS,
    SourceComparison,
    item_prices,
    source_comparison,
    source_listing,
)
from lib.catalog.source_quality import CHECKED_SOURCES, SOURCE_CHECKS, issue_counts
from lib.currency import RateBoard
from lib.export import XLSX_MIME, to_csv, to_xlsx
from lib.sources.records import PRICE2B, PSRESTFUL, STOCK2SHOP
from lib.ui.widgets import format_age, format_money

SOURCE_NAMES = {STOCK2SHOP: "Stock2Shop", PRICE2B: "Price2B", PSRESTFUL: "PSRESTful"}
# Compare amount column -> the column naming its currency (TRY columns: TRY).
_CURRENCY_OF = {
    "ps_price": "ps_currency",
    "tcc": "tcc_currency",
    "tsp": "tsp_currency",
    "s2s_price": "s2s_currency",
    "p2b_price": "p2b_currency",
    "psr_price": "psr_currency",
}
# Compare TRY column -> the amount it converts.
_TRY_OF = {f"{column}_try": column for column in _CURRENCY_OF}


@st.cache_resource(max_entries=2, show_spinner="Comparing the sources…")
def comparison_data(
    _session_factory: sessionmaker[Session],
    _ps_table: pd.DataFrame,
    _board: RateBoard,
    catalog_key: tuple[object, ...],
    sources_key: tuple[object, ...],
    inventory_max_age_hours: float,
    price2b_currency_set: bool,
    minute: datetime,
) -> SourceComparison:
    """The compare view and the sources' issues, built again when the catalog or rates
    (``catalog_key``), a source's sync or the links (``sources_key``) change, or on the
    ``minute`` (staleness is judged against it). Shared: never modify it."""
    return source_comparison(
        _session_factory,
        _ps_table,
        _board.rate,
        now=minute,
        max_inventory_age=timedelta(hours=inventory_max_age_hours),
        price2b_currency_set=price2b_currency_set,
    )


def compare_grid(frame: pd.DataFrame, *, see_costs: bool, now: datetime) -> pd.DataFrame:
    """The compare rows as a person reads them: amounts as text with their currency,
    rounded once ("no rate" where an amount has no TRY value), the supplier's
    availability age, and headings; currency columns folded into the amounts."""
    shown = frame.copy()
    for column, currency in _CURRENCY_OF.items():
        shown[column] = [
            format_money(a, c) for a, c in zip(frame[column], frame[currency], strict=True)
        ]
    for column, source in _TRY_OF.items():
        shown[column] = [
            format_money(t, "TRY") if t is not None else ("no rate" if a is not None else "—")
            for t, a in zip(frame[column], frame[source], strict=True)
        ]
    shown["supplier_as_of"] = [
        f"{format_age(now - at)} ago ({at:%Y-%m-%d %H:%M} UTC)" if at is not None else "—"
        for at in frame["supplier_as_of"]
    ]
    shown = shown.drop(columns=list(_CURRENCY_OF.values()))
    return compare_labelled(shown, see_costs=see_costs).map(_text)


def compare_tab(data: SourceComparison, *, see_costs: bool, now: datetime) -> None:
    """The tab: the compare grid with its exports, the data-quality panel, a source's items."""
    frame = data.frame
    st.caption(
        f"{len(frame):,} confirmed link groups. Each price is in the currency its source "
        "states; TRY only where a rate exists."
    )
    _export_buttons(frame, see_costs=see_costs, day=now.date())
    st.dataframe(
        compare_grid(frame, see_costs=see_costs, now=now),
        hide_index=True,
        width="stretch",
        key="compare_grid",
    )
    _quality_panel(data)
    _source_browser(data, see_costs=see_costs)


def _export_buttons(frame: pd.DataFrame, *, see_costs: bool, day: date) -> None:
    """CSV and Excel of the compare rows: exact Decimals, formula-escaped text."""
    rows = compare_labelled(frame, see_costs=see_costs)
    csv_button, xlsx_button = st.columns(2)
    csv_button.download_button(
        "Export compare CSV",
        data=lambda: to_csv(rows),
        file_name=f"catalog-compare-{day}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    xlsx_button.download_button(
        "Export compare Excel",
        data=lambda: to_xlsx(rows, sheet_name="Compare"),
        file_name=f"catalog-compare-{day}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
    )


def _quality_panel(data: SourceComparison) -> None:
    """A count per check, and the items of the chosen check with what was found."""
    st.subheader("Data quality of the sources")
    counts = issue_counts(data.issues)
    for column, check in zip(st.columns(len(SOURCE_CHECKS)), SOURCE_CHECKS, strict=True):
        column.metric(check.label, f"{counts[check.key]:,}", help=check.explanation)
    labels = {check.key: check.label for check in SOURCE_CHECKS}
    chosen = st.selectbox(
        "Show the items of", list(labels), format_func=labels.get, key="source_issue"
    )
    check = next(c for c in SOURCE_CHECKS if c.key == chosen)
    st.caption(check.explanation)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Source": SOURCE_NAMES[i.source],
                    "Item key": i.item_key,
                    "Name": i.name,
                    "Found": i.detail,
                }
                for i in data.issues
                if i.check == chosen
            ],
            columns=["Source", "Item key", "Name", "Found"],
        ),
        hide_index=True,
        width="stretch",
        key="source_issue_items",
    )


def _source_browser(data: SourceComparison, *, see_costs: bool) -> None:
    """One source's stored items under their own source; a selected item's prices."""
    st.subheader("Items by source")
    source = st.selectbox(
        "Source", CHECKED_SOURCES, format_func=SOURCE_NAMES.get, key="browse_source"
    )
    snapshot = data.snapshots[source]
    listing = source_listing(source, snapshot)
    if listing.empty:
        st.caption(f"No {SOURCE_NAMES[source]} snapshot is stored yet.")
        return
    grid = listing.copy()
    grid["price"] = [
        format_money(a, c) for a, c in zip(listing["price"], listing["currency"], strict=True)
    ]
    grid["as_of"] = [f"{at:%Y-%m-%d %H:%M} UTC" if at else None for at in listing["as_of"]]
    # A supplier's price is what the shop would pay; Price2B's price has no stated meaning.
    hidden = [] if see_costs or source == STOCK2SHOP else ["price", "price_kind", "price_quantity"]
    grid = grid.drop(columns=hidden).rename(columns=LISTING_LABELS).map(_text)
    event = st.dataframe(
        grid,
        hide_index=True,
        width="stretch",
        key="browse_grid",
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows
    if not rows or rows[0] >= len(listing):
        st.caption("Select a row to see the item's prices (each quantity break).")
        return
    key = listing.iloc[rows[0]]["item_key"]
    st.text(f"Prices of {key}")
    if hidden:
        st.caption("Prices are hidden: your role may not see costs.")
        return
    prices = item_prices(snapshot, key)
    prices["amount"] = [
        format_money(a, c) for a, c in zip(prices["amount"], prices["currency"], strict=True)
    ]
    st.dataframe(
        prices.rename(columns=BREAK_LABELS).map(_text),
        hide_index=True,
        key="browse_prices",
    )


def _text(value: object) -> str:
    """A cell as text; an unknown value as a dash (never "None" or a blank)."""
    return "—" if value is None else str(value)
