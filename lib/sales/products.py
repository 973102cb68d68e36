"""From what a shop writes in its product column (SKU, ps id or UUID) to the PleasureStock ps id.

The catalog snapshot is the reference: a code is matched to a product's ps id, UUID
or SKU, ignoring case and surrounding spaces. Sales are always keyed by ps id, so a
product sent once by SKU and once by UUID still has one ledger line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from lib.pleasurestock.models import Product


@dataclass(frozen=True)
class ProductIndex:
    """Folded code (ps id, UUID or SKU) → ps id; codes shared by two products are left out."""

    by_code: dict[str, str]
    ambiguous: frozenset[str]
    product_count: int

    @classmethod
    def from_products(cls, products: Iterable[Product]) -> ProductIndex:
        """Index a catalog snapshot."""
        owners: dict[str, set[str]] = {}
        count = 0
        for product in products:
            count += 1
            for code in (product.internal_id, product.id, product.sku):
                if code and code.strip():
                    owners.setdefault(code.strip().casefold(), set()).add(product.internal_id)
        by_code = {code: next(iter(ids)) for code, ids in owners.items() if len(ids) == 1}
        ambiguous = frozenset(code for code, ids in owners.items() if len(ids) > 1)
        return cls(by_code=by_code, ambiguous=ambiguous, product_count=count)

    def resolve(self, codes: pd.Series) -> pd.Series:
        """The ps id of each code (str), NA where the catalog has no such product."""
        return codes.str.casefold().map(self.by_code)

    def is_ambiguous(self, codes: pd.Series) -> pd.Series:
        """True where a code is the SKU of more than one product."""
        if not self.ambiguous:
            return pd.Series(False, index=codes.index)
        return codes.str.casefold().isin(self.ambiguous)
