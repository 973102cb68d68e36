"""STOCKDESK_EQUAL_SKU_NAMESPACES: groups read, bad ones refused with what to write."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.settings import Settings, SettingsError, load_settings
from lib.sources.namespaces import Namespace, NamespaceError, parse_equal_namespaces


def test_groups_are_read_case_insensitively() -> None:
    assert parse_equal_namespaces(" PleasureStock.SKU = stock2shop.sku ; ") == (
        frozenset({Namespace("pleasurestock", "sku"), Namespace("stock2shop", "sku")}),
    )
    assert parse_equal_namespaces("") == ()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("pleasurestock.sku", "declares nothing equal"),
        ("pleasurestock.sku=shopify.sku", "'shopify.sku' is not a namespace"),
        ("stock2shop.sku=stock2shop.barcode", "names one source only"),
        ("pleasurestock.ean=stock2shop.sku", "not a namespace"),
    ],
)
def test_a_bad_declaration_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(NamespaceError, match=says):
        parse_equal_namespaces(text)


def test_the_settings_refuse_a_bad_declaration_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STOCKDESK_EQUAL_SKU_NAMESPACES", "pleasurestock.sku")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert [p.setting for p in raised.value.problems] == ["STOCKDESK_EQUAL_SKU_NAMESPACES"]


def test_demo_mode_declares_the_sandboxes_namespaces_and_live_mode_none(tmp_path: Path) -> None:
    absent = tmp_path / "absent.toml"
    assert len(Settings.from_secrets_file(absent).equal_sku_namespaces) == 1
    live = Settings.from_secrets_file(absent, pleasurestock_api_key="pk_live_abcdefghijklmnop")
    assert live.equal_sku_namespaces == ()


def test_the_stock2shop_password_is_masked_and_required_with_a_username(tmp_path: Path) -> None:
    absent = tmp_path / "absent.toml"
    settings = Settings.from_secrets_file(
        absent, stock2shop_username="reader", stock2shop_password="a-long-password-1234"
    )
    assert "a-long-password" not in str(settings.describe()) + repr(settings)
    with pytest.raises(ValueError, match="STOCK2SHOP_USERNAME is"):
        Settings.from_secrets_file(absent, stock2shop_username="reader")
