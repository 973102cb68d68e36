"""Date orders and decimal marks: guessed from the values, ambiguous when they do not decide."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.sales.formats import (
    LARGEST_COUNT,
    guess_date_order,
    guess_decimal_mark,
    parse_counts,
    parse_dates,
)


def texts(*values: str) -> pd.Series:
    return pd.Series(values, dtype="str")


@pytest.mark.parametrize(
    ("values", "order", "ambiguous"),
    [
        (("2025-11-03", "03.11.2025"), "day_first", False),
        (("25/11/2025", "03/04/2025"), "day_first", False),
        (("11/25/2025", "03/04/2025"), "month_first", False),
        (("03/04/2025", "12/01/2025"), "day_first", True),
    ],
)
def test_date_order_guess(values: tuple[str, ...], order: str, ambiguous: bool) -> None:
    guess = guess_date_order(texts(*values))
    assert (guess.value, guess.ambiguous) == (order, ambiguous)
    if ambiguous:
        assert guess.example == "03/04/2025"


def test_the_three_date_forms_and_the_chosen_slash_order() -> None:
    values = texts("2025-11-03", "3.11.2025", "03/11/2025", "31.11.2025", "2025-02-29", "x", "")
    day_first = parse_dates(values, "day_first")
    assert [d.date().isoformat() if pd.notna(d) else None for d in day_first] == [
        "2025-11-03", "2025-11-03", "2025-11-03", None, None, None, None,
    ]  # fmt: skip
    assert parse_dates(texts("03/11/2025"), "month_first")[0] == pd.Timestamp("2025-03-11")


@pytest.mark.parametrize(
    ("values", "mark", "ambiguous"),
    [
        (("5", "7"), ".", False),
        (("5,0", "1.250"), ",", False),
        (("5.5", "1,250"), ".", False),
        (("1.250", "12"), ",", True),
        (("1,250",), ".", True),
    ],
)
def test_decimal_mark_guess(values: tuple[str, ...], mark: str, ambiguous: bool) -> None:
    guess = guess_decimal_mark([texts(*values)])
    assert (guess.value, guess.ambiguous) == (mark, ambiguous)


def test_counts_with_a_decimal_comma() -> None:
    parsed = parse_counts(
        texts("5", "2,0", "1.250", "1.250,00", "1,5", "-2", "abc", "1.25", "", "+3"), ","
    )
    assert parsed.values.tolist() == [5, 2, 1250, 1250, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA, 3]
    assert parsed.problems.tolist() == [
        None,
        None,
        None,
        None,
        "is not a whole number",
        "is negative; it must be 0 or more",
        "is not a number (numbers look like 1.250 or 5,0 here)",
        "is not a number (numbers look like 1.250 or 5,0 here)",
        None,
        None,
    ]


def test_counts_with_a_decimal_point() -> None:
    parsed = parse_counts(texts("5.0", "1,250", "1,25", str(LARGEST_COUNT + 1)), ".")
    assert parsed.values.tolist() == [5, 1250, pd.NA, pd.NA]
    assert parsed.problems.tolist()[2:] == [
        "is not a number (numbers look like 1,250 or 5.0 here)",
        f"is larger than {LARGEST_COUNT:,}",
    ]


def test_digits_of_every_script_are_read_and_look_alikes_are_reported() -> None:
    parsed = parse_counts(texts("３", "٣", "۱۲", "１，０", "5²", "½", "12"), ",")
    assert parsed.values.tolist()[:4] == [3, 3, 12, 1]
    assert parsed.values.tolist()[6] == 12
    assert parsed.problems.tolist()[4:6] == [
        "is not a number (numbers look like 1.250 or 5,0 here)",
        "is not a number (numbers look like 1.250 or 5,0 here)",
    ]
    assert parse_dates(texts("٠٣/١١/٢٠٢٥", "２０２５-１１-０４"), "day_first").tolist() == [
        pd.Timestamp("2025-11-03"),
        pd.Timestamp("2025-11-04"),
    ]
    assert guess_date_order(texts("٠٣/١١/٢٠٢٥", "٢٥/١١/٢٠٢٥")).ambiguous is False
