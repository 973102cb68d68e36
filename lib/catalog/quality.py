"""Data-quality checks on the catalog table: which products have pricing data to question.

Each check flags rows of ``lib.catalog.table.catalog_table``; the page shows a count per
check and a filter to those rows. The TCC check follows NOTES.md point 6: the API's own
example states a TCC of 16 TRY for 8.00 USD × 2, so a TCC must equal price × coefficient
in the price's currency, and a TCC stated in another currency is questioned too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from lib.money import round_money


@dataclass(frozen=True)
class QualityCheck:
    """One data-quality rule: its key (used in links), a short label and what it means."""

    key: str
    label: str
    explanation: str


TCC_MISMATCH = QualityCheck(
    "tcc-mismatch",
    "TCC ≠ price × coefficient",
    "TCC is not price × coefficient (to the cent) in the price's currency, or is stated in "
    "another currency, as in the API's own example (8.00 USD × 2 = 16 'TRY').",
)
NEGATIVE_MARGIN = QualityCheck(
    "negative-margin",
    "TSP below TCC",
    "The selling price is below the cost: the margin is negative.",
)
MISSING_CATEGORY = QualityCheck(
    "missing-category", "Missing category", "The product has no category in the snapshot."
)
PRICING_DISABLED = QualityCheck(
    "pricing-disabled",
    "TCC or TSP disabled",
    "TCC or TSP is switched off (or not reported) for the product, so it has no cost or "
    "selling price.",
)
CHECKS = (TCC_MISMATCH, NEGATIVE_MARGIN, MISSING_CATEGORY, PRICING_DISABLED)
CHECKS_BY_KEY: dict[str, QualityCheck] = {check.key: check for check in CHECKS}


def tcc_mismatch(
    price: Decimal | None,
    currency: str | None,
    coefficient: Decimal | None,
    tcc: Decimal | None,
    tcc_currency: str | None,
) -> bool:
    """True when a TCC is present but is not price × coefficient, to the cent, in one currency.

    A product without a TCC or without the values to check it is not flagged here
    (a disabled TCC has its own check).
    """
    if tcc is None or price is None or coefficient is None:
        return False
    if tcc_currency != currency:
        return True
    return round_money(price * coefficient) != round_money(tcc)


def quality_flags(table: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per check key, one row per table row (same index)."""
    mismatch = [
        tcc_mismatch(*row)
        for row in zip(
            table["price"],
            table["currency"],
            table["tcc_coefficient"],
            table["tcc"],
            table["tcc_currency"],
            strict=True,
        )
    ]
    return pd.DataFrame(
        {
            TCC_MISMATCH.key: mismatch,
            NEGATIVE_MARGIN.key: [m is not None and m < 0 for m in table["margin"]],
            MISSING_CATEGORY.key: table["category_en"].isna(),
            PRICING_DISABLED.key: [
                tcc is not True or tsp is not True
                for tcc, tsp in zip(table["tcc_enabled"], table["tsp_enabled"], strict=True)
            ],
        },
        index=table.index,
    )


def issue_counts(flags: pd.DataFrame, mask: pd.Series | None = None) -> dict[str, int]:
    """How many rows each check flags, among the rows ``mask`` keeps (all rows without one)."""
    rows = flags if mask is None else flags[mask]
    return {check.key: int(rows[check.key].sum()) for check in CHECKS}


def row_issues(flags: pd.DataFrame, index: object) -> list[QualityCheck]:
    """The checks that flag one row."""
    return [check for check in CHECKS if bool(flags.at[index, check.key])]
