"""The formula tree: its node types, the variables it reads, and its canonical text."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Number:
    """A literal number."""

    value: Decimal
    column: int


@dataclass(frozen=True)
class Variable:
    """One of ``VARIABLES``, by its canonical upper-case name."""

    name: str
    column: int


@dataclass(frozen=True)
class Negate:
    """Unary minus."""

    operand: Node
    column: int


@dataclass(frozen=True)
class Binary:
    """``left op right`` with op one of ``+ - * /``."""

    op: str
    left: Node
    right: Node
    column: int


@dataclass(frozen=True)
class Call:
    """A call of one of ``FUNCTIONS``; ``round``'s digits are a literal integer."""

    name: str
    args: tuple[Node, ...]
    column: int


Node = Number | Variable | Negate | Binary | Call


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def variables_read(node: Node) -> frozenset[str]:
    """Canonical names of the variables the tree reads."""
    if isinstance(node, Variable):
        return frozenset({node.name})
    if isinstance(node, Negate):
        return variables_read(node.operand)
    if isinstance(node, Binary):
        return variables_read(node.left) | variables_read(node.right)
    if isinstance(node, Call):
        return frozenset().union(*(variables_read(arg) for arg in node.args))
    return frozenset()


def write(node: Node, context: int = 0) -> str:
    """``node`` as text, parenthesised when its parent binds tighter (``context``)."""
    if isinstance(node, Number):
        return format(node.value.normalize(), "f")
    if isinstance(node, Variable):
        return node.name
    if isinstance(node, Negate):
        return f"-{write(node.operand, 3)}"
    if isinstance(node, Call):
        return f"{node.name}({', '.join(write(arg) for arg in node.args)})"
    precedence = _PRECEDENCE[node.op]
    # Left-associative: the right operand needs parentheses at equal precedence.
    text = f"{write(node.left, precedence)} {node.op} {write(node.right, precedence + 1)}"
    return f"({text})" if precedence < context else text
