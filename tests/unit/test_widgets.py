"""Display helpers: money and ages as users read them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from lib.ui.widgets import format_age, format_money, markdown_text


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("1234.5"), "EUR", "€1,234.50"),
        (Decimal("-4.505"), "USD", "-$4.51"),
        (Decimal("0.004"), "TRY", "₺0.00"),
        (Decimal("99.999"), "GBP", "£100.00"),
        (Decimal("10"), "CNY", "10.00 CNY"),
        (None, "EUR", "—"),
    ],
)
def test_format_money(amount: Decimal | None, currency: str, shown: str) -> None:
    assert format_money(amount, currency) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(5, "5 s"), (125, "2 min"), (3 * 3600 + 5, "3 h"), (2 * 86400 + 1, "2 days"), (-3, "0 s")],
)
def test_format_age(seconds: int, shown: str) -> None:
    assert format_age(timedelta(seconds=seconds)) == shown


def test_server_text_cannot_format_the_page() -> None:
    assert markdown_text("**bold** [link](http://x)") == (
        "\\*\\*bold\\*\\* \\[link\\]\\(http\\:\u2060\\/\\/x\\)"
    )
