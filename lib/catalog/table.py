"""The catalog table: every product with margin and TCC/TSP in Turkish lira, as a DataFrame.

``catalog_table`` turns the stored snapshot (``CatalogRepository.load_frame``) into the
rows the Catalog page shows and exports. Money stays ``Decimal``; a value that cannot
be computed (TCC or TSP disabled, no rate for a currency) is None, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import pandas as pd

from lib.catalog.source_prices import ID_COLUMNS, source_labels
from lib.catalog.suppliers import name_column

CategoryLanguage = Literal["en", "ru"]
RateLookup = Callable[[str], Decimal | None]

PERCENT = Decimal("0.01")
NO_RATE = "no rate"

# Table column -> heading on the page and in exports, in display order. "category"
# stands for category_en or category_ru, whichever language the user picked.
COLUMN_LABELS: dict[str, str] = {
    "ps_id": "ps id",
    "sku": "SKU",
    "name": "Name",
    "category": "Category",
    "supplier": "Supplier",
    "supplier_id": "Supplier id",
    "price": "Price",
    "currency": "Currency",
    "tcc_coefficient": "TCC coefficient",
    "tcc": "TCC",
    "tcc_currency": "TCC currency",
    "tsp": "TSP",
    "tsp_currency": "TSP currency",
    "tsp_formula": "TSP formula",
    "margin": "Margin",
    "margin_pct": "Margin %",
    "tcc_try": "TCC (TRY)",
    "tsp_try": "TSP (TRY)",
    "try_note": "TRY note",
    "tcc_enabled": "TCC enabled",
    "tsp_enabled": "TSP enabled",
}
# Money columns in the product's currencies, each with the column naming its currency.
MONEY_CURRENCY_COLUMNS: dict[str, str] = {
    "price": "currency",
    "tcc": "tcc_currency",
    "tsp": "tsp_currency",
    "margin": "tsp_currency",
}
TRY_COLUMNS: tuple[str, ...] = ("tcc_try", "tsp_try")


def catalog_table(
    snapshot: pd.DataFrame, rate: RateLookup, supplier_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per snapshot product (same index): the table columns plus filter helpers.

    ``rate(currency)`` gives TRY per unit of a currency, or None when there is none
    (``RateBoard.rate``); it is asked once per currency, not per product.
    ``supplier_names`` (supplier id -> name) fills ``supplier``; an unnamed one shows its id.
    """
    tcc = _values(snapshot["tcc_total_cost"])
    tsp = _values(snapshot["tsp_value"])
    tcc_currency = _values(snapshot["tcc_currency"])
    tsp_currency = _values(snapshot["tsp_currency"])
    rates = {code: rate(code) for code in {*tcc_currency, *tsp_currency} if code}
    pricing = list(zip(tcc, tcc_currency, tsp, tsp_currency, strict=True))
    margins = [margin(*row) for row in pricing]
    table = pd.DataFrame(
        {
            "ps_id": snapshot["ps_id"],
            "sku": snapshot["sku"],
            "name": snapshot["name"],
            "category_en": _first_present(snapshot["category_name_en"], snapshot["category_name"]),
            "category_ru": _first_present(snapshot["category_name"], snapshot["category_name_en"]),
            "supplier": name_column(snapshot["supplier_id"], supplier_names or {}),
            "supplier_id": snapshot["supplier_id"],
            "price": snapshot["price"],
            "currency": snapshot["currency"],
            "tcc_coefficient": snapshot["tcc_coefficient"],
            "tcc": tcc,
            "tcc_currency": tcc_currency,
            "tsp": tsp,
            "tsp_currency": tsp_currency,
            "tsp_formula": snapshot["tsp_formula"],
            "margin": margins,
            "margin_pct": [margin_percent(m, t) for m, t in zip(margins, tsp, strict=True)],
            "tcc_try": _in_try(tcc, tcc_currency, rates),
            "tsp_try": _in_try(tsp, tsp_currency, rates),
            "try_note": [
                try_note(*row, rates)
                for row in zip(tcc, tcc_currency, tsp, tsp_currency, strict=True)
            ],
            "tcc_enabled": snapshot["tcc_enabled"],
            "tsp_enabled": snapshot["tsp_enabled"],
        },
        index=snapshot.index,
        dtype=object,
    )
    # What free-text search looks through: ps id, SKU and name, lower-cased once, as a
    # string column (not objects) so a search over 50,000 rows takes milliseconds.
    searched = [table[column].fillna("") for column in ("ps_id", "sku", "name")]
    table["search_text"] = (searched[0] + "\n" + searched[1] + "\n" + searched[2]).str.lower()
    table["search_text"] = table["search_text"].astype("str")
    return table


def margin(
    tcc: Decimal | None, tcc_currency: str | None, tsp: Decimal | None, tsp_currency: str | None
) -> Decimal | None:
    """TSP − TCC in their shared currency; None when either is missing or the currencies differ."""
    if tcc is None or tsp is None or tcc_currency != tsp_currency:
        return None
    return tsp - tcc


def margin_percent(margin_amount: Decimal | None, tsp: Decimal | None) -> Decimal | None:
    """The margin as a percentage of TSP, to 0.01 %; None without a margin or with a zero TSP."""
    if margin_amount is None or tsp is None or tsp == 0:
        return None
    return (margin_amount / tsp * 100).quantize(PERCENT, rounding=ROUND_HALF_UP)


def to_try(
    amount: Decimal | None, currency: str | None, rates: dict[str, Decimal | None]
) -> Decimal | None:
    """``amount`` in Turkish lira, exact; None when the amount or its currency's rate is missing."""
    if amount is None or not currency:
        return None
    rate = rates.get(currency)
    return None if rate is None else amount * rate


def try_note(
    tcc: Decimal | None,
    tcc_currency: str | None,
    tsp: Decimal | None,
    tsp_currency: str | None,
    rates: dict[str, Decimal | None],
) -> str:
    """``no rate for CNY`` when TCC or TSP cannot be converted to TRY; empty otherwise."""
    missing = [
        currency or "an unstated currency"
        for amount, currency in ((tcc, tcc_currency), (tsp, tsp_currency))
        if amount is not None and (not currency or rates.get(currency) is None)
    ]
    return f"{NO_RATE} for {', '.join(dict.fromkeys(missing))}" if missing else ""


def category_column(language: CategoryLanguage) -> str:
    """The table column holding category names in ``language``."""
    return f"category_{language}"


def labelled(view: pd.DataFrame, language: CategoryLanguage, *, ids: bool = True) -> pd.DataFrame:
    """The rows as the page shows and exports them: ``COLUMN_LABELS`` headings, in order,
    with the Stock2Shop columns the table has after TSP (the grid leaves the supplier's
    and the variant's ids to the product's details: ``ids=False``)."""
    columns: dict[str, str] = {}
    for name, label in COLUMN_LABELS.items():
        if ids or name != "supplier_id":
            columns[category_column(language) if name == "category" else name] = label
        if name == "tsp_currency":
            columns |= {
                column: heading
                for column, heading in source_labels(view.columns).items()
                if ids or column not in ID_COLUMNS
            }
    return view[list(columns)].rename(columns=columns)


def _values(column: pd.Series) -> list[Any]:
    """The column's cells as a list, with every kind of missing value as None."""
    return [None if _missing(value) else value for value in column.tolist()]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _first_present(first: pd.Series, second: pd.Series) -> list[str | None]:
    """Per row, the first non-blank of two text columns, else None."""
    return [a or b or None for a, b in zip(_values(first), _values(second), strict=True)]


def _in_try(
    amounts: Iterable[Decimal | None],
    currencies: Iterable[str | None],
    rates: dict[str, Decimal | None],
) -> list[Decimal | None]:
    return [to_try(a, c, rates) for a, c in zip(amounts, currencies, strict=True)]
