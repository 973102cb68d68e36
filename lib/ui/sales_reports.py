"""Sales upload reports: the check's good and bad rows, and the plan against the ledger."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.db import UploadRecord
from lib.sales.ledger import DeltaPlan
from lib.sales.validation import ValidationResult
from lib.ui.widgets import markdown_text

SHOWN_ERRORS = 1_000


def validation_report(result: ValidationResult) -> None:
    """Counts of good and bad rows, the bad rows with line, column, value and reason."""
    rows, good, bad, blank = st.columns(4)
    rows.metric("Rows in file", f"{result.rows_in_file:,}")
    good.metric("Good rows", f"{result.good_rows:,}")
    bad.metric("Bad rows", f"{result.bad_rows:,}")
    blank.metric("Blank lines skipped", f"{result.blank_lines:,}")
    if not result.bad_rows:
        st.success("Every row passed the check.", icon=":material/check_circle:")
        return
    st.warning(
        f"{result.bad_rows:,} row(s) have problems and will not be sent. Download the report, "
        "fix them in the file and upload it again: StockDesk sends only what is new, so the "
        "good rows are never counted twice.",
        icon=":material/rule:",
    )
    shown = result.errors.head(SHOWN_ERRORS)
    if len(result.errors) > SHOWN_ERRORS:
        st.caption(f"The first {SHOWN_ERRORS:,} of {len(result.errors):,} problems:")
    st.dataframe(shown.rename(columns=str.capitalize), hide_index=True, width="stretch", height=280)
    st.download_button(
        "Download the error report (CSV)",
        data=result.errors_csv(),
        file_name="sales-upload-errors.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    unknown = result.unknown_products()
    if not unknown.empty:
        with st.expander(f"{len(unknown):,} product code(s) not in the catalog"):
            st.dataframe(
                unknown.rename(
                    columns={"product": "Product code", "rows": "Rows", "first_line": "First line"}
                ),
                hide_index=True,
                width="stretch",
            )


def plan_report(plan: DeltaPlan, earlier: list[UploadRecord]) -> None:
    """What will be sent per product and day, compared with what was already sent."""
    days, send, unchanged, corrections = st.columns(4)
    days.metric("Product-days (warehouses summed)", f"{len(plan.rows):,}")
    send.metric("To send", f"{len(plan.to_send):,}")
    unchanged.metric("Already sent, unchanged", f"{plan.count('unchanged'):,}")
    corrections.metric("Lower than already sent", f"{plan.count('correction'):,}")
    if earlier:
        last = earlier[0]
        st.info(
            f"This file was uploaded before: on {last.uploaded_at:%Y-%m-%d %H:%M} UTC by "
            f"{markdown_text(last.uploaded_by)}. Only what is new since then is sent.",
            icon=":material/history:",
        )
    if len(plan.rows) and plan.to_send.empty:
        st.info(
            "Nothing new to send: PleasureStock already has every product and day of this "
            "file with these quantities.",
            icon=":material/task_alt:",
        )
    elif len(plan.to_send):
        st.caption(
            f"{plan.count('new'):,} product-days never sent, {plan.count('increase'):,} with a "
            f"higher quantity (only the difference is sent), {plan.count('stock'):,} with only "
            "a higher stock."
        )
    if not plan.corrections.empty:
        with st.expander(f"{len(plan.corrections):,} product-day(s) lower than already sent"):
            st.caption(
                "PleasureStock adds up the sales it receives and cannot take a negative "
                "quantity, so these days keep the figure already sent. If that figure was "
                "wrong, ask PleasureStock to correct it."
            )
            st.dataframe(_plan_view(plan.corrections), hide_index=True, width="stretch")
    if not plan.stock_lowered.empty:
        with st.expander(f"{len(plan.stock_lowered):,} product-day(s) with a lower stock"):
            st.caption(
                "PleasureStock keeps the highest stock reported for a day, so a lower stock "
                "cannot replace one already sent."
            )
            st.dataframe(_plan_view(plan.stock_lowered), hide_index=True, width="stretch")


def _plan_view(rows: pd.DataFrame) -> pd.DataFrame:
    view = rows[["ps_id", "date", "sent_quantity", "quantity", "sent_stock", "stock"]]
    return view.rename(
        columns={
            "ps_id": "Product",
            "date": "Day",
            "sent_quantity": "Quantity sent",
            "quantity": "Quantity in file",
            "sent_stock": "Stock sent",
            "stock": "Stock in file",
        }
    )
