"""Catalog filters: what the user asked to see, and the rows of the catalog table that match.

The page keeps each filter in a widget bound to the URL query string, so a link
reproduces the view; this module only turns the widgets' values into a boolean row
mask. A range or a choice that excludes rows with a missing value says so in its
docstring: nothing is left out without a rule the user can read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import pandas as pd

from lib.catalog.source_prices import LINKED
from lib.catalog.table import CategoryLanguage, category_column

Switch = Literal["any", "enabled", "disabled"]
SWITCH_LABELS: dict[Switch, str] = {"any": "Any", "enabled": "Enabled", "disabled": "Disabled"}
SourceChoice = Literal["any", "linked", "unlinked"]
# The labels are also the URL's values (``source=Linked to Stock2Shop``): a bound widget
# puts its option's label in the link.
SOURCE_LABELS: dict[SourceChoice, str] = {
    "linked": "Linked to Stock2Shop",
    "unlinked": "Not linked to Stock2Shop",
}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class MoneyRange:
    """From/to bounds (inclusive) on one money column; None leaves that side open."""

    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def is_open(self) -> bool:
        """True when neither bound is set, so the range keeps every row."""
        return self.low is None and self.high is None

    @classmethod
    def from_inputs(cls, low: float | None, high: float | None) -> MoneyRange:
        """Bounds from number inputs (floats), as exact cents."""
        return cls(low=money_bound(low), high=money_bound(high))


@dataclass(frozen=True)
class CatalogFilters:
    """Everything the Catalog page can filter on; the defaults keep every product.

    ``ranges`` maps a money column of the table (``price``, ``tcc_try``, ``tsp_try``…) to
    its bounds. The data-quality filter is applied with ``lib.catalog.quality`` flags.
    """

    language: CategoryLanguage = "en"
    categories: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = ()
    currencies: tuple[str, ...] = ()
    tcc: Switch = "any"
    tsp: Switch = "any"
    search: str = ""
    ranges: dict[str, MoneyRange] = field(default_factory=dict)
    source: SourceChoice = "any"


@dataclass(frozen=True)
class FilterOptions:
    """The values the choice filters offer, taken from the catalog itself."""

    categories: list[str]
    suppliers: list[str]
    currencies: list[str]


def filter_options(table: pd.DataFrame, language: CategoryLanguage) -> FilterOptions:
    """Sorted distinct categories (in ``language``), suppliers (by name, or by id where the
    directory has no name) and currencies."""
    return FilterOptions(
        categories=_distinct(table[category_column(language)]),
        suppliers=_distinct(table["supplier"]),
        currencies=_distinct(table["currency"]),
    )


def filter_mask(table: pd.DataFrame, filters: CatalogFilters) -> pd.Series:
    """True for each row of ``table`` that every filter keeps.

    A range leaves out rows whose value is missing (e.g. TSP disabled or no rate).
    ``source`` goes by confirmed links to Stock2Shop (a link whose variant has left the
    snapshot still counts: the link is what a person confirmed).
    """
    mask = pd.Series(True, index=table.index)
    choices = (
        (category_column(filters.language), filters.categories),
        ("supplier", filters.suppliers),
        ("currency", filters.currencies),
    )
    for column, chosen in choices:
        if chosen:
            mask &= table[column].isin(chosen)
    mask &= _switch(table["tcc_enabled"], filters.tcc)
    mask &= _switch(table["tsp_enabled"], filters.tsp)
    if filters.source != "any":
        mask &= table[LINKED].eq(filters.source == "linked")
    needle = filters.search.strip().lower()
    if needle:
        mask &= table["search_text"].str.contains(needle, regex=False)
    for column, bounds in filters.ranges.items():
        if not bounds.is_open:
            mask &= _within(table[column], bounds)
    return mask


def filter_problems(filters: CatalogFilters, labels: dict[str, str]) -> list[str]:
    """Messages for filters that cannot match anything, e.g. a range whose from is above its to.

    ``labels`` names each range column the way the page does.
    """
    return [
        f"{labels.get(column, column)}: 'from' ({bounds.low}) is above 'to' ({bounds.high}), "
        "so no product can match. Swap or clear the two values."
        for column, bounds in filters.ranges.items()
        if bounds.low is not None and bounds.high is not None and bounds.low > bounds.high
    ]


def translate_categories(
    names: Iterable[str], table: pd.DataFrame, to_language: CategoryLanguage
) -> list[str]:
    """The same categories named in ``to_language`` (for the English/Russian toggle).

    A name the catalog does not know is kept as it is.
    """
    source = category_column("ru" if to_language == "en" else "en")
    pairs = table[[source, category_column(to_language)]].dropna().drop_duplicates(source)
    mapping = dict(zip(pairs[source], pairs[category_column(to_language)], strict=True))
    return list(dict.fromkeys(mapping.get(name, name) for name in names))


def unknown_link_values(
    requested: dict[str, list[str]], options: FilterOptions
) -> dict[str, list[str]]:
    """Per choice filter (``category``, ``supplier``, ``currency``, ``source``), the
    asked-for values not offered; filters without any are left out."""
    offered = {
        "category": options.categories,
        "supplier": options.suppliers,
        "currency": options.currencies,
        "source": list(SOURCE_LABELS.values()),
    }
    unknown = {
        key: [value for value in values if value not in offered[key]]
        for key, values in requested.items()
    }
    return {key: values for key, values in unknown.items() if values}


def named_supplier_ids(table: pd.DataFrame, values: Iterable[str]) -> dict[str, str]:
    """Of ``values``, the ids of suppliers the table lists by name: id -> name (a link made
    before the supplier had a name asks for its id)."""
    rows = table[
        table["supplier_id"].isin(list(values)) & table["supplier"].ne(table["supplier_id"])
    ]
    return dict(zip(rows["supplier_id"], rows["supplier"], strict=True))


def money_bound(value: float | None) -> Decimal | None:
    """A number input's value as an exact amount in cents (half up); None stays None."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _distinct(column: pd.Series) -> list[str]:
    return sorted(value for value in column.dropna().unique() if value)


def _switch(flags: pd.Series, wanted: Switch) -> pd.Series:
    """Rows whose flag matches; a missing flag matches only "any"."""
    if wanted == "any":
        return pd.Series(True, index=flags.index)
    target = wanted == "enabled"
    return flags.map(lambda flag: isinstance(flag, bool) and flag == target).astype(bool)


def _within(values: pd.Series, bounds: MoneyRange) -> pd.Series:
    """Rows whose amount lies inside ``bounds``; a missing amount never does."""

    def inside(value: Decimal | None) -> bool:
        if value is None or value != value:  # None, or NaN after pandas reindexing
            return False
        if bounds.low is not None and value < bounds.low:
            return False
        return bounds.high is None or value <= bounds.high

    return values.map(inside).astype(bool)
