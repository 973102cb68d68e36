"""Settings: configuration (secrets masked), connection test, rate-limit use, roles, supplier
names, product links, audit log."""

import pandas as pd
import streamlit as st

from lib.access.audit import recent_changes
from lib.access.policy import Action, Role, describe_permissions
from lib.access.roles import RoleAssignmentError, assign_role, remove_role, role_assignments
from lib.catalog.suppliers import (
    NAME_MAX_LENGTH,
    ORDERS_SOURCE,
    SupplierNameError,
    name_supplier,
    supplier_directory,
)
from lib.db import current_revision
from lib.ui import PAGES, current_actor, markdown_text, page_setup, user_can
from lib.ui.identity import sign_in_configured
from lib.ui.jobs_view import jobs_section
from lib.ui.links_view import product_links_section
from lib.ui.loaders import clear_api_caches, connection_check

SUPPLIER_FLASH = "settings_supplier_flash"

ctx = page_setup()
st.title("Settings")

st.subheader("Configuration")
st.caption(
    "Read from the environment and `.streamlit/secrets.toml` at start-up; "
    "`.streamlit/secrets.toml.example` documents every key. Restart StockDesk after a change."
)
st.dataframe(
    pd.DataFrame(
        [
            {"Setting": "Mode", "Value": ctx.mode_label},
            {"Setting": "API in use", "Value": ctx.client.base_url},
            {
                "Setting": "Sign-in",
                "Value": "OpenID Connect ([auth] in secrets)" if sign_in_configured() else "off",
            },
        ]
        + [{"Setting": k.upper(), "Value": v} for k, v in ctx.settings.describe().items()]
        + [{"Setting": "Database schema revision", "Value": current_revision(ctx.engine) or "—"}]
    ),
    hide_index=True,
    width="stretch",
    height="content",
)

st.subheader("Connection")
if st.button("Test connection", icon=":material/network_check:"):
    clear_api_caches()
    check = connection_check(ctx.client, ctx.client.base_url)
    if check.reachable:
        st.success(
            f"Connected to {ctx.client.base_url} in {check.latency_ms:.0f} ms; "
            f"the catalog holds {check.catalog_total:,} products.",
            icon=":material/check_circle:",
        )
    else:
        st.error(
            f"**Connection failed.** {markdown_text(check.error)}", icon=":material/cloud_off:"
        )

st.subheader("Rate-limit budget")
st.caption(
    "Requests sent with this API key in each window by every StockDesk process (dashboards "
    "and background work share one budget), against PleasureStock's limits. Background work "
    f"waits for budget; a request from a page waits at most "
    f"{ctx.settings.api_budget_wait_seconds:g} s (`API_BUDGET_WAIT_SECONDS`), then says "
    "until when the budget is in use."
)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Class": u.rate_class.replace("_", " "),
                "Window": {1.0: "per second", 60.0: "per minute", 3600.0: "per hour"}[
                    u.window_seconds
                ],
                "Used": u.used,
                "Limit": u.limit,
                "Share used": u.fraction,
            }
            for u in ctx.client.rate_limit_usage()
        ]
    ),
    column_config={
        "Share used": st.column_config.ProgressColumn("Share used", min_value=0.0, max_value=1.0)
    },
    hide_index=True,
    width="stretch",
)

st.subheader("Roles")
st.caption(
    "Who may open which page and do what. Roles come from the identity token's `roles` or "
    "`groups` claim; for a person whose token names none, the role given below applies. "
    "The addresses in `STOCKDESK_ADMIN_EMAILS` are always administrators."
)
st.dataframe(
    pd.DataFrame(describe_permissions({spec.url_path: spec.title for spec in PAGES})),
    hide_index=True,
    width="stretch",
)
if user_can(Action.MANAGE_ROLES):
    give, take = st.columns(2)
    with give.form("give_role", clear_on_submit=True):
        st.markdown("**Give a role**")
        email = st.text_input("Email address", placeholder="ayse@example.com")
        role = st.selectbox("Role", list(Role), format_func=lambda r: r.label)
        if st.form_submit_button("Save role", icon=":material/person_add:"):
            try:
                address = assign_role(ctx.session_factory, email, role, actor=current_actor())
            except RoleAssignmentError as error:
                st.error(markdown_text(error), icon=":material/error:")
            else:
                st.success(f"{markdown_text(address)} now has the role {role.label}.")
    assignments = role_assignments(ctx.session_factory)
    with take.form("take_role"):
        st.markdown("**Take a role away**")
        chosen = st.selectbox("Email address", [a.email for a in assignments], index=None)
        if st.form_submit_button("Remove role", icon=":material/person_remove:") and chosen:
            try:
                remove_role(ctx.session_factory, chosen, actor=current_actor())
            except RoleAssignmentError as error:
                st.error(markdown_text(error), icon=":material/error:")
            else:
                st.success(f"{markdown_text(chosen)} has no stored role any more.")
                assignments = role_assignments(ctx.session_factory)
    if not sign_in_configured():
        st.info(
            "Sign-in is off, so these roles apply only once `[auth]` is configured.",
            icon=":material/info:",
        )
    if assignments:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Email": a.email,
                        "Role": a.role.label,
                        "Given": a.assigned_at,
                        "By": a.assigned_by,
                    }
                    for a in assignments
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("No roles given in StockDesk yet.")

st.subheader("Supplier names")
st.caption(
    "PleasureStock names suppliers only in its orders, so StockDesk learns each supplier's "
    "name from the orders it reads. Name here the suppliers no order has named yet; a name "
    "from PleasureStock's orders replaces yours once one arrives."
)
directory = supplier_directory(ctx.session_factory)
if directory:
    st.dataframe(
        pd.DataFrame(
            [
                {"Supplier id": r.supplier_id, "Name": r.name, "Named by": r.source}
                for r in directory
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("The catalog names no supplier yet.")
nameable = {r.supplier_id: r for r in directory if r.source != ORDERS_SOURCE}
if user_can(Action.MANAGE_SETTINGS) and nameable:
    with st.form("name_supplier", clear_on_submit=True):
        chosen_id = st.selectbox(
            "Supplier",
            list(nameable),
            format_func=lambda i: f"{i} · {nameable[i].name or 'not named yet'}",
        )
        new_name = st.text_input(
            "Name", max_chars=NAME_MAX_LENGTH, help="Leave empty to forget the name given here."
        )
        if st.form_submit_button("Save name", icon=":material/badge:") and chosen_id:
            try:
                saved = name_supplier(
                    ctx.session_factory, chosen_id, new_name, actor=current_actor()
                )
            except SupplierNameError as error:
                st.error(markdown_text(str(error)), icon=":material/error:")
            else:
                # Names and ids are anyone's text: escaped, never Markdown.
                st.session_state[SUPPLIER_FLASH] = markdown_text(
                    f"Supplier {chosen_id} is now called “{saved}”."
                    if saved
                    else f"Supplier {chosen_id} has no name given in StockDesk any more."
                )
                st.rerun()
if SUPPLIER_FLASH in st.session_state:
    st.success(st.session_state.pop(SUPPLIER_FLASH), icon=":material/check_circle:")

product_links_section(ctx)

st.subheader("Recent changes")
entries = recent_changes(ctx.session_factory, limit=50)
if entries:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "When": e.at,
                    "Who": e.actor,
                    "What": e.action,
                    "Before": e.before,
                    "After": e.after,
                }
                for e in entries
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("Nothing has been changed yet.")

st.subheader("Jobs")
st.caption(
    "Background work (sales sends, catalog syncs) and the workers that run it. A job whose "
    "worker stops beating for a minute is marked interrupted and started again."
)
jobs_section(ctx)
