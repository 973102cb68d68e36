"""Does PleasureStock's own TSP formula match the active version's company default?

The API reports each product's ``tsp_formula`` but offers no way to change it: the
company sets it in PleasureStock's web UI. Formulas are compared as parsed trees
written out canonically, so ``TCC*2.5+104`` and ``TCC * 2.5 + 104`` are the same.
"""

from __future__ import annotations

import pandas as pd

from lib.pricing.formula import FormulaError, parse


def canonical_formula(text: str) -> str | None:
    """The formula written out in the standard way, or None when it cannot be read."""
    try:
        return parse(text).canonical
    except FormulaError:
        return None


def api_formulas(products: pd.DataFrame, default_formula: str | None) -> pd.DataFrame:
    """Each distinct API formula with its product count and whether it matches ours.

    Columns: formula, products, matches (True/False, or None when there is no local
    default to compare with or the API formula is not in our language); most used first.
    """
    ours = None if default_formula is None else canonical_formula(default_formula)
    counts = products["tsp_formula"].dropna().value_counts()
    rows = []
    for formula, count in counts.items():
        theirs = canonical_formula(str(formula))
        matches = None if ours is None or theirs is None else theirs == ours
        rows.append({"formula": formula, "products": int(count), "matches": matches})
    return pd.DataFrame(rows, columns=["formula", "products", "matches"])


def starting_formula(products: pd.DataFrame, fallback: str = "TCC * 2") -> str:
    """The most used API formula that our language reads, else ``fallback``."""
    for formula in products["tsp_formula"].dropna().value_counts().index:
        if canonical_formula(str(formula)) is not None:
            return str(formula)
    return fallback
