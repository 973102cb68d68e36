"""The TSP formula language: a tokenizer and a recursive-descent parser to a small tree.

Grammar (names are case-insensitive; ``×`` ``÷`` ``−`` are accepted for ``*`` ``/`` ``-``)::

    formula  := sum
    sum      := product (("+" | "-") product)*
    product  := unary (("*" | "/") unary)*
    unary    := ("-" | "+") unary | primary
    primary  := NUMBER | VARIABLE | FUNCTION "(" sum ("," sum)* ")" | "(" sum ")"

Variables: ``TCC`` (total cost), ``PRICE`` (supplier price), ``COEF`` (TCC coefficient).
Functions: ``min``/``max`` (two or more values), ``round(x)`` or ``round(x, digits)``,
``ceil(x)``, ``floor(x)``. Nothing is ever handed to ``eval``: the tree is interpreted
by ``lib.pricing.evaluate``. Every problem is a ``FormulaError`` with a 1-based column.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from lib.pricing.tree import Binary, Call, Negate, Node, Number, Variable, variables_read, write

MAX_LENGTH = 500
MAX_DEPTH = 50
MAX_NUMBER = Decimal("1e12")
MAX_ROUND_DIGITS = 6

VARIABLES: dict[str, str] = {
    "TCC": "total cost (TCC)",
    "PRICE": "supplier price",
    "COEF": "TCC coefficient",
}
# Allowed argument counts (lowest, highest; None = no upper bound).
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "round": (1, 2),
    "ceil": (1, 1),
    "floor": (1, 1),
}
_OPERATORS = {"+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "/": "/", "÷": "/"}
_PUNCTUATION = {"(", ")", ","}


class FormulaError(ValueError):
    """A formula that cannot be read: what is wrong, the 1-based column, what to do."""

    def __init__(self, message: str, column: int, hint: str | None = None) -> None:
        super().__init__(f"{message} at column {column}" + (f"; {hint}" if hint else ""))
        self.message = message
        self.column = column
        self.hint = hint


@dataclass(frozen=True)
class Formula:
    """A parsed formula: the text as typed, its tree and the variables it reads."""

    text: str
    tree: Node

    @functools.cached_property
    def variables(self) -> frozenset[str]:
        """Canonical names of the variables the formula reads."""
        return variables_read(self.tree)

    @functools.cached_property
    def canonical(self) -> str:
        """The formula written out in one standard way, e.g. ``TCC * 2.5 + 104``."""
        return write(self.tree)


# -- tokens -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op", "(", ")", ",", "end"
    text: str
    column: int


def _tokenize(text: str) -> Iterator[_Token]:
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char.isascii() and (char.isdigit() or char == "."):
            end = _number_end(text, i)
            yield _Token("number", text[i:end], i + 1)
            i = end
        elif char.isascii() and (char.isalpha() or char == "_"):
            end = i + 1
            while (
                end < len(text)
                and text[end].isascii()
                and (text[end].isalnum() or text[end] == "_")
            ):
                end += 1
            yield _Token("name", text[i:end], i + 1)
            i = end
        elif char in _OPERATORS:
            yield _Token("op", _OPERATORS[char], i + 1)
            i += 1
        elif char in _PUNCTUATION:
            yield _Token(char, char, i + 1)
            i += 1
        else:
            raise FormulaError(f"unexpected character {_quote(char)}", i + 1, _HINTS.get(char))
    yield _Token("end", "", len(text) + 1)


def _number_end(text: str, start: int) -> int:
    """End of the number starting at ``start``: digits with at most one decimal point."""
    end = start
    seen_point = False
    while end < len(text) and text[end].isascii() and (text[end].isdigit() or text[end] == "."):
        if text[end] == ".":
            if seen_point:
                raise FormulaError(f"malformed number {_quote(text[start : end + 1])}", start + 1)
            seen_point = True
        end += 1
    literal = text[start:end]
    if literal == ".":
        raise FormulaError(
            "unexpected character `.`", start + 1, "names have no attributes; numbers need digits"
        )
    if end < len(text) and text[end].isascii() and (text[end].isalpha() or text[end] == "_"):
        raise FormulaError(
            f"malformed number {_quote(text[start : end + 1])}",
            start + 1,
            "is an operator missing?",
        )
    return end


_HINTS = {
    "^": "powers are not supported",
    "%": "write a percentage as a factor, e.g. `TCC * 1.2` for +20%",
    "[": "use parentheses `(` `)` for grouping",
    "{": "use parentheses `(` `)` for grouping",
    "=": "write only the right-hand side, e.g. `TCC * 2.5 + 104`",
    ";": "separate function arguments with `,`",
    "'": "there are no text values; use TCC, PRICE, COEF and numbers",
    '"': "there are no text values; use TCC, PRICE, COEF and numbers",
}


def _quote(text: str) -> str:
    return f"`{text}`" if text.isprintable() else repr(text)


# -- parser -----------------------------------------------------------------------------


class _Parser:
    """Recursive descent over the tokens; ``depth`` bounds parentheses and unary chains."""

    def __init__(self, text: str) -> None:
        # Tokens are read only when needed, so the first problem from the left is reported.
        self._tokens = _tokenize(text)
        self._next: _Token | None = None
        self._depth = 0

    @property
    def _token(self) -> _Token:
        if self._next is None:
            self._next = next(self._tokens)
        return self._next

    def _advance(self) -> _Token:
        token = self._token
        self._next = None
        return token

    def _enter(self, column: int) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise FormulaError(f"the formula nests deeper than {MAX_DEPTH} levels", column)

    def formula(self) -> Node:
        tree = self._sum()
        token = self._token
        if token.kind == ")":
            raise FormulaError("unexpected `)` without a matching `(`", token.column)
        if token.kind != "end":
            raise FormulaError(
                f"unexpected {_describe(token)} after a complete expression",
                token.column,
                "`,` only separates a function's values"
                if token.kind == ","
                else "is an operator missing?",
            )
        return tree

    def _sum(self) -> Node:
        left = self._product()
        while self._token.kind == "op" and self._token.text in "+-":
            op = self._advance()
            left = Binary(op.text, left, self._product(), op.column)
        return left

    def _product(self) -> Node:
        left = self._unary()
        while self._token.kind == "op" and self._token.text in "*/":
            op = self._advance()
            left = Binary(op.text, left, self._unary(), op.column)
        return left

    def _unary(self) -> Node:
        token = self._token
        if token.kind == "op" and token.text in "+-":
            self._advance()
            self._enter(token.column)
            operand = self._unary()
            self._depth -= 1
            return Negate(operand, token.column) if token.text == "-" else operand
        return self._primary()

    def _primary(self) -> Node:
        token = self._advance()
        if token.kind == "number":
            return _number(token)
        if token.kind == "name":
            return self._name(token)
        if token.kind == "(":
            self._enter(token.column)
            inner = self._sum()
            self._close(token)
            self._depth -= 1
            return inner
        raise FormulaError(
            f"expected a number, a name or `(` but found {_describe(token)}",
            token.column,
            "powers are not supported" if token.text == "*" else None,
        )

    def _name(self, token: _Token) -> Node:
        upper, lower = token.text.upper(), token.text.lower()
        if upper not in VARIABLES and lower not in FUNCTIONS:
            raise FormulaError(
                f"unknown name `{token.text}`", token.column, _suggestion(token.text)
            )
        follows_paren = self._token.kind == "("
        if upper in VARIABLES:
            if follows_paren:
                raise FormulaError(f"`{upper}` is a variable, not a function", token.column)
            return Variable(upper, token.column)
        if not follows_paren:
            raise FormulaError(f"`{lower}` is a function", token.column, f"write `{lower}(…)`")
        return self._call(lower, token)

    def _call(self, name: str, token: _Token) -> Node:
        opening = self._advance()
        self._enter(opening.column)
        args: list[Node] = []
        if self._token.kind != ")":
            args.append(self._sum())
            while self._token.kind == ",":
                self._advance()
                args.append(self._sum())
        self._close(opening)
        self._depth -= 1
        _check_arity(name, args, token.column)
        if name == "round" and len(args) == 2:
            args[1] = _round_digits(args[1])
        return Call(name, tuple(args), token.column)

    def _close(self, opening: _Token) -> None:
        token = self._token
        if token.kind == ")":
            self._advance()
            return
        if token.kind == "end":
            raise FormulaError("unclosed `(`", opening.column, "add `)` to close it")
        raise FormulaError(
            f"expected `)` but found {_describe(token)}",
            token.column,
            "is an operator missing?"
            if token.kind in ("number", "name", "(")
            else f"the `(` at column {opening.column} is still open",
        )


def _number(token: _Token) -> Number:
    value = Decimal(token.text)
    if value > MAX_NUMBER:
        raise FormulaError(
            f"the number {_quote(token.text)} is too large (at most {MAX_NUMBER:,.0f})",
            token.column,
        )
    return Number(value, token.column)


def _check_arity(name: str, args: list[Node], column: int) -> None:
    low, high = FUNCTIONS[name]
    if low <= len(args) and (high is None or len(args) <= high):
        return
    if high is None:
        wanted = f"at least {low} values"
    elif low == high:
        wanted = "1 value" if low == 1 else f"{low} values"
    else:
        wanted = "a value and optional digits"
    raise FormulaError(f"`{name}` takes {wanted}, got {len(args)}", column)


def _round_digits(node: Node) -> Number:
    """``round``'s second argument must be a literal whole number of digits, -6..6."""
    sign, literal = (-1, node.operand) if isinstance(node, Negate) else (1, node)
    if isinstance(literal, Number) and literal.value == literal.value.to_integral_value():
        digits = sign * int(literal.value)
        if abs(digits) <= MAX_ROUND_DIGITS:
            return Number(Decimal(digits), node.column)
    raise FormulaError(
        f"the digits of `round` must be a whole number from -{MAX_ROUND_DIGITS} "
        f"to {MAX_ROUND_DIGITS}",
        node.column,
        "e.g. `round(TCC * 2.5, 2)`",
    )


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "the end of the formula"
    return f"`{token.text}`"


def _suggestion(name: str) -> str:
    known = {n.lower(): n for n in (*VARIABLES, *FUNCTIONS)}
    close = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.6)
    if close:
        return f"did you mean `{known[close[0]]}`?"
    return f"the names are {', '.join(VARIABLES)} and the functions {', '.join(FUNCTIONS)}"


def parse(text: str) -> Formula:
    """Parse a formula; raises ``FormulaError`` (with a 1-based column) for any bad input."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            f"the formula is {len(text):,} characters long; the limit is {MAX_LENGTH}",
            MAX_LENGTH + 1,
        )
    if not text.strip():
        raise FormulaError("the formula is empty", 1, "write e.g. `TCC * 2.5 + 104`")
    return Formula(text=text, tree=_Parser(text).formula())
