"""Reorder page widgets: the editable proposal (edits kept per product), totals, charts,
exports, settings and overstock."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from lib.access.policy import hide_cost_columns
from lib.catalog.suppliers import name_column, names_in
from lib.export import to_csv, to_xlsx
from lib.money import round_money
from lib.reorder.edits import LineEdit, apply_edits, updated_edits
from lib.reorder.proposal import (
    Rate,
    overstock,
    stock_cover,
    supplier_totals,
    uncounted_lines,
    with_line_amounts,
)
from lib.reorder.settings import SettingsError, SupplierSettings, save_reorder_settings
from lib.sources.own_stock import OwnStock
from lib.ui.charts import reorder_product_figure, supplier_cost_figure
from lib.ui.resources import AppContext
from lib.ui.shell import current_actor, current_user, hide_costs
from lib.ui.widgets import markdown_text

EDITOR = "reorder_editor"  # holds the key of the editor showing the current rows
EDITS = "reorder_edits"  # ps id -> LineEdit: the manager's edits, kept for the session
EDITOR_GENERATION = "reorder_editor_generation"  # bumped by "Reset", so the editor starts over

COLUMNS = {
    "include": "Include",
    "name": "Product",
    "sku": "SKU",
    "category_name": "Category",
    "supplier": "Supplier",
    "abc": "ABC",
    "stock": "Stock",
    "own_on_hand": "Own on hand",
    "own_reserved": "Own reserved",
    "own_available": "Own available",
    "own_check": "Own stock check",
    "avg_daily_sales": "Avg daily sales",
    "days_of_cover": "Days of cover",
    "stockout_date": "Stock-out",
    "recommended": "Recommended (API)",
    "on_order": "On order",
    "quantity": "Quantity",
    "our_quantity": "Our quantity",
    "method": "Safety stock method",
    "flag": "Check",
    "accuracy_level": "Accuracy",
    "unit_tcc": "Unit TCC",
    "tcc_currency": "Currency",
    "line_cost": "Line cost",
    "line_cost_try": "Line cost TRY",
    "tsp_revenue_try": "TSP revenue TRY",
    "supplier_code": "PSRESTful supplier",
    "supplier_available": "Supplier available",
    "supplier_unit_cost": "Supplier unit cost",
    "supplier_cost_kind": "Supplier cost kind",
    "supplier_currency": "Supplier currency",
    "supplier_unit_cost_try": "Supplier unit cost TRY",
    "units_to_next_break": "Units to next break",
}
MONEY = (
    "unit_tcc",
    "line_cost",
    "line_cost_try",
    "tsp_revenue_try",
    "supplier_unit_cost",
    "supplier_unit_cost_try",
)
# A TRY figure is missing for lack of a rate when the amount it comes from exists.
TRY_SOURCES = {"line_cost_try": "unit_tcc", "tsp_revenue_try": "unit_tsp"}


def money_text(amount: Decimal | None) -> str:
    """``11,488.90``; a dash when there is no amount. Amounts are already rounded once."""
    return "—" if amount is None else f"{amount:,.2f}"


def unit_text(amount: Decimal | None) -> str:
    """A unit price with every digit it has, but at least two: ``0.333``, ``2.50``."""
    if amount is None:
        return "—"
    digits = amount.normalize()
    return f"{amount:,.2f}" if digits.as_tuple().exponent >= -2 else f"{digits:,f}"


def not_counted(frame: pd.DataFrame) -> str:
    """`` 3 lines without a TRY cost (2 with no USD rate, 1 with no TCC)``, or ``""``."""
    gaps = uncounted_lines(frame)
    if not gaps:
        return ""
    listed = ", ".join(f"{count} with {reason}" for reason, count in gaps.items())
    return f" {sum(gaps.values())} lines without a TRY cost ({listed})"


def totals_table(totals: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Per-supplier totals for reading: suppliers by name (``names``: id -> name), money as
    text rounded once, in plain column names (the purchase and cost columns are hidden from
    roles that may not see costs)."""
    return pd.DataFrame(
        {
            "Supplier": name_column(totals["supplier"], names),
            "Lines": totals["lines"],
            "Units": totals["units"],
            "Landed cost (TCC) TRY": totals["cost_try"].map(money_text),
            "Lines without TRY cost": totals["uncounted"],
            "Currency": totals["currency"],
            "Purchase total (supplier price)": totals["purchase_total"].map(money_text),
            "Purchase total TRY": totals["purchase_total_try"].map(money_text),
        }
    )


def show_budget(ticked: pd.DataFrame, shown: pd.DataFrame, budget: int) -> None:
    """What the ticked lines cost of the budget, and the lines it could not count."""
    spent = sum((v for v in ticked["line_cost_try"] if v is not None), Decimal(0))
    gaps = not_counted(shown)
    left_out = f" Not counted, so not ticked by the budget:{gaps}." if gaps else ""
    st.markdown(f"Selected **{spent:,.2f} TRY** of a {budget:,.0f} TRY budget.{left_out}")


def accuracy_level(value: float | None) -> str:
    """The API's forecast accuracy as a coloured level."""
    if value is None or pd.isna(value):
        return "⚪ unknown"
    if value >= 0.8:
        return f"🟢 high ({value:.0%})"
    if value >= 0.6:
        return f"🟡 medium ({value:.0%})"
    return f"🔴 low ({value:.0%})"


def own_check(linked: bool, on_hand: object, disagrees: bool) -> str:
    """Our stock against the recommendation's: ``⚠ differs``, ``unknown`` (linked, but
    not read that day or a warehouse unknown), or blank (agrees, or not linked)."""
    if disagrees:
        return "⚠ differs"
    return "unknown" if linked and pd.isna(on_hand) else ""


def proposal_table(proposal: pd.DataFrame, include: pd.Series) -> pd.DataFrame:
    """The proposal in the editor's columns, money as exact Decimals (what exports write)."""
    frame = proposal.assign(
        include=include,
        accuracy_level=proposal["accuracy"].map(accuracy_level),
        flag=proposal["disagrees"].map(lambda d: "⚠ differs" if d else ""),
        own_check=[
            own_check(linked, on_hand, disagrees)
            for linked, on_hand, disagrees in zip(
                proposal["own_linked"],
                proposal["own_on_hand"],
                proposal["own_disagrees"],
                strict=True,
            )
        ],
    )
    return frame[list(COLUMNS)].rename(columns=COLUMNS)


def _try_text(amount: Decimal | None, source: Decimal | None) -> str:
    if amount is None and source is not None:
        return "no rate"
    return money_text(amount)


def display_frame(proposal: pd.DataFrame, include: pd.Series) -> pd.DataFrame:
    """``proposal_table`` for reading: money as text rounded once, "no rate" where a TRY
    figure is missing because its currency has no rate."""
    frame = proposal_table(proposal, include)
    frame[COLUMNS["unit_tcc"]] = proposal["unit_tcc"].map(unit_text)
    frame[COLUMNS["line_cost"]] = proposal["line_cost"].map(money_text)
    for column, source in TRY_SOURCES.items():
        frame[COLUMNS[column]] = [
            _try_text(amount, unit)
            for amount, unit in zip(proposal[column], proposal[source], strict=True)
        ]
    frame[COLUMNS["supplier_unit_cost"]] = proposal["supplier_unit_cost"].map(unit_text)
    # Only a line with a supplier price can lack its TRY value for want of a rate.
    frame[COLUMNS["supplier_unit_cost_try"]] = [
        _try_text(None if amount is None else round_money(amount), unit)
        for amount, unit in zip(
            proposal["supplier_unit_cost_try"], proposal["supplier_unit_cost"], strict=True
        )
    ]
    return frame


def _money_columns() -> dict[str, Any]:
    return {COLUMNS[column]: st.column_config.TextColumn(alignment="right") for column in MONEY}


def _edits() -> dict[str, LineEdit]:
    return st.session_state.setdefault(EDITS, {})


def reset_edits() -> None:
    """Forget every edited quantity and tick; the editor starts from the proposal again."""
    st.session_state[EDITS] = {}
    st.session_state[EDITOR_GENERATION] = st.session_state.get(EDITOR_GENERATION, 0) + 1


def proposal_editor(
    proposal: pd.DataFrame, include: pd.Series, with_offers: Callable[[pd.DataFrame], pd.DataFrame]
) -> pd.DataFrame:
    """The editable table; returns the proposal with the chosen quantities (0 when unticked),
    line amounts and supplier offers (``with_offers``, at each line's quantity) recomputed.
    Edits are kept per product for the session, so a filter change does not lose them."""
    edits = _edits()
    current = with_offers(apply_edits(proposal, include, edits))
    shown = hide_costs(display_frame(current, current["include"]))
    # The editor keeps its own edits by row position: a key per set of rows stops an edit
    # made before a filter changed from landing on another product.
    rows = hashlib.sha256("|".join(proposal["ps_id"]).encode()).hexdigest()[:16]
    generation = st.session_state.get(EDITOR_GENERATION, 0)
    st.session_state[EDITOR] = f"{EDITOR}-{generation}-{rows}"
    edited = st.data_editor(
        shown,
        key=st.session_state[EDITOR],
        hide_index=True,
        width="stretch",
        disabled=[c for c in shown.columns if c not in ("Include", "Quantity")],
        column_config={
            "Include": st.column_config.CheckboxColumn(help="Untick to leave the line out"),
            "Quantity": st.column_config.NumberColumn(min_value=0, step=1, format="%d"),
            "Avg daily sales": st.column_config.NumberColumn(format="%.2f"),
            "Days of cover": st.column_config.NumberColumn(format="%.1f"),
            **_money_columns(),
        },
    )
    quantity = pd.to_numeric(edited["Quantity"], errors="coerce").fillna(0).clip(lower=0)
    quantity = quantity.astype(int).reset_index(drop=True)
    ticked = edited["Include"].astype(bool).reset_index(drop=True)
    edits = updated_edits(proposal, include, quantity, ticked, edits)
    st.session_state[EDITS] = edits
    if edits:
        note, reset = st.columns([4, 1], vertical_alignment="center")
        note.caption(
            f"{len(edits)} line{'s' if len(edits) != 1 else ''} edited (quantity or tick "
            "differs from the proposal), kept while you change filters."
        )
        reset.button("Reset edits", icon=":material/undo:", on_click=reset_edits)
    chosen = proposal.assign(quantity=quantity.where(ticked, 0).to_numpy())
    return with_offers(with_line_amounts(chosen))


def show_supplier_totals(chosen: pd.DataFrame) -> pd.DataFrame:
    """Per supplier: lines, units, landed cost (TCC) and order total at the supplier's
    price, with a bar chart of the landed cost in TRY."""
    totals = supplier_totals(chosen)
    names = names_in(chosen)
    st.dataframe(hide_costs(totals_table(totals, names)), hide_index=True, width="stretch")
    shown = hide_costs(totals)
    if "cost_try" in shown.columns and not shown.empty:
        suppliers = name_column(shown["supplier"], names)
        st.plotly_chart(supplier_cost_figure(suppliers, shown["cost_try"]), width="stretch")
    return totals


def product_chart(row: pd.Series, history: pd.DataFrame, today: date) -> None:
    """Sales history with stockout days marked, our forecast and the projected stock."""
    st.plotly_chart(reorder_product_figure(row, history, today), width="stretch")


def own_stock_detail(stock: OwnStock | None, day: date) -> None:
    """Our stock of the product per Price2B warehouse on ``day`` (names as text)."""
    if stock is None:
        st.caption("Not linked to a Price2B product, so no own stock is shown.")
        return
    if not stock.warehouses:
        st.caption(f"Linked to Price2B, but its stock was not read on {day}: unknown.")
        return
    st.markdown(f"**Own stock per Price2B warehouse on {day}**")
    st.dataframe(
        pd.DataFrame(
            {
                "Warehouse": [w.warehouse_name for w in stock.warehouses],
                "On hand": pd.array([w.on_hand for w in stock.warehouses], dtype="Int64"),
                "Reserved": pd.array([w.reserved for w in stock.warehouses], dtype="Int64"),
                "Available": pd.array([w.available for w in stock.warehouses], dtype="Int64"),
            }
        ),
        hide_index=True,
    )


def export_buttons(chosen: pd.DataFrame, day: date) -> None:
    """CSV and Excel of the proposal as edited, money as exact Decimals, costs hidden for
    roles without them."""
    frame = proposal_table(chosen, chosen["quantity"] > 0)
    roles = current_user().roles
    csv, xlsx = st.columns(2)
    csv.download_button(
        "Proposal (CSV)",
        lambda: to_csv(hide_cost_columns(frame, roles)),
        file_name=f"stockdesk-reorder-{day}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    xlsx.download_button(
        "Proposal (Excel)",
        lambda: to_xlsx(hide_cost_columns(frame, roles), sheet_name=f"Reorder {day}"),
        file_name=f"stockdesk-reorder-{day}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        on_click="ignore",
    )


def settings_editor(
    context: AppContext,
    suppliers: Mapping[str, str],
    default: SupplierSettings,
    per_supplier: dict[str, SupplierSettings],
    *,
    can_save: bool,
) -> None:
    """The defaults ('*') and each supplier's settings (``suppliers``: id -> name), editable
    and saved on request."""
    table = pd.DataFrame(
        [
            {
                "supplier": key,
                "name": "defaults" if key == "*" else suppliers[key],
                "lead_time_days": value.lead_time_days,
                "service_level": value.service_level,
                "review_period_days": value.review_period_days,
                "moq": value.moq,
                "case_pack": value.case_pack,
            }
            for key, value in [
                ("*", default),
                *((s, per_supplier.get(s, default)) for s in suppliers),
            ]
        ]
    )
    st.caption("Row * holds the defaults; a supplier row overrides them once saved.")
    edited = st.data_editor(
        table, key="reorder_settings_editor", hide_index=True, disabled=["supplier", "name"]
    )
    if can_save and st.button("Save settings", icon=":material/save:"):
        # The defaults, suppliers that already have settings, and rows changed now.
        changed = edited[
            (edited["supplier"] == "*")
            | edited.ne(table).any(axis=1)
            | edited["supplier"].isin(list(per_supplier))
        ]
        try:
            save_reorder_settings(
                context.session_factory, changed.to_dict("records"), actor=current_actor()
            )
        except SettingsError as error:
            st.error(f"{markdown_text(error)}. Nothing was saved.", icon=":material/error:")
        else:
            st.rerun()


def show_overstock(
    ours: pd.DataFrame, catalog: pd.DataFrame, rate: Rate, *, sees_costs: bool
) -> None:
    """Products with more days of cover than the chosen threshold and the TRY tied up."""
    threshold = st.number_input("Days of cover above", min_value=1, value=90, step=10)
    over = overstock(stock_cover(ours, catalog), threshold, rate)
    if over.empty:
        st.caption("No product has more cover than that.")
        return
    tied = sum((v for v in over["tied_up_try"] if v is not None), Decimal(0))
    money = f", {tied:,.2f} TRY tied up at cost." if sees_costs else "."
    st.markdown(f"**{len(over)} products**{money}")
    view = over[["name", "sku", "supplier", "stock", "days_of_cover"]].assign(
        tied_up_try=[
            _try_text(amount, unit)
            for amount, unit in zip(over["tied_up_try"], over["tcc_total_cost"], strict=True)
        ]
    )
    st.dataframe(
        hide_costs(view.rename(columns={"tied_up_try": "Tied up cost TRY"})),
        hide_index=True,
        column_config={"Tied up cost TRY": st.column_config.TextColumn(alignment="right")},
    )
