"""Settings: the configuration in force (secrets masked), a connection test, rate-limit use."""

import pandas as pd
import streamlit as st

from lib.db import UnitOfWork, current_revision
from lib.ui import page_setup
from lib.ui.loaders import clear_api_caches, connection_check

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
        ]
        + [{"Setting": k.upper(), "Value": v} for k, v in ctx.settings.describe().items()]
        + [{"Setting": "Database schema revision", "Value": current_revision(ctx.engine) or "—"}]
    ),
    hide_index=True,
    width="stretch",
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
        st.error(f"**Connection failed.** {check.error}", icon=":material/cloud_off:")

st.subheader("Rate-limit budget")
st.caption(
    "Requests StockDesk has sent in each window, against PleasureStock's limits. "
    "The client waits for budget instead of exceeding it."
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

st.subheader("Recent changes")
with UnitOfWork(ctx.session_factory) as uow:
    entries = uow.audit.recent(limit=50)
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
