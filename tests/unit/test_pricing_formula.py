"""The formula language: precedence, unary minus, functions, and every error with its column."""

from __future__ import annotations

import numpy as np
import pytest

from lib.pricing.evaluate import evaluate
from lib.pricing.formula import MAX_DEPTH, MAX_LENGTH, FormulaError, parse


def value(text: str, tcc: float = 10.0, price: float = 4.0, coef: float = 2.5) -> float:
    """The formula's value for one product."""
    variables = {
        name: np.array([v]) for name, v in (("TCC", tcc), ("PRICE", price), ("COEF", coef))
    }
    return float(evaluate(parse(text).tree, variables, 1).values[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("24 / 4 / 2", 3),
        ("2 * 3 + 4 * 5", 26),
        ("-2 * 3", -6),
        ("2 * -3", -6),
        ("--2", 2),
        ("-(1 + 2)", -3),
        ("2 - -1", 3),
        ("+5", 5),
        ("10 - 2 * 3 / 4", 8.5),
        (".5 + 5.", 5.5),
    ],
)
def test_precedence_and_unary_minus(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


def test_variables_case_insensitive_and_unicode_operators() -> None:
    assert value("TCC * 2.5 + 104") == 129
    assert value("tcc × Coef ÷ 5 − price") == pytest.approx(10 * 2.5 / 5 - 4)
    assert parse("PRICE * COEF + TCC").variables == {"PRICE", "COEF", "TCC"}
    assert parse("2 + 3").variables == frozenset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min(3, 1, 2)", 1),
        ("max(TCC, 12, PRICE)", 12),
        ("round(2.675, 2)", 2.68),
        ("round(-2.5)", -3),
        ("round(2.5)", 3),
        ("round(1234.5, -2)", 1200),
        ("ceil(0.1 * 3 * 10)", 3),
        ("ceil(2.01)", 3),
        ("floor(0.29 * 100)", 29),
        ("floor(-1.5)", -2),
        ("ROUND(max(TCC * 1.1, PRICE + 8), 1)", 12.0),
    ],
)
def test_functions(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("TCC*2.5+104", "TCC * 2.5 + 104"),
        ("(TCC+1)*2", "(TCC + 1) * 2"),
        ("TCC-(1-2)", "TCC - (1 - 2)"),
        ("tcc × 2 ÷ 4 − 1", "TCC * 2 / 4 - 1"),
        ("-(TCC + 1)", "-(TCC + 1)"),
        ("MIN(tcc,2.50)", "min(TCC, 2.5)"),
        ("round(TCC, -1)", "round(TCC, -1)"),
        ("((TCC))", "TCC"),
    ],
)
def test_canonical_text(text: str, canonical: str) -> None:
    assert parse(text).canonical == canonical
    assert parse(canonical).canonical == canonical


def test_the_issue_example_message() -> None:
    with pytest.raises(FormulaError) as caught:
        parse("TCCC * 2")
    assert str(caught.value) == "unknown name `TCCC` at column 1; did you mean `TCC`?"
    assert caught.value.column == 1


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("TCC * PRCE", 7, "unknown name `PRCE` at column 7; did you mean `PRICE`?"),
        ("TCC + mn(1, 2)", 7, "did you mean `min`?"),
        ("TCC * 2 +", 10, "expected a number, a name or `(` but found the end of the formula"),
        ("TCC $ 2", 5, "unexpected character `$`"),
        ("TCC % 2", 5, "write a percentage as a factor"),
        ("(TCC + 1", 1, "unclosed `(` at column 1; add `)` to close it"),
        ("TCC + 1)", 8, "unexpected `)` without a matching `(`"),
        ("TCC 2", 5, "after a complete expression at column 5; is an operator missing?"),
        ("TCC, 2", 4, "`,` only separates a function's values"),
        ("min(TCC)", 1, "`min` takes at least 2 values, got 1"),
        ("min()", 1, "`min` takes at least 2 values, got 0"),
        ("min(1,)", 7, "expected a number, a name or `(` but found `)`"),
        ("min(1 2)", 7, "expected `)` but found `2` at column 7; is an operator missing?"),
        ("round(TCC, 1.5)", 12, "the digits of `round` must be a whole number from -6 to 6"),
        ("round(TCC, PRICE)", 12, "the digits of `round`"),
        ("round(TCC, 7)", 12, "the digits of `round`"),
        ("round(1, 2, 3)", 1, "`round` takes a value and optional digits, got 3"),
        ("ceil(1, 2)", 1, "`ceil` takes 1 value, got 2"),
        ("TCC(2)", 1, "`TCC` is a variable, not a function"),
        ("max + 1", 1, "`max` is a function at column 1; write `max(…)`"),
        ("1.2.3", 1, "malformed number `1.2.`"),
        ("2TCC", 1, "malformed number `2T` at column 1; is an operator missing?"),
        ("", 1, "the formula is empty"),
        ("   ", 1, "the formula is empty"),
        ("TCC ** 2", 6, "powers are not supported"),
        ("TCC ^ 2", 5, "powers are not supported"),
        ("1" + "0" * 13, 1, "is too large"),
        ("TCC.real", 4, "unexpected character `.`"),
        ("a.b", 1, "unknown name `a`"),
        ("TCC = 2", 5, "write only the right-hand side"),
        ("TCC\x00", 4, "unexpected character '\\x00'"),
    ],
)
def test_errors_say_what_and_where(text: str, column: int, message: str) -> None:
    with pytest.raises(FormulaError) as caught:
        parse(text)
    assert caught.value.column == column
    assert message in str(caught.value)
    assert f"at column {column}" in str(caught.value)


def test_the_first_problem_from_the_left_is_reported() -> None:
    with pytest.raises(FormulaError) as caught:
        parse("foo $ bar")
    assert caught.value.column == 1


def test_length_is_bounded() -> None:
    longest = "1" + " + 1" * ((MAX_LENGTH - 1) // 4)
    assert len(longest) <= MAX_LENGTH
    assert value(longest) == (MAX_LENGTH - 1) // 4 + 1
    with pytest.raises(FormulaError) as caught:
        parse(longest + " " * (MAX_LENGTH - len(longest) + 1))
    assert caught.value.column == MAX_LENGTH + 1
    assert f"the limit is {MAX_LENGTH}" in str(caught.value)


def test_nesting_is_bounded() -> None:
    deepest = "(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH
    assert value(deepest) == 1
    with pytest.raises(FormulaError, match=f"nests deeper than {MAX_DEPTH}") as caught:
        parse("(" + deepest + ")")
    assert caught.value.column == MAX_DEPTH + 1
    with pytest.raises(FormulaError, match="nests deeper"):
        parse("-" * (MAX_DEPTH + 1) + "1")
    with pytest.raises(FormulaError, match="nests deeper"):
        parse("min(1, " * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1))
