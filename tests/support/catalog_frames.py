"""Small catalog snapshots for tests: literal rows in the shape of ``load_frame``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from lib.db import SNAPSHOT_FRAME_COLUMNS


def snapshot_row(ps_id: str, **fields: Any) -> dict[str, Any]:
    """A consistent USD product (price 10.00 × 2 = TCC 20.00, TSP 41.00) unless overridden."""
    row: dict[str, Any] = {
        "ps_id": ps_id,
        "uuid": None,
        "name": f"Product {ps_id}",
        "sku": f"SKU-{ps_id}",
        "description": None,
        "price": Decimal("10.00"),
        "currency": "USD",
        "supplier_id": "12",
        "category_id": "c-vib",
        "category_name": "Вибраторы",
        "category_name_en": "Vibrators",
        "tcc_enabled": True,
        "tcc_coefficient": Decimal("2"),
        "tcc_total_cost": Decimal("20.00"),
        "tcc_currency": "USD",
        "tsp_enabled": True,
        "tsp_value": Decimal("41.00"),
        "tsp_formula": "TCC * 1.8 + 5",
        "tsp_currency": "USD",
        "created_at": None,
        "updated_at": None,
    }
    unknown = set(fields) - set(row)
    if unknown:
        raise KeyError(f"not snapshot columns: {sorted(unknown)}")
    return row | fields


def snapshot_frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """A snapshot DataFrame (object dtype, like ``CatalogRepository.load_frame``)."""
    return pd.DataFrame(list(rows), columns=list(SNAPSHOT_FRAME_COLUMNS), dtype=object)
