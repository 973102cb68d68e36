"""Order request widgets: unresolved requests with "Check and retry", "Create orders" with
the confirmation that stores and sends new requests, and what the last action ended with.

Requests live in the database and are sent by background jobs; the session only
remembers which ones the last click made, to say how they ended.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pandas as pd
import streamlit as st

from lib.access.policy import Action, can, hide_cost_columns
from lib.catalog.suppliers import names_in, stored_supplier_names, supplier_label
from lib.db import OrderRequestRecord
from lib.reorder.ordering import UnresolvedRequestError, lines_by_supplier, request_orders
from lib.reorder.proposal import supplier_totals
from lib.reorder.unresolved import (
    RequestStateError,
    check_and_retry,
    requests_by_id,
    unresolved_requests,
)
from lib.ui.loaders import clear_order_caches
from lib.ui.reorder_view import not_counted, totals_table
from lib.ui.resources import AppContext
from lib.ui.shell import current_actor, current_user
from lib.ui.widgets import Confirmation, markdown_text

LAST_ACTION = "order_requests_last_action"  # ids of the requests the last click made or checked
# How often (s) the page reads the requests being sent from the database.
PROGRESS_EVERY = 2.0
IN_BACKGROUND = (
    "Orders are sent in the background: you can close this page or switch pages; each "
    "request is sent once, and this page shows how it ended when you come back."
)
CREATE_ORDERS = Confirmation("reorder_confirm", "Create orders", cancel="Cancel", width="large")


def _what(record: OrderRequestRecord, names: Mapping[str, str]) -> str:
    lines = len(record.lines)
    return (
        f"order request {record.external_order_id} for supplier "
        f"{supplier_label(record.supplier_id, names)} "
        f"({lines} line{'s' if lines != 1 else ''}, {record.units} units, by "
        f"{record.requested_by} at {record.requested_at:%Y-%m-%d %H:%M} UTC)"
    )


def order_requests_panel(context: AppContext) -> list[OrderRequestRecord]:
    """How the last order action ended, then every unresolved order request, each with
    "Check and retry" for roles that may create orders; returns the unresolved ones.
    Requests being sent are followed from the database until they end."""
    show_last_action(context)
    unresolved = unresolved_requests(context.session_factory)
    names = stored_supplier_names(context.session_factory)
    may_retry = can(current_user().roles, Action.CREATE_ORDERS)
    in_flight = [record.id for record in unresolved if record.state != "unknown"]
    if in_flight:
        _being_sent(context, in_flight, names)
    for record in unresolved:
        if record.state != "unknown":
            continue
        text, button = st.columns([5, 1], vertical_alignment="center")
        text.warning(
            markdown_text(
                f"The outcome of {_what(record, names)} is unknown. {record.message or ''}"
            ),
            icon=":material/help:",
        )
        if may_retry and button.button(
            "Check and retry", key=f"check_and_retry_{record.id}", icon=":material/refresh:"
        ):
            try:
                check_and_retry(context.session_factory, record.id, actor=current_actor())
            except RequestStateError as error:
                st.info(markdown_text(error), icon=":material/info:")
            else:
                st.session_state[LAST_ACTION] = [record.id]
                clear_order_caches()
                st.rerun()
    if unresolved and not may_retry:
        st.caption("A purchasing manager can check and retry these on the Reorder page.")
    return unresolved


@st.fragment(run_every=PROGRESS_EVERY)
def _being_sent(context: AppContext, request_ids: list[int], names: Mapping[str, str]) -> None:
    """The requests a job is sending, read again every ``PROGRESS_EVERY`` s; the whole page
    reruns once they have all ended (placed, refused or of unknown outcome)."""
    records = requests_by_id(context.session_factory, request_ids)
    sending = [r for r in records if r.state in ("pending", "sending")]
    if len(sending) < len(records):
        clear_order_caches()
        st.rerun(scope="app")
        return
    for record in sending:
        st.info(markdown_text(f"Sending {_what(record, names)}…"), icon=":material/send:")
    st.caption(IN_BACKGROUND)


def show_last_action(context: AppContext) -> None:
    """How the requests of the last click ended (unknown ones are in the unresolved panel)."""
    names = stored_supplier_names(context.session_factory)
    for record in requests_by_id(context.session_factory, st.session_state.get(LAST_ACTION, [])):
        if record.state == "placed":
            numbers = ", ".join(o["order_number"] for o in record.orders)
            st.success(
                markdown_text(
                    f"Placed {numbers} for supplier {supplier_label(record.supplier_id, names)} "
                    "under "
                    f"{record.external_order_id}. {record.message or ''}"
                ),
                icon=":material/check_circle:",
            )
        elif record.state in ("rejected", "not_sent"):
            st.error(markdown_text(record.message or ""), icon=":material/error:")


def create_orders(
    context: AppContext, ticked: pd.DataFrame, blocked: Mapping[str | None, list[str]]
) -> None:
    """The "Create orders" button for the ticked lines: it asks first, naming suppliers,
    lines and totals, and sends only on "Send orders". ``blocked``: the suppliers with
    unresolved requests and their ids (their lines are here only when offered anyway)."""
    st.button(
        "Create orders",
        type="primary",
        disabled=ticked.empty,
        icon=":material/shopping_cart:",
        on_click=CREATE_ORDERS.ask,
    )
    if not CREATE_ORDERS.waiting or ticked.empty:
        return
    suppliers = set(ticked["supplier_id"])
    overridden = {s: ids for s, ids in blocked.items() if s in suppliers}
    CREATE_ORDERS.show(
        lambda: _order_summary(ticked, overridden),
        confirm="Send orders",
        icon=":material/send:",
        on_confirm=lambda: _send_orders(context, ticked, overridden),
    )


def _order_summary(chosen: pd.DataFrame, overridden: Mapping[str | None, list[str]]) -> None:
    """Suppliers, lines and totals (landed cost and supplier price); ``overridden``:
    suppliers ordered again despite unresolved requests."""
    roles = current_user().roles
    totals = supplier_totals(chosen)
    total = sum(totals["cost_try"], Decimal(0))
    sees_costs = can(roles, Action.SEE_COSTS)
    cost = f", {total:,.2f} TRY landed cost (TCC)" if sees_costs else ""
    st.markdown(
        f"**{int(totals['lines'].sum())} lines** for **{len(totals)} suppliers**, "
        f"{int(totals['units'].sum())} units{cost}."
        + (f" Not counted:{gaps}." if sees_costs and (gaps := not_counted(chosen)) else "")
    )
    st.caption(
        "One order per supplier. PleasureStock records each at the supplier's price: the "
        "order totals below are what it will show under Orders."
    )
    names = names_in(chosen)
    st.dataframe(hide_cost_columns(totals_table(totals, names), roles), hide_index=True)
    for supplier, ids in overridden.items():
        st.warning(
            markdown_text(
                f"Supplier {supplier_label(supplier, names)} still has unresolved order requests "
                f"({', '.join(ids)}): this places another order for it."
            ),
            icon=":material/warning:",
        )


def _send_orders(
    context: AppContext, chosen: pd.DataFrame, overridden: Mapping[str | None, list[str]]
) -> None:
    """Store one request per supplier and start sending them; the page follows them."""
    try:
        made = request_orders(
            context.session_factory,
            lines_by_supplier(chosen),
            actor=current_actor(),
            override=list(overridden),
        )
    except UnresolvedRequestError as error:
        st.error(markdown_text(str(error)), icon=":material/block:")
        return
    st.session_state[LAST_ACTION] = [record.id for record in made]
    clear_order_caches()
    st.rerun()


def held_back_note(held: pd.DataFrame, blocked: dict[str | None, list[str]]) -> str:
    """Why lines of suppliers with unresolved requests are not offered, and what to do."""
    suppliers = sorted({str(s) for s in held["supplier"]})
    ids = sorted({i for s in held["supplier_id"] for i in blocked.get(s, [])})
    return (
        f"{len(held)} lines of {', '.join(suppliers)} are held back: order request "
        f"{', '.join(ids)} is not resolved, so PleasureStock may already have these orders. "
        "Check and retry it above first. Offer them anyway only if you checked PleasureStock "
        "and want another order."
    )
