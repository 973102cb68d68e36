"""The catalog snapshot as the one DataFrame the pricing functions read."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lib.pleasurestock.models import Product

# Money columns hold Decimal (or None); the rest are strings (or None).
PRODUCT_COLUMNS = (
    "ps_id",
    "sku",
    "name",
    "category_id",
    "category",
    "supplier_id",
    "currency",
    "tcc",
    "price",
    "coef",
    "tsp",
    "tsp_formula",
)


def products_frame(products: Sequence[Product]) -> pd.DataFrame:
    """One row per product: ids, category name (English first), TCC, price, coefficient, TSP.

    ``currency`` is the currency of TCC and TSP (the formula's result), which the API
    states separately from the supplier price's currency.
    """
    rows = [
        (
            p.internal_id,
            p.sku,
            p.name,
            p.category_id,
            p.category_name_en or p.category_name,
            p.supplier_id,
            p.tsp_currency or p.tcc_currency or p.currency,
            p.tcc_total_cost,
            p.price,
            p.tcc_coefficient,
            p.tsp_value,
            p.tsp_formula,
        )
        for p in products
    ]
    return pd.DataFrame(rows, columns=list(PRODUCT_COLUMNS)).astype(
        {"tcc": object, "price": object, "coef": object, "tsp": object}
    )
