"""The Catalog page's widgets: the filter sidebar, the grid's formats, product details."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from lib.access.policy import Roles, hide_cost_columns, is_cost_column
from lib.catalog.filters import (
    SOURCE_LABELS,
    SWITCH_LABELS,
    CatalogFilters,
    MoneyRange,
    filter_options,
    named_supplier_ids,
    translate_categories,
    unknown_link_values,
)
from lib.catalog.quality import CHECKS, CHECKS_BY_KEY
from lib.catalog.source_prices import FIXED_LABELS, LinkedVariant, tier_label
from lib.catalog.table import (
    COLUMN_LABELS,
    MONEY_CURRENCY_COLUMNS,
    TRY_COLUMNS,
    CategoryLanguage,
    labelled,
)
from lib.export import XLSX_MIME, to_csv, to_xlsx
from lib.ui.widgets import format_money, markdown_text, number_format

# Money columns with a from/to filter, and how the sidebar names them.
RANGES = {"price": "Price", "tcc_try": "TCC (TRY)", "tsp_try": "TSP (TRY)"}
# How a warning about a source value in a link names the ones there are.
_SOURCE_CHOICES = " and ".join(f"'{label}'" for label in SOURCE_LABELS.values())
# Session-state key (and URL query parameter) of the data-quality filter.
ISSUE_KEY = "issue"


def filter_sidebar(grid: pd.DataFrame) -> tuple[CatalogFilters, str | None]:
    """The filter widgets in the sidebar, each bound to a URL query parameter of its key.

    ``grid`` supplies the choices (its typed text columns are quick to scan). Returns the
    filters and the chosen data-quality check key (None for any). A link value the
    catalog does not offer (an old category name…) is named in a warning.
    """
    with st.sidebar:
        st.subheader("Filters")
        russian = st.toggle(
            "Category names in Russian",
            key="russian",
            bind="query-params",
            on_change=_translate_categories,
            args=(grid,),
        )
        language = "ru" if russian else "en"
        options = filter_options(grid, language)
        # Streamlit drops link values a bound widget does not offer: read them first.
        unknown = unknown_link_values(
            {
                key: st.query_params.get_all(key)
                for key in ("category", "supplier", "currency", "source")
            },
            options,
        )
        choices = {
            key: tuple(
                st.multiselect(label, offered, key=key, bind="query-params", placeholder="All")
            )
            for key, label, offered in (
                ("category", "Category", options.categories),
                ("supplier", "Supplier", options.suppliers),
                ("currency", "Currency", options.currencies),
            )
        }
        # Link values are anyone's text: shown escaped, never as markdown.
        renamed = named_supplier_ids(grid, unknown.get("supplier", ()))
        for supplier_id, name in renamed.items():
            st.warning(
                f"The link asks for supplier '{markdown_text(supplier_id)}' by its id; the "
                f"Supplier filter lists it by its name, '{markdown_text(name)}': pick it there.",
                icon=":material/link_off:",
            )
        unknown["supplier"] = [v for v in unknown.get("supplier", []) if v not in renamed]
        for key, values in unknown.items():
            if not values:
                continue
            asked = ", ".join(f"'{markdown_text(value)}'" for value in values)
            offered = f" (the choices are {_SOURCE_CHOICES})" if key == "source" else ""
            st.warning(
                f"The link asks for {key} {asked}, which the catalog does not have{offered}; "
                "that part of the filter is ignored.",
                icon=":material/link_off:",
            )
        source = st.selectbox(
            "Source",
            list(SOURCE_LABELS),
            index=None,
            format_func=SOURCE_LABELS.get,
            key="source",
            bind="query-params",
            placeholder="All products",
            help="Products with or without a confirmed link to a Stock2Shop variant "
            "(Settings → Product links).",
        )
        switches = {
            key: st.segmented_control(
                key.upper(),
                list(SWITCH_LABELS),
                format_func=SWITCH_LABELS.get,
                default="any",
                key=key,
                bind="query-params",
            )
            or "any"
            for key in ("tcc", "tsp")
        }
        search = st.text_input(
            "Search", key="search", bind="query-params", placeholder="Name, SKU or ps id"
        )
        with st.expander("Price ranges"):
            st.caption("Price in the product's currency; TCC and TSP converted to TRY.")
            ranges = {column: _range_inputs(column, label) for column, label in RANGES.items()}
        issue = st.selectbox(
            "Data-quality issue",
            [check.key for check in CHECKS],
            index=None,
            format_func=lambda key: CHECKS_BY_KEY[key].label,
            key=ISSUE_KEY,
            bind="query-params",
            placeholder="Any",
        )
    filters = CatalogFilters(
        language=language,
        categories=choices["category"],
        suppliers=choices["supplier"],
        currencies=choices["currency"],
        tcc=switches["tcc"],
        tsp=switches["tsp"],
        search=search,
        ranges=ranges,
        source=source or "any",
    )
    return filters, issue


def _translate_categories(table: pd.DataFrame) -> None:
    """Keep the chosen categories when their names switch between English and Russian."""
    language = "ru" if st.session_state["russian"] else "en"
    chosen = st.session_state.get("category") or []
    st.session_state["category"] = translate_categories(chosen, table, language)


def _range_inputs(column: str, label: str) -> MoneyRange:
    low, high = st.columns(2)
    bounds = [
        place.number_input(
            f"{label} {side}",
            min_value=0.0,
            value=None,
            key=f"{column}_{suffix}",
            bind="query-params",
        )
        for place, side, suffix in ((low, "from", "min"), (high, "to", "max"))
    ]
    return MoneyRange.from_inputs(*bounds)


def show_issue(key: str) -> None:
    """Callback of a data-quality panel button: filter the view to that check's rows."""
    st.session_state[ISSUE_KEY] = key


def export_buttons(
    table: pd.DataFrame, mask: pd.Series, language: CategoryLanguage, roles: Roles, *, day: date
) -> None:
    """ "Export CSV" and "Export Excel" of the ``table`` rows in ``mask``, without the columns
    ``roles`` may not see.

    The files are built only when clicked (50,000 rows take seconds), after this script
    run has ended and with no user to ask: everything they need is passed in here.
    """

    def rows() -> pd.DataFrame:
        return hide_cost_columns(labelled(table[mask], language), roles)

    csv_button, xlsx_button = st.columns(2)
    csv_button.download_button(
        "Export CSV",
        data=lambda: to_csv(rows()),
        file_name=f"catalog-{day}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    xlsx_button.download_button(
        "Export Excel",
        data=lambda: to_xlsx(rows(), sheet_name="Catalog"),
        file_name=f"catalog-{day}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
    )


def grid_column_config(view: pd.DataFrame, tiers: Iterable[str] = ()) -> dict[str, Any]:
    """Column formats for labelled grid rows: 2 decimals, a currency symbol where one applies.

    A money column gets its currency's symbol when every shown row has the same currency;
    otherwise the currency column beside it says which. ``tiers`` names the Stock2Shop
    tiers the table has a column for.
    """
    config: dict[str, Any] = {
        COLUMN_LABELS[column]: st.column_config.NumberColumn(
            format=number_format(_only_currency(view[COLUMN_LABELS[currency]]))
        )
        for column, currency in MONEY_CURRENCY_COLUMNS.items()
    }
    config |= {
        COLUMN_LABELS[column]: st.column_config.NumberColumn(format=number_format("TRY"))
        for column in TRY_COLUMNS
    }
    config[COLUMN_LABELS["margin_pct"]] = st.column_config.NumberColumn(format="%.2f%%")
    config[COLUMN_LABELS["tcc_coefficient"]] = st.column_config.NumberColumn(format="%.4g")
    if FIXED_LABELS["s2s_currency"] in view.columns:
        s2s_format = number_format(_only_currency(view[FIXED_LABELS["s2s_currency"]]))
        config |= {
            label: st.column_config.NumberColumn(format=s2s_format)
            for label in (FIXED_LABELS["s2s_price"], *map(tier_label, tiers))
            if label in view.columns
        }
    return config


def product_details(
    snapshot_row: pd.Series,
    table_row: pd.Series,
    *,
    see_costs: bool,
    variants: Sequence[LinkedVariant] = (),
    tiers: Sequence[str] = (),
) -> pd.DataFrame:
    """Every stored field of one product and its computed values, as Field/Value text rows
    (without costs, TCC and margins for a user who may not see them), then each linked
    Stock2Shop variant with its price and every one of ``tiers`` (unknown as a dash)."""
    t, raw = table_row, snapshot_row
    rows: list[tuple[str, Any]] = [
        ("ps id", t["ps_id"]),
        ("UUID", raw["uuid"]),
        ("SKU", t["sku"]),
        ("Name", t["name"]),
        ("Description", raw["description"]),
        ("Category (English)", t["category_en"]),
        ("Category (Russian)", t["category_ru"]),
        ("Category id", raw["category_id"]),
        ("Supplier", t["supplier"]),
        ("Supplier id", t["supplier_id"]),
        ("Price", format_money(t["price"], t["currency"])),
        ("TCC enabled", t["tcc_enabled"]),
        ("TCC coefficient", t["tcc_coefficient"]),
        ("TCC", format_money(t["tcc"], t["tcc_currency"])),
        ("TSP enabled", t["tsp_enabled"]),
        ("TSP", format_money(t["tsp"], t["tsp_currency"])),
        ("TSP formula", t["tsp_formula"]),
        ("Margin", format_money(t["margin"], t["tsp_currency"])),
        ("Margin %", None if t["margin_pct"] is None else f"{t['margin_pct']}%"),
        ("TCC (TRY)", format_money(t["tcc_try"], "TRY")),
        ("TSP (TRY)", format_money(t["tsp_try"], "TRY")),
        ("TRY note", t["try_note"]),
        ("Created", raw["created_at"]),
        ("Updated", raw["updated_at"]),
    ]
    for number, variant in enumerate(variants, start=1):
        rows += _variant_rows(
            variant, tiers, f" ({number} of {len(variants)})" * (len(variants) > 1)
        )
    return pd.DataFrame(
        [
            (label, _text(value))
            for label, value in rows
            if see_costs or not is_cost_column(label.replace(" ", "_"))
        ],
        columns=["Field", "Value"],
        dtype=object,
    )


def _variant_rows(
    variant: LinkedVariant, tiers: Sequence[str], suffix: str
) -> list[tuple[str, Any]]:
    """A linked Stock2Shop variant's detail rows; ``suffix`` tells several apart."""
    gone = "" if variant.in_snapshot else " (no longer in the Stock2Shop snapshot)"
    money = [("Stock2Shop price", variant.price)] + [
        (tier_label(name), variant.tiers.get(name)) for name in tiers
    ]
    return [
        ("Stock2Shop variant id" + suffix, variant.item_key + gone),
        ("Stock2Shop SKU" + suffix, variant.sku),
        *((label + suffix, format_money(amount, variant.currency)) for label, amount in money),
        ("Stock2Shop currency" + suffix, variant.currency or "not set (STOCK2SHOP_CURRENCY)"),
    ]


def _only_currency(currencies: pd.Series) -> str | None:
    codes = currencies.dropna().unique()
    return str(codes[0]) if len(codes) == 1 else None


def _text(value: Any) -> str:
    """Display text of one detail value: a dash for nothing, plain decimals, UTC times."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M} UTC"
    return str(value)
