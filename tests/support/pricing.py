"""Small literal product frames for pricing tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from lib.pricing.products import PRODUCT_COLUMNS

RATES = {"TRY": Decimal(1), "USD": Decimal("30"), "EUR": Decimal("40")}


def product(ps_id: str, **fields: Any) -> dict[str, Any]:
    """One products-frame row: TCC 10, price 5, coefficient 2, TSP 20 in USD unless given."""
    row: dict[str, Any] = {
        "ps_id": ps_id,
        "sku": f"SKU-{ps_id}",
        "name": f"Product {ps_id}",
        "category_id": "cat-a",
        "category": "Alpha",
        "supplier_id": "12",
        "currency": "USD",
        "tcc": Decimal("10"),
        "price": Decimal("5"),
        "coef": Decimal("2"),
        "tsp": Decimal("20"),
        "tsp_formula": "TCC * 2",
    }
    row.update(
        {k: (Decimal(v) if isinstance(v, str) and k in _MONEY else v) for k, v in fields.items()}
    )
    return row


_MONEY = {"tcc", "price", "coef", "tsp"}


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """A products frame (as ``products_frame`` builds) of ``rows``."""
    return pd.DataFrame(list(rows), columns=list(PRODUCT_COLUMNS)).astype(
        {column: object for column in _MONEY}
    )
