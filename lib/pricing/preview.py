"""The preview of a price list: old TSP (from the API) against new, changes and margins.

Prices stay ``Decimal``; percentages (change, margin) are floats because they are
only shown and charted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.pricing.price_list import STATUSES, UNPRICED, RateLookup, to_try

NO_CATEGORY = "(no category)"


@dataclass(frozen=True)
class PreviewTotals:
    """Counts over the whole preview, and the median % change of the repriced products."""

    products: int
    priced: int
    raised: int
    lowered: int
    guard_rail: int
    no_price: int
    out_of_range: int
    median_change_pct: float | None


def preview_table(prices: pd.DataFrame, rate: RateLookup) -> pd.DataFrame:
    """``price_list`` rows with old TSP in TRY, change, % change and margin before/after.

    Guard-rail breakers come first, then products out of range or without a price, then
    the rest by the size of their % change.
    """
    frame = prices.copy()
    rates = {c: rate(c) for c in frame["currency"].dropna().unique()}
    frame["old_tsp_try"] = [
        to_try(old, rates.get(currency))
        for old, currency in zip(frame["old_tsp"], frame["currency"], strict=True)
    ]
    frame["change"] = [
        new - old if new is not None and old is not None else None
        for old, new in zip(frame["old_tsp"], frame["new_tsp"], strict=True)
    ]
    old, new, tcc = (_floats(frame[c]) for c in ("old_tsp", "new_tsp", "tcc"))
    with np.errstate(all="ignore"):
        frame["change_pct"] = np.where(old > 0, (new - old) / old * 100.0, np.nan)
        frame["margin_before_pct"] = np.where(old > 0, (old - tcc) / old * 100.0, np.nan)
        frame["margin_after_pct"] = np.where(new > 0, (new - tcc) / new * 100.0, np.nan)
    rank = frame["status"].map({status: n for n, status in enumerate(STATUSES)})
    order = np.lexsort((-frame["change_pct"].abs().fillna(-1.0).to_numpy(), rank.to_numpy()))
    return frame.iloc[order].reset_index(drop=True)


def preview_totals(preview: pd.DataFrame) -> PreviewTotals:
    """How many products are priced, raised, lowered or flagged, and the median % change."""
    change = preview["change_pct"]
    return PreviewTotals(
        products=len(preview),
        priced=int(preview["new_tsp"].notna().sum()),
        raised=int((change > 0).sum()),
        lowered=int((change < 0).sum()),
        guard_rail=int((preview["status"] == "guard rail").sum()),
        no_price=int((preview["status"] == "no price").sum()),
        out_of_range=int((preview["status"] == "out of range").sum()),
        median_change_pct=None if change.isna().all() else float(change.median()),
    )


def category_summary(preview: pd.DataFrame) -> pd.DataFrame:
    """Per category: products, priced, flagged, raised, lowered, median % change, mean margins."""
    frame = preview.assign(
        category=preview["category"].fillna(NO_CATEGORY),
        flagged=preview["status"].isin(["guard rail", *UNPRICED]),
        raised=preview["change_pct"] > 0,
        lowered=preview["change_pct"] < 0,
        priced=preview["new_tsp"].notna(),
    )
    summary = frame.groupby("category", sort=True).agg(
        products=("ps_id", "size"),
        priced=("priced", "sum"),
        flagged=("flagged", "sum"),
        raised=("raised", "sum"),
        lowered=("lowered", "sum"),
        median_change_pct=("change_pct", "median"),
        margin_before_pct=("margin_before_pct", "mean"),
        margin_after_pct=("margin_after_pct", "mean"),
    )
    return summary.reset_index()


def _floats(column: pd.Series) -> np.ndarray:
    return column.astype("float64").to_numpy()
