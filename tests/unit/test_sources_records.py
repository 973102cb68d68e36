"""The adapters' normalised records: Stock2Shop variants as items with codes, price and
named tiers in the configured currency (None when not set), tiers priced 0 left out,
warehouse stock unknown when Stock2Shop does not track it; PleasureStock's price, TCC
and TSP as price points, a disabled one left out."""

from __future__ import annotations

from decimal import Decimal

from lib.pleasurestock.models import Product as PsProduct
from lib.sources import pleasurestock, stock2shop
from lib.sources.records import PricePoint, StockLine
from lib.stock2shop.models import Product


def shop_product(**variant: object) -> Product:
    return Product.model_validate(
        {
            "id": 62001,
            "title": "Massage oil",
            "collection": "Wellness",
            "variants": [
                {
                    "id": 67001,
                    "product_id": 62001,
                    "sku": " 0027795 ",
                    "barcode": "",
                    "price": "199.90",
                    "price_tiers": [
                        {"tier": "Wholesale", "price": 120},
                        {"tier": "Was", "price": 0},
                    ],
                    "qty": 7,
                    "qty_availability": [{"description": "Cape Town DC", "qty": 7}],
                    "option1": "Pack of 3",
                    **variant,
                }
            ],
        }
    )


def test_a_variant_is_an_item_with_its_codes_prices_and_warehouses() -> None:
    snapshot = stock2shop.catalog_snapshot([shop_product()], "ZAR")
    [item] = snapshot.items
    assert (item.item_key, item.parent_key, item.sku, item.barcode) == (
        "67001",
        "62001",
        "0027795",
        None,
    )
    assert item.name == "Massage oil — Pack of 3" and item.category_path == ("Wellness",)
    assert snapshot.prices == (
        PricePoint("67001", "price", Decimal("199.90"), "ZAR"),
        PricePoint("67001", "tier:Wholesale", Decimal("120"), "ZAR"),
    )
    assert snapshot.stock == (StockLine("67001", "Cape Town DC", "Cape Town DC", on_hand=7),)


def test_no_configured_currency_is_none_and_untracked_stock_is_unknown() -> None:
    snapshot = stock2shop.catalog_snapshot([shop_product(inventory_management=False)], None)
    assert {p.currency for p in snapshot.prices} == {None}
    assert [line.on_hand for line in snapshot.stock] == [None]


def test_pleasurestock_prices_leave_out_a_disabled_tcc() -> None:
    product = PsProduct.model_validate(
        {
            "internal_id": "ps-1",
            "sku": "AB-12",
            "price": "10.00",
            "currency": "EUR",
            "tcc_enabled": False,
            "tcc_total_cost": "12.00",
            "tsp_enabled": True,
            "tsp_value": "25.00",
            "tsp_currency": "TRY",
        }
    )
    snapshot = pleasurestock.catalog_snapshot([product])
    assert [(p.kind, p.amount, p.currency) for p in snapshot.prices] == [
        ("price", Decimal("10.00"), "EUR"),
        ("tsp", Decimal("25.00"), "TRY"),
    ]
    assert snapshot.items[0].sku == "AB-12"
