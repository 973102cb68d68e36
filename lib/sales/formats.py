"""Dates and whole numbers as shops write them: guessing the convention, then parsing vectorised.

Dates come as ``YYYY-MM-DD``, ``DD.MM.YYYY`` or ``DD/MM/YYYY``; a slash date whose
day and month are both ≤ 12 could also be a US ``MM/DD/YYYY`` date, so when a file
has only such dates the guess is marked ambiguous and the user decides. Numbers
may use a decimal comma (``5,0``) with dots grouping thousands (``1.250``), or the
other way round; ``1.250`` alone could be either, so that is ambiguous too.

Digits are read in any script, as Excel and the shop's till show them: Arabic-Indic
``٣``, full-width ``３`` and every other Unicode decimal digit count as their ASCII
digit, and full-width ``，．－`` as ``,.-``, the same way for dates, quantities and stock.
Other look-alikes (superscript ``²``, fractions) are not digits and are reported.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

import numpy as np
import pandas as pd

DateOrder = Literal["day_first", "month_first"]
DecimalMark = Literal[",", "."]

DATE_ORDER_LABELS: dict[DateOrder, str] = {
    "day_first": "DD/MM/YYYY (03/04/2025 is 3 April)",
    "month_first": "MM/DD/YYYY (03/04/2025 is 4 March)",
}
DECIMAL_MARK_LABELS: dict[DecimalMark, str] = {
    ",": "Decimal comma: 1.250 is one thousand two hundred fifty, 5,0 is five",
    ".": "Decimal point: 1,250 is one thousand two hundred fifty, 5.0 is five",
}
DATE_FORMATS_TEXT = "YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY"
# Quantities and stock are stored as integers; anything larger is a typo or a barcode.
LARGEST_COUNT = 2**31 - 1

# [0-9], not \d: digits of other scripts are made ASCII first (``ascii_digits``).
_SLASH_PARTS = r"^([0-9]{1,2})/([0-9]{1,2})/[0-9]{4}$"
# Thousands grouping allowed with each decimal mark: dots with a decimal comma and vice versa.
_GROUPED = {",": r"[0-9]{1,3}(?:\.[0-9]{3})+", ".": r"[0-9]{1,3}(?:,[0-9]{3})+"}
_FULL_WIDTH = (0xFF01, 0xFF5E)  # full-width forms of ASCII ! … ~

T = TypeVar("T")


@dataclass(frozen=True)
class Guess(Generic[T]):
    """A guessed convention; ``ambiguous`` means the file does not decide and a person must."""

    value: T
    ambiguous: bool
    example: str | None = None


def ascii_digits(values: pd.Series) -> pd.Series:
    """``values`` with every Unicode decimal digit as its ASCII digit and full-width ASCII
    forms as ASCII (``٣`` → ``3``, ``１，５`` → ``1,5``); other text unchanged."""
    foreign = ~values.str.isascii().fillna(True).to_numpy(dtype=bool)
    if not foreign.any():
        return values
    result = values.copy()
    result[foreign] = [_ascii_text(value) for value in values[foreign]]
    return result


def _ascii_text(value: str) -> str:
    return "".join(_ascii_char(char) for char in value)


def _ascii_char(char: str) -> str:
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    if _FULL_WIDTH[0] <= ord(char) <= _FULL_WIDTH[1]:
        return chr(ord(char) - 0xFEE0)
    return char


def guess_date_order(values: pd.Series) -> Guess[DateOrder]:
    """Day-first unless the slash dates show a month-first file; ambiguous if nothing decides."""
    original = values
    values = ascii_digits(values)
    slashed = values[values.str.contains("/", regex=False)]
    if slashed.empty:
        return Guess("day_first", ambiguous=False)
    parts = slashed.str.extract(_SLASH_PARTS).dropna().astype("int64")
    if parts.empty:
        return Guess("day_first", ambiguous=False)
    day_first = bool((parts[0] > 12).any())
    month_first = bool((parts[1] > 12).any())
    if month_first and not day_first:
        return Guess("month_first", ambiguous=False)
    if day_first:
        return Guess("day_first", ambiguous=False)
    return Guess("day_first", ambiguous=True, example=str(original[slashed.index[0]]))


def parse_dates(values: pd.Series, order: DateOrder) -> pd.Series:
    """``datetime64`` per value (time 00:00), NaT where a value is not a real date in one of
    the accepted forms."""
    slash = "%d/%m/%Y" if order == "day_first" else "%m/%d/%Y"
    values = ascii_digits(values)
    parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    for form, marker in (("%d.%m.%Y", "."), (slash, "/")):
        todo = parsed.isna() & values.str.contains(marker, regex=False)
        if todo.any():
            parsed[todo] = pd.to_datetime(values[todo], format=form, errors="coerce")
    return parsed.astype("datetime64[s]")


def guess_decimal_mark(columns: list[pd.Series]) -> Guess[DecimalMark]:
    """Which mark separates decimals in these number columns (quantity, stock)."""
    values = pd.concat([c[c.str.contains(r"[.,]", regex=True)] for c in map(ascii_digits, columns)])
    if values.empty:
        return Guess(".", ambiguous=False)
    comma_only_grouping = values.str.fullmatch(_GROUPED["."])
    dot_only_grouping = values.str.fullmatch(_GROUPED[","])
    has_comma = values.str.contains(",", regex=False)
    has_dot = values.str.contains(".", regex=False)
    # A comma that cannot be thousands grouping ("5,0", "12,75") is a decimal comma.
    decided_comma = bool((has_comma & ~comma_only_grouping).any())
    decided_dot = bool((has_dot & ~dot_only_grouping).any())
    if decided_comma:
        return Guess(",", ambiguous=False)
    if decided_dot:
        return Guess(".", ambiguous=False)
    example = str(values.iloc[0])
    return Guess("," if dot_only_grouping.any() else ".", ambiguous=True, example=example)


@dataclass(frozen=True)
class ParsedCounts:
    """Whole numbers parsed from text: ``values`` (Int64, NA where invalid or empty) and,
    per value, why it is invalid (``None`` when valid or empty)."""

    values: pd.Series
    problems: pd.Series


def parse_counts(values: pd.Series, mark: DecimalMark) -> ParsedCounts:
    """Parse whole numbers ≥ 0 written with decimal ``mark`` (``5``, ``5,0``, ``1.250``)."""
    values = ascii_digits(values)
    plain = values.str.fullmatch("[0-9]+").fillna(False).to_numpy(dtype=bool)
    empty = (values == "").to_numpy(dtype=bool)
    numbers = pd.Series(np.nan, index=values.index, dtype="float64")
    numbers[plain] = pd.to_numeric(values[plain], errors="coerce")
    problems = pd.Series(None, index=values.index, dtype="object")

    other = ~plain & ~empty
    if other.any():
        text = values[other]
        grouping = "." if mark == "," else ","
        shape = rf"[+-]?(?:{_GROUPED[mark]}|[0-9]+)(?:\{mark}[0-9]+)?"
        well_formed = text.str.fullmatch(shape).fillna(False).to_numpy(dtype=bool)
        normal = text[well_formed].str.replace(grouping, "", regex=False)
        if mark == ",":
            normal = normal.str.replace(",", ".", regex=False)
        index = text.index
        numbers[index[well_formed]] = pd.to_numeric(normal, errors="coerce")
        example = "1.250 or 5,0" if mark == "," else "1,250 or 5.0"
        problems[index[~well_formed]] = f"is not a number (numbers look like {example} here)"

    with np.errstate(invalid="ignore"):
        fractional = numbers.notna() & (numbers != np.floor(numbers))
    problems[fractional.to_numpy()] = "is not a whole number"
    problems[(numbers < 0).to_numpy()] = "is negative; it must be 0 or more"
    problems[(numbers > LARGEST_COUNT).to_numpy()] = f"is larger than {LARGEST_COUNT:,}"
    # Whatever did not become a number has a reason: a value is never dropped silently.
    unread = numbers.isna().to_numpy() & problems.isna().to_numpy() & ~empty
    problems[unread] = "is not a number"
    valid = numbers.notna() & problems.isna()
    result = pd.Series(pd.NA, index=values.index, dtype="Int64")
    result[valid.to_numpy()] = numbers[valid].astype("int64")
    return ParsedCounts(values=result, problems=problems.where(problems.notna(), None))
