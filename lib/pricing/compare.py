"""Differences between the price lists of two plans (e.g. two saved versions)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def compare_price_lists(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Products whose new TSP differs between two ``price_list`` frames of the same catalog.

    Columns: ps_id, sku, name, category, currency, rule_before, rule_after, tsp_before,
    tsp_after (Decimal or None), change (Decimal or None), change_pct (float), largest
    % change first; a product that gains or loses its price counts as a difference.
    """
    merged = before.merge(
        after[["ps_id", "rule", "new_tsp"]],
        on="ps_id",
        how="outer",
        suffixes=("_before", "_after"),
        validate="one_to_one",
    ).rename(columns={"new_tsp_before": "tsp_before", "new_tsp_after": "tsp_after"})
    differs = [a != b for a, b in zip(merged["tsp_before"], merged["tsp_after"], strict=True)]
    diff = merged.loc[differs].copy()
    diff["change"] = [
        b - a if a is not None and b is not None else None
        for a, b in zip(diff["tsp_before"], diff["tsp_after"], strict=True)
    ]
    a, b = (diff[c].astype("float64").to_numpy() for c in ("tsp_before", "tsp_after"))
    with np.errstate(all="ignore"):
        diff["change_pct"] = np.where(a > 0, (b - a) / a * 100.0, np.nan)
    diff = diff.sort_values("change_pct", key=lambda s: -s.abs(), na_position="first")
    columns = ["ps_id", "sku", "name", "category", "currency", "rule_before", "rule_after"]
    return diff[[*columns, "tsp_before", "tsp_after", "change", "change_pct"]].reset_index(
        drop=True
    )
