"""How the Pricing page shows a preview, the API's formula, versions and comparisons."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.db import PricingVersion
from lib.export import XLSX_MIME, to_csv, to_xlsx
from lib.pricing.api_formula import api_formulas
from lib.pricing.plan import PricingPlan
from lib.pricing.preview import category_summary, preview_totals
from lib.pricing.price_list import MAX_PRICE, STATUSES, export_frame
from lib.pricing.rules import rule_labels, unmatched_rules
from lib.ui.charts import price_change_histogram
from lib.ui.widgets import markdown_text

# red, purple, orange, grey, green: one per status, in STATUSES' order.
_STATUS_COLOURS = ["#d93025", "#8430ce", "#e37400", "#9aa0a6", "#188038"]
_MONEY = "%.2f"
_PERCENT = "%.1f%%"


def show_api_formula(products: pd.DataFrame, active: PricingVersion | None) -> None:
    """Say whether PleasureStock's own formula matches the active version's company default."""
    ours = active.plan.default_formula if active else None
    formulas = api_formulas(products, ours)
    if formulas.empty:
        st.info("PleasureStock reports no TSP formula for the products in the snapshot.")
        return
    listed = ", ".join(
        f"{markdown_text(f)} ({n:,} products)" for f, n in formulas[["formula", "products"]].values
    )
    if active is None:
        st.info(
            f"No formula version saved yet. PleasureStock computes TSP with {listed}; "
            "the editor starts from the most used one.",
            icon=":material/info:",
        )
    elif formulas["matches"].eq(True).all():
        st.success(
            f"PleasureStock's formula matches the active version {active.id}'s company default "
            f"{markdown_text(ours)}.",
            icon=":material/check_circle:",
        )
    else:
        st.warning(
            f"PleasureStock's formula differs from the active version {active.id}'s company "
            f"default {markdown_text(ours)}: it computes TSP with {listed}. The API cannot "
            "change it; "
            "set it in PleasureStock's web UI.",
            icon=":material/difference:",
        )


def show_unmatched_rules(plan: PricingPlan, products: pd.DataFrame) -> None:
    """Warn about rules whose category, supplier or product is not in the catalog."""
    labels = rule_labels(plan.rules, products)
    for n in unmatched_rules(products, plan.rules):
        st.warning(
            f"The rule for “{markdown_text(labels[n])}” matches no product of the catalog, so "
            "it changes "
            "nothing. Delete it or pick another target.",
            icon=":material/link_off:",
        )


def show_preview(preview: pd.DataFrame) -> None:
    """Totals, the product table (guard-rail breakers first), a histogram and category summary."""
    totals = preview_totals(preview)
    cells = st.columns(5)
    cells[0].metric(f"Priced (of {totals.products:,})", f"{totals.priced:,}")
    cells[1].metric("Raised", f"{totals.raised:,}")
    cells[2].metric("Lowered", f"{totals.lowered:,}")
    cells[3].metric("Break a guard rail", f"{totals.guard_rail:,}")
    median = totals.median_change_pct
    cells[4].metric("Median change", "—" if median is None else f"{median:+.1f}%")
    if totals.no_price:
        st.warning(
            f"{totals.no_price:,} products get no price; the table lists why.",
            icon=":material/warning:",
        )
    if totals.out_of_range:
        st.warning(
            f"{totals.out_of_range:,} products are out of range: the formula gives more than "
            f"{MAX_PRICE:,} for them, so they get no price. Check the formula's numbers.",
            icon=":material/warning:",
        )
    st.dataframe(
        _preview_rows(preview),
        hide_index=True,
        width="stretch",
        height=420,
        column_config=_preview_columns(),
    )
    chart, summary = st.columns([2, 3])
    with chart:
        changes = preview["change_pct"].dropna()
        if changes.empty:
            st.caption("No product has both an old and a new TSP to compare.")
        else:
            st.plotly_chart(price_change_histogram(changes), width="stretch")
    with summary:
        st.dataframe(
            category_summary(preview),
            hide_index=True,
            width="stretch",
            column_config={
                "category": "Category",
                "products": "Products",
                "priced": "Priced",
                "flagged": "Flagged",
                "raised": "Raised",
                "lowered": "Lowered",
                "median_change_pct": st.column_config.NumberColumn(
                    "Median change", format=_PERCENT
                ),
                "margin_before_pct": st.column_config.NumberColumn(
                    "Margin before", format=_PERCENT
                ),
                "margin_after_pct": st.column_config.NumberColumn("Margin after", format=_PERCENT),
            },
        )


def show_versions(history: list[PricingVersion]) -> None:
    """The saved versions, newest first."""
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Version": v.id,
                    "Active": "✓" if v.active else "",
                    "Saved": v.created_at,
                    "By": v.author,
                    "Comment": v.comment,
                    "Company default": v.plan.default_formula,
                    "Other rules": len(v.plan.rules) - 1,
                    "Rounding": v.plan.rounding.describe(),
                    "Guard rails": v.plan.guard_rails.describe(),
                }
                for v in history
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={"Saved": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
    )


def show_plan(plan: PricingPlan, products: pd.DataFrame) -> None:
    """A plan's rules, rounding and guard rails."""
    st.dataframe(
        pd.DataFrame(
            {
                "Applies to": rule_labels(plan.rules, products),
                "Formula": [rule.formula for rule in plan.rules],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(f"Rounding: {plan.rounding.describe()} · Guard rails: {plan.guard_rails.describe()}")


def download_buttons(prices: pd.DataFrame, version_id: int) -> None:
    """CSV and Excel downloads of the price list a version produces, built when clicked."""
    frame = export_frame(prices)
    csv, xlsx = st.columns(2)
    csv.download_button(
        "Price list (CSV)",
        lambda: to_csv(frame),
        file_name=f"stockdesk-price-list-v{version_id}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    xlsx.download_button(
        "Price list (Excel)",
        lambda: to_xlsx(frame, sheet_name=f"Version {version_id}"),
        file_name=f"stockdesk-price-list-v{version_id}.xlsx",
        mime=XLSX_MIME,
        icon=":material/download:",
        on_click="ignore",
    )


def show_comparison(diff: pd.DataFrame, before: int, after: int) -> None:
    """The products whose price differs between two versions."""
    st.metric(f"Products priced differently by version {after}", f"{len(diff):,}")
    if diff.empty:
        return
    st.dataframe(
        diff,
        hide_index=True,
        width="stretch",
        column_config={
            "ps_id": "ps id",
            "sku": "SKU",
            "name": "Name",
            "category": "Category",
            "currency": "Currency",
            "rule_before": f"Rule in v{before}",
            "rule_after": f"Rule in v{after}",
            "tsp_before": st.column_config.NumberColumn(f"TSP v{before}", format=_MONEY),
            "tsp_after": st.column_config.NumberColumn(f"TSP v{after}", format=_MONEY),
            "change": st.column_config.NumberColumn("Change", format=_MONEY),
            "change_pct": st.column_config.NumberColumn("Change %", format=_PERCENT),
        },
    )


def _preview_rows(preview: pd.DataFrame) -> pd.DataFrame:
    rows = preview.copy()
    rows["status"] = [[status] for status in rows["status"]]
    return rows[
        [
            "status",
            "issue",
            "sku",
            "name",
            "category",
            "currency",
            "rule",
            "tcc",
            "old_tsp",
            "new_tsp",
            "change",
            "change_pct",
            "old_tsp_try",
            "new_tsp_try",
            "margin_before_pct",
            "margin_after_pct",
        ]
    ]


def _preview_columns() -> dict[str, object]:
    money = {
        "tcc": "TCC",
        "old_tsp": "Old TSP",
        "new_tsp": "New TSP",
        "change": "Change",
        "old_tsp_try": "Old TSP (TRY)",
        "new_tsp_try": "New TSP (TRY)",
    }
    percent = {
        "change_pct": "Change %",
        "margin_before_pct": "Margin before",
        "margin_after_pct": "Margin after",
    }
    return {
        "status": st.column_config.MultiselectColumn(
            "Status", options=list(STATUSES), color=_STATUS_COLOURS
        ),
        "issue": st.column_config.TextColumn("Issue", width="medium"),
        "sku": "SKU",
        "name": "Name",
        "category": "Category",
        "currency": "Currency",
        "rule": "Rule",
        **{c: st.column_config.NumberColumn(n, format=_MONEY) for c, n in money.items()},
        **{c: st.column_config.NumberColumn(n, format=_PERCENT) for c, n in percent.items()},
    }
