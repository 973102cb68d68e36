"""A Decimal reference for one product's price under a formula, to check the float64 code by.

``exact_price`` evaluates a parsed formula in 400-digit Decimal and applies the price
list's last steps: the range check (0, ``MAX_PRICE``] and half-up rounding to the cent.
Alongside every value it carries a bound on how far the same computation in float64 can
be from it, so a test can tell a real disagreement from a knife edge float64 cannot
resolve: a value within that bound of a rounding step, of the range limit, or a divisor
within it of zero raises ``Undecidable``.

The vectorised code snaps to 9 places before ceil, floor and round and to 6 places of a
cent before the final rounding, so that 0.1 * 3 steps where 0.3 does; the reference
snaps the same way in Decimal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Decimal,
    localcontext,
)

from lib.pricing.price_list import MAX_PRICE
from lib.pricing.tree import Binary, Negate, Node, Number, Variable

# Twice float64's unit roundoff (2^-53): each float operation errs by at most |result| * U.
U = Decimal(2) ** -52
# Beyond this a float64 result is as good as infinite for a price.
_HUGE = Decimal("1e300")
_CENT = Decimal("0.01")
ONE = Decimal(1)


class Undecidable(Exception):
    """Float64 cannot be expected to land on the same side of a step as the exact value."""


@dataclass(frozen=True)
class Bounded:
    """An exact value and a bound on |float64 result − value|."""

    value: Decimal
    error: Decimal


def _op(value: Decimal, inherited: Decimal) -> Bounded:
    """The result of one float operation: the operands' error plus its own rounding."""
    if abs(value) > _HUGE:
        raise Undecidable("the value is beyond what a price can be even in float64")
    return Bounded(value, inherited + abs(value) * U)


def _snap_then_step(value: Bounded, quantum: Decimal, rounding: str) -> Decimal:
    """``value`` snapped to ``quantum`` (half even, like np.round), then to a whole number.

    ``rounding`` is the Decimal rounding of the last step (ceiling, floor or half up).
    Undecidable where float64 could snap or step to another side than the exact value.
    """
    exact, error = value.value, value.error + 4 * abs(value.value) * U
    if abs(exact) * U * 16 < quantum:
        _decide(exact, error, quantum, ROUND_HALF_EVEN)
        return _decide(exact.quantize(quantum, rounding=ROUND_HALF_EVEN), Decimal(0), ONE, rounding)
    # Where a float's spacing nears the quantum, the snap cannot be relied on: it moves the
    # value by up to half a quantum, or not at all.
    return _decide(exact, error + quantum / 2, ONE, rounding)


def _decide(exact: Decimal, error: Decimal, quantum: Decimal, rounding: str) -> Decimal:
    """``exact`` rounded to ``quantum``; Undecidable if ``error`` could change the result."""
    low, high = (
        (exact - error).quantize(quantum, rounding=rounding),
        (exact + error).quantize(quantum, rounding=rounding),
    )
    if low != high:
        raise Undecidable(f"{exact} is within {error:.3g} of a step of {quantum}")
    return exact.quantize(quantum, rounding=rounding)


def _round_half_up(value: Bounded, digits: int) -> Bounded:
    """round(x, digits) as ``lib.pricing.evaluate.round_half_up`` does it: on |x| scaled."""
    factor = Decimal(10) ** digits
    scaled = _op(abs(value.value) * factor, value.error * factor + abs(value.value) * factor * U)
    whole = _snap_then_step(scaled, Decimal("1e-9"), ROUND_HALF_UP)
    sign = 0 if value.value == 0 else int(math.copysign(1, value.value))
    return _op(sign * whole / factor, abs(whole / factor) * U)


def evaluate_exactly(node: Node, row: Mapping[str, Decimal]) -> Bounded:
    """``node``'s exact value for one product, with the float64 error bound."""
    if isinstance(node, Number):
        return _op(node.value, Decimal(0))
    if isinstance(node, Variable):
        return _op(row[node.name], Decimal(0))
    if isinstance(node, Negate):
        inner = evaluate_exactly(node.operand, row)
        return Bounded(-inner.value, inner.error)
    if isinstance(node, Binary):
        return _binary(node.op, evaluate_exactly(node.left, row), evaluate_exactly(node.right, row))
    args = [evaluate_exactly(arg, row) for arg in node.args]
    if node.name in ("min", "max"):
        pick = min if node.name == "min" else max
        return Bounded(pick(a.value for a in args), max(a.error for a in args))
    if node.name in ("ceil", "floor"):
        rounding = ROUND_CEILING if node.name == "ceil" else ROUND_FLOOR
        return _op(_snap_then_step(args[0], Decimal("1e-9"), rounding), Decimal(0))
    digits = node.args[1] if len(node.args) == 2 else None
    return _round_half_up(args[0], int(digits.value) if isinstance(digits, Number) else 0)


def _binary(op: str, left: Bounded, right: Bounded) -> Bounded:
    a, b, ea, eb = left.value, right.value, left.error, right.error
    if op == "+":
        return _op(a + b, ea + eb)
    if op == "-":
        return _op(a - b, ea + eb)
    if op == "*":
        return _op(a * b, abs(a) * eb + abs(b) * ea + ea * eb)
    if abs(b) <= eb:
        raise Undecidable(f"the divisor {b} is within {eb:.3g} of zero")
    quotient = a / b
    return _op(quotient, (ea + abs(quotient) * eb) / (abs(b) - eb))


def exact_price(node: Node, row: Mapping[str, Decimal]) -> tuple[str, Decimal | None]:
    """(status, new TSP) the price list should give one product without rounding or rails."""
    with localcontext() as context:
        # Enough digits for + − × of any formula the tests write to be exact.
        context.prec = 400
        result = evaluate_exactly(node, row)
        if abs(result.value - MAX_PRICE) <= result.error:
            raise Undecidable(f"{result.value} is within {result.error:.3g} of the highest price")
        if result.value > MAX_PRICE:
            return "out of range", None
        cents = _op(result.value * 100, result.error * 100)
        whole = _snap_then_step(cents, Decimal("1e-6"), ROUND_HALF_UP)
    if whole <= 0:
        return "no price", None
    return "ok", (whole * _CENT).quantize(_CENT)
