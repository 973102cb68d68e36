"""Price2B's settings (token masked, defaults, currency and on-hand choices checked) and
its payload models (money as Decimal, ids as text, three names of one total) and error
wording (the server's message, field details)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from lib.price2b.errors import WORDING
from lib.price2b.models import Product, ProductDetail, ProductStock
from lib.settings import Settings
from lib.upstream.errors import NotFoundError, error_for_response

TOKEN = "p2b_live_token_abcdef0123456789"


def test_price2b_is_off_by_default_with_careful_defaults(tmp_path: Path) -> None:
    settings = Settings.from_secrets_file(tmp_path / "absent.toml")
    assert settings.price2b_token is None
    assert settings.price2b_base_url == "https://app.price2b.com/api"
    assert settings.price2b_requests_per_second == 2
    assert settings.price2b_stock_budget == 200
    assert settings.price2b_on_hand == "quantity"
    assert settings.describe()["price2b_token"] == "not set"


def test_the_price2b_token_is_masked_everywhere(tmp_path: Path) -> None:
    settings = Settings.from_secrets_file(tmp_path / "absent.toml", price2b_token=TOKEN)
    described = settings.describe()
    assert described["price2b_token"] == "••••••••6789"
    assert TOKEN not in str(described) + repr(settings) + settings.model_dump_json()


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("price2b_currency", "dollars", "three-letter currency code"),
        ("price2b_on_hand", "reserved", "'quantity' or 'available'"),
        ("price2b_base_url", "app.price2b.com/api", "https://app.price2b.com/api"),
        ("price2b_token", "p2b_’Zeta9’", "Copy the key again from Price2B"),
        ("price2b_requests_per_second", "0", "greater than 0"),
    ],
)
def test_a_bad_price2b_setting_says_what_to_write(
    tmp_path: Path, field: str, value: str, says: str
) -> None:
    with pytest.raises(ValidationError, match=says) as caught:
        Settings.from_secrets_file(tmp_path / "absent.toml", **{field: value})
    assert "Zeta9" not in str(caught.value)


def test_the_currency_override_is_stored_upper_case(tmp_path: Path) -> None:
    settings = Settings.from_secrets_file(tmp_path / "absent.toml", price2b_currency="try")
    assert settings.price2b_currency == "TRY"


def test_money_is_decimal_ids_are_text_and_the_three_totals_each_read() -> None:
    item = Product.model_validate(
        {"id": 12345, "sku": "PROD-001", "price": 49.99, "currency": "USD", "stock_quantity": 150}
    )
    detail = ProductDetail.model_validate({"id": 12345, "price": 35, "total_stock": 150})
    stock = ProductStock.model_validate(
        {
            "product_id": 12345,
            "warehouses": [
                {
                    "warehouse_id": 1,
                    "warehouse_name": "Miami",
                    "quantity": 100,
                    "reserved": 5,
                    "available": 95,
                },
            ],
            "total": {"quantity": 150, "reserved": 5, "available": 145},
        }
    )
    assert (item.id, item.price, detail.price) == ("12345", Decimal("49.99"), Decimal("35"))
    assert item.stock_quantity == detail.total_stock == stock.total.quantity == 150
    assert stock.warehouses[0].warehouse_id == "1"
    # Fields a shape leaves out stay unknown, never 0.
    assert ProductStock.model_validate({"product_id": 1}).total.reserved is None
    assert Product.model_validate({"id": 2}).currency is None


def test_an_error_answer_quotes_the_servers_message_and_field_errors_redacted() -> None:
    body = {"success": False, "message": f"No product for {TOKEN}", "errors": {"id": ["bad"]}}
    error = error_for_response(httpx.Response(404, json=body), WORDING, TOKEN)
    assert isinstance(error, NotFoundError)
    assert (
        str(error) == "Price2B has no such product or endpoint. (server said: No product for ***)"
    )
    assert error.details == ["id: bad"]
