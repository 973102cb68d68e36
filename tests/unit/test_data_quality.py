"""Data-quality checks: the NOTES.md point 6 example and each rule on literal rows."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from lib.catalog.quality import (
    CHECKS,
    MISSING_CATEGORY,
    NEGATIVE_MARGIN,
    PRICING_DISABLED,
    TCC_MISMATCH,
    issue_counts,
    quality_flags,
    row_issues,
    tcc_mismatch,
)
from lib.catalog.table import catalog_table
from tests.support.catalog_frames import snapshot_frame, snapshot_row


def test_the_documents_example_is_flagged() -> None:
    # Price 8.00 USD, coefficient 2, TCC 16 stated in TRY: 8 × 2 = 16, so the label is suspect.
    assert tcc_mismatch(Decimal("8.00"), "USD", Decimal("2"), Decimal("16"), "TRY")


@pytest.mark.parametrize(
    ("price", "coefficient", "tcc", "flagged"),
    [
        ("8.00", "2", "16.00", False),
        ("3.65", "2.02", "7.37", False),  # 7.373 rounds to 7.37
        ("3.65", "2.02", "7.373", False),  # compared to the cent
        ("3.65", "2.02", "7.38", True),
        ("10.00", "1.5", "14.00", True),
    ],
)
def test_tcc_must_be_price_times_coefficient_to_the_cent(
    price: str, coefficient: str, tcc: str, flagged: bool
) -> None:
    assert tcc_mismatch(Decimal(price), "EUR", Decimal(coefficient), Decimal(tcc), "EUR") is flagged


def test_nothing_to_check_is_not_a_mismatch() -> None:
    assert not tcc_mismatch(Decimal("8"), "USD", Decimal("2"), None, "USD")
    assert not tcc_mismatch(None, "USD", Decimal("2"), Decimal("16"), "USD")
    assert not tcc_mismatch(Decimal("8"), "USD", None, Decimal("16"), "USD")


@pytest.fixture
def table() -> pd.DataFrame:
    return catalog_table(
        snapshot_frame(
            snapshot_row("ps_ok"),
            snapshot_row("ps_label", tcc_currency="TRY", tsp_currency="TRY"),
            snapshot_row("ps_loss", tsp_value=Decimal("19.99")),
            snapshot_row("ps_nocat", category_id=None, category_name=None, category_name_en=None),
            snapshot_row("ps_tsp_off", tsp_enabled=False, tsp_value=None),
            snapshot_row(
                "ps_tcc_off", tcc_enabled=False, tcc_coefficient=None, tcc_total_cost=None
            ),
        ),
        {"USD": Decimal("34.50"), "TRY": Decimal(1)}.get,
    )


def test_each_row_gets_the_flags_that_apply(table: pd.DataFrame) -> None:
    flags = quality_flags(table)
    flagged = {check.key: list(table.loc[flags[check.key], "ps_id"]) for check in CHECKS}
    assert flagged == {
        TCC_MISMATCH.key: ["ps_label"],
        NEGATIVE_MARGIN.key: ["ps_loss"],
        MISSING_CATEGORY.key: ["ps_nocat"],
        PRICING_DISABLED.key: ["ps_tsp_off", "ps_tcc_off"],
    }
    assert row_issues(flags, 0) == []
    assert row_issues(flags, 2) == [NEGATIVE_MARGIN]


def test_counts_follow_the_view(table: pd.DataFrame) -> None:
    flags = quality_flags(table)
    assert issue_counts(flags) == {
        TCC_MISMATCH.key: 1,
        NEGATIVE_MARGIN.key: 1,
        MISSING_CATEGORY.key: 1,
        PRICING_DISABLED.key: 2,
    }
    first_three = pd.Series([True, True, True, False, False, False], index=table.index)
    assert issue_counts(flags, first_three) == {
        TCC_MISMATCH.key: 1,
        NEGATIVE_MARGIN.key: 1,
        MISSING_CATEGORY.key: 0,
        PRICING_DISABLED.key: 0,
    }
