"""The Catalog's own column labels are what the cost-hiding rules recognise."""

from __future__ import annotations

import pandas as pd

from lib.access.policy import Role, hide_cost_columns
from lib.catalog.table import COLUMN_LABELS


def _catalog_export() -> pd.DataFrame:
    return pd.DataFrame([dict.fromkeys(COLUMN_LABELS.values(), "x")])


def test_staff_export_of_the_catalog_carries_no_cost_tcc_or_margin_column() -> None:
    visible = list(hide_cost_columns(_catalog_export(), Role.STAFF).columns)
    assert visible == [
        "ps id",
        "SKU",
        "Name",
        "Category",
        "Supplier",
        "Supplier id",
        "Currency",
        "TSP",
        "TSP currency",
        "TSP (TRY)",
        "TRY note",
        "TSP enabled",
    ]


def test_roles_that_see_costs_keep_every_column() -> None:
    for role in (Role.PURCHASING, Role.FINANCE, Role.ADMIN):
        assert list(hide_cost_columns(_catalog_export(), role).columns) == list(
            COLUMN_LABELS.values()
        )
