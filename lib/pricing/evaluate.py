"""Vectorised evaluation of a formula tree over whole columns, in float64.

One numpy operation per tree node, whatever the number of products. Division by
zero, missing inputs (NaN) and overflow never raise: they give inf/NaN values and a
``divided_by_zero`` mask, which ``lib.pricing.price_list`` turns into flagged rows.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from lib.pricing.tree import Binary, Call, Negate, Node, Number, Variable

# Sums like 0.1 * 3 land a hair off the decimal value a person expects (0.30000000000000004);
# snapping to 9 places before ceil, floor and round makes them step where the decimal would.
_SNAP_PLACES = 9


@dataclass(frozen=True)
class Evaluation:
    """Per-row results (NaN or ±inf where there is no number) and where a divisor was zero."""

    values: np.ndarray
    divided_by_zero: np.ndarray


def evaluate(tree: Node, variables: Mapping[str, np.ndarray], size: int) -> Evaluation:
    """Evaluate ``tree`` for ``size`` rows; ``variables`` maps the names it reads to arrays."""
    evaluator = _Evaluator(variables, size)
    with np.errstate(all="ignore"):
        values = evaluator.node(tree)
    return Evaluation(
        values=np.array(np.broadcast_to(values, (size,)), dtype=np.float64),
        divided_by_zero=evaluator.divided_by_zero,
    )


class _Evaluator:
    def __init__(self, variables: Mapping[str, np.ndarray], size: int) -> None:
        self._variables = variables
        self.divided_by_zero = np.zeros(size, dtype=bool)

    def node(self, node: Node) -> np.ndarray | float:
        if isinstance(node, Number):
            return float(node.value)
        if isinstance(node, Variable):
            return self._variables[node.name]
        if isinstance(node, Negate):
            return -self.node(node.operand)
        if isinstance(node, Binary):
            return self._binary(node)
        return self._call(node)

    def _binary(self, node: Binary) -> np.ndarray | float:
        left, right = self.node(node.left), self.node(node.right)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        self.divided_by_zero |= np.broadcast_to(np.equal(right, 0.0), self.divided_by_zero.shape)
        return np.divide(left, right)

    def _call(self, node: Call) -> np.ndarray | float:
        args = [self.node(arg) for arg in node.args]
        if node.name == "min":
            return functools.reduce(np.minimum, args)
        if node.name == "max":
            return functools.reduce(np.maximum, args)
        if node.name == "ceil":
            return np.ceil(np.round(args[0], _SNAP_PLACES))
        if node.name == "floor":
            return np.floor(np.round(args[0], _SNAP_PLACES))
        digits = node.args[1] if len(node.args) == 2 else None
        # The parser guarantees round's digits are a literal whole number.
        return round_half_up(args[0], int(digits.value) if isinstance(digits, Number) else 0)


def round_half_up(values: np.ndarray | float, digits: int) -> np.ndarray | float:
    """Round to ``digits`` places, halves away from zero (2.675 -> 2.68), as people do."""
    factor = 10.0**digits
    scaled = np.round(np.abs(values) * factor, _SNAP_PLACES)
    return np.sign(values) * np.floor(scaled + 0.5) / factor
