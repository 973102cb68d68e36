"""Reorder page widgets: the editable proposal, charts, exports and the order dialog."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib.access import Action, can, hide_cost_columns
from lib.db import UnitOfWork
from lib.export import to_csv, to_xlsx
from lib.pleasurestock import PleasureStockError
from lib.pleasurestock.models import OrderLine
from lib.reorder.forecast import projected_stock
from lib.reorder.ordering import Placement, new_external_order_id, order_lines, place_orders
from lib.reorder.proposal import (
    SupplierSettings,
    overstock,
    stock_cover,
    supplier_totals,
    with_line_amounts,
)
from lib.suppliers import name_column, names_in, supplier_label
from lib.ui.loaders import clear_order_caches
from lib.ui.reorder_data import save_settings
from lib.ui.resources import AppContext
from lib.ui.shell import current_actor, current_user, hide_costs

EDITOR = "reorder_editor"  # holds the key of the editor showing the current rows
PENDING = "reorder_pending"
RESULT = "reorder_result"
CONFIRM = "reorder_confirm"

COLUMNS = {
    "include": "Include",
    "name": "Product",
    "sku": "SKU",
    "category_name": "Category",
    "supplier": "Supplier",
    "abc": "ABC",
    "stock": "Stock",
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
}
MONEY = ("unit_tcc", "line_cost", "line_cost_try", "tsp_revenue_try")


def accuracy_level(value: float | None) -> str:
    """The API's forecast accuracy as a coloured level."""
    if value is None or pd.isna(value):
        return "⚪ unknown"
    if value >= 0.8:
        return f"🟢 high ({value:.0%})"
    if value >= 0.6:
        return f"🟡 medium ({value:.0%})"
    return f"🔴 low ({value:.0%})"


def display_frame(proposal: pd.DataFrame, include: pd.Series) -> pd.DataFrame:
    """The proposal in the editor's columns; money as display-only floats."""
    frame = proposal.assign(
        include=include,
        accuracy_level=proposal["accuracy"].map(accuracy_level),
        flag=proposal["disagrees"].map(lambda d: "⚠ differs" if d else ""),
    )
    for column in MONEY:
        frame[column] = frame[column].map(lambda v: float(v) if v is not None else None)
    return frame[list(COLUMNS)].rename(columns=COLUMNS)


def proposal_editor(proposal: pd.DataFrame, include: pd.Series) -> pd.DataFrame:
    """The editable table; returns the proposal with the chosen quantities (0 when unticked)
    and line amounts recomputed."""
    shown = hide_costs(display_frame(proposal, include))
    # The editor keeps edits by row position: a key per set of rows stops an edit made
    # before a filter changed from landing on another product.
    rows = hashlib.sha256("|".join(proposal["ps_id"]).encode()).hexdigest()[:16]
    st.session_state[EDITOR] = f"{EDITOR}-{rows}"
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
        },
    )
    quantity = pd.to_numeric(edited["Quantity"], errors="coerce").fillna(0).clip(lower=0)
    chosen = proposal.assign(
        quantity=quantity.astype(int).where(edited["Include"].astype(bool), 0).to_numpy()
    )
    return with_line_amounts(chosen)


def show_supplier_totals(chosen: pd.DataFrame) -> pd.DataFrame:
    """Lines, units and TRY cost per supplier, with a bar chart of the order value."""
    totals = supplier_totals(chosen)
    shown = totals.assign(
        supplier=name_column(totals["supplier"], names_in(chosen)),
        cost_try=totals["cost_try"].map(float),
    ).rename(
        columns={"supplier": "Supplier", "lines": "Lines", "units": "Units", "cost_try": "Cost TRY"}
    )
    shown = hide_costs(shown)
    st.dataframe(shown, hide_index=True, width="stretch")
    if "Cost TRY" in shown.columns and not shown.empty:
        figure = go.Figure(go.Bar(x=shown["Supplier"], y=shown["Cost TRY"]))
        figure.update_layout(title="Order value per supplier (TRY)", height=300)
        st.plotly_chart(figure, width="stretch")
    return totals


def product_chart(row: pd.Series, history: pd.DataFrame, today: date) -> None:
    """Sales history with stockout days marked, our forecast and the projected stock."""
    own = history[history["ps_id"] == row["ps_id"]].sort_values("day")
    figure = go.Figure()
    figure.add_bar(x=pd.to_datetime(own["day"]), y=own["quantity"], name="Sold")
    stockouts = own[own["stock_on_hand"] == 0]
    figure.add_scatter(
        x=pd.to_datetime(stockouts["day"]),
        y=[0] * len(stockouts),
        mode="markers",
        marker={"symbol": "x", "color": "red", "size": 9},
        name="Stockout day",
    )
    horizon = int(row["lead_time_days"] + row["review_period_days"]) or 1
    rate = float(row["forecast_horizon"]) / horizon if pd.notna(row["forecast_horizon"]) else 0.0
    ahead = projected_stock(
        float(row["stock"]), rate, int(row["lead_time_days"]), int(row["quantity"]), today, horizon
    )
    days = pd.to_datetime(ahead["day"])
    figure.add_scatter(x=days, y=ahead["forecast"], name="Forecast", line={"dash": "dash"})
    figure.add_scatter(x=days, y=ahead["projected_stock"], name="Projected stock")
    figure.update_layout(title=str(row["name"]), height=350)
    st.plotly_chart(figure, width="stretch")


def export_buttons(chosen: pd.DataFrame, day: date) -> None:
    """CSV and Excel of the proposal as edited, costs hidden for roles without them."""
    frame = display_frame(chosen, chosen["quantity"] > 0)
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


def _lines_record(lines: list[OrderLine]) -> list[dict[str, Any]]:
    return [{"ps_id": line.ps_id, "quantity": line.quantity} for line in lines]


def send_orders(
    context: AppContext,
    lines: list[OrderLine],
    external_id: str,
    *,
    actor: str,
    check_first: bool,
) -> None:
    """Place the orders (see ``place_orders``), audit the outcome and keep it for the page."""
    try:
        placement = place_orders(context.client, lines, external_id, check_first=check_first)
    except PleasureStockError as error:
        st.session_state[PENDING] = {
            "id": external_id,
            "lines": _lines_record(lines),
            "error": str(error),
        }
        return
    with UnitOfWork(context.session_factory) as uow:
        names = uow.suppliers.names()  # the creation answer gives supplier ids only
    orders = [
        {
            "order_number": order.order_number,
            "supplier": order.supplier_name or supplier_label(order.supplier_id, names),
            "total": order.total_amount,
            "currency": order.currency,
            "status": order.status,
        }
        for order in placement.orders
    ]
    with UnitOfWork(context.session_factory) as uow:
        uow.audit.record(
            actor, f"reorder.orders_{placement.status}", "purchase_order", external_id, after=orders
        )
        uow.commit()
    if placement.status == "unknown":
        st.session_state[PENDING] = {"id": external_id, "lines": _lines_record(lines)}
    else:
        st.session_state.pop(PENDING, None)
        st.session_state[RESULT] = {"placement": placement, "orders": orders}
        clear_order_caches()


def open_confirmation() -> None:
    """Keep the confirmation dialog open across reruns until it is sent or dismissed."""
    st.session_state[CONFIRM] = True


def close_confirmation() -> None:
    """Close the confirmation dialog."""
    st.session_state.pop(CONFIRM, None)


def confirmation_open() -> bool:
    """True while the confirmation dialog should be shown."""
    return bool(st.session_state.get(CONFIRM))


@st.dialog("Create orders", width="large", on_dismiss=close_confirmation)
def confirm_dialog(context: AppContext, chosen: pd.DataFrame) -> None:
    """Suppliers, lines and totals; nothing is sent until "Send orders" is clicked."""
    actor, roles = current_actor(), current_user().roles
    totals = supplier_totals(chosen)
    total = sum(totals["cost_try"], Decimal(0))
    cost = f", {total:,.2f} TRY at cost" if can(roles, Action.SEE_COSTS) else ""
    st.markdown(
        f"**{int(totals['lines'].sum())} lines** for **{len(totals)} suppliers**, "
        f"{int(totals['units'].sum())} units{cost}."
    )
    st.dataframe(
        hide_cost_columns(
            totals.assign(
                supplier=name_column(totals["supplier"], names_in(chosen)),
                cost_try=totals["cost_try"].map(float),
            ),
            roles,
        ),
        hide_index=True,
    )
    send, cancel = st.columns(2)
    if cancel.button("Cancel", icon=":material/close:"):
        close_confirmation()
        st.rerun()
    if send.button("Send orders", type="primary", icon=":material/send:"):
        close_confirmation()
        external_id = new_external_order_id()
        lines = order_lines(chosen)
        # Stored before sending, so a lost answer can always be looked up by this id.
        with UnitOfWork(context.session_factory) as uow:
            uow.audit.record(
                actor,
                "reorder.orders_requested",
                "purchase_order",
                external_id,
                after=_lines_record(lines),
            )
            uow.commit()
        send_orders(context, lines, external_id, actor=actor, check_first=False)
        st.rerun()


def show_outcome(context: AppContext) -> None:
    """Created orders of the last request, or the request whose outcome is unknown."""
    result = st.session_state.get(RESULT)
    if result is not None:
        placement: Placement = result["placement"]
        verb = "Created" if placement.status == "created" else "Found already placed:"
        st.success(
            f"{verb} {len(placement.orders)} orders under {placement.external_order_id}.",
            icon=":material/check_circle:",
        )
        st.dataframe(pd.DataFrame(result["orders"]), hide_index=True)
    pending = st.session_state.get(PENDING)
    if pending is not None:
        st.warning(
            f"The outcome of order request {pending['id']} is unknown and no order carrying "
            "this id was found. Check again before sending: a retry looks the id up first "
            "and sends nothing if the orders exist."
            + (f" Last error: {pending['error']}" if pending.get("error") else ""),
            icon=":material/help:",
        )
        if st.button("Check and retry", icon=":material/refresh:"):
            lines = [OrderLine(**line) for line in pending["lines"]]
            send_orders(context, lines, pending["id"], actor=current_actor(), check_first=True)
            st.rerun()


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
            save_settings(context, changed, actor=current_actor())
        except ValueError as error:
            st.error(f"{error}. Nothing was saved.", icon=":material/error:")
        else:
            st.rerun()


def show_overstock(
    ours: pd.DataFrame, catalog: pd.DataFrame, rate: Callable[[str], Decimal], *, sees_costs: bool
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
    view = over[["name", "sku", "supplier", "stock", "days_of_cover", "tied_up_try"]].assign(
        tied_up_try=over["tied_up_try"].map(lambda v: float(v) if v is not None else None)
    )
    st.dataframe(
        hide_costs(view.rename(columns={"tied_up_try": "Tied up cost TRY"})), hide_index=True
    )
