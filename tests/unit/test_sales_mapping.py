"""Guessing the columns from English and Turkish headers, remembering, checking a mapping."""

from __future__ import annotations

import pytest

from lib.sales.mapping import ColumnMapping, fold, guess_mapping, initial_mapping


def test_fold_turkish_letters_case_and_punctuation() -> None:
    assert fold("ÜRÜN-KODU") == "urun kodu"
    assert fold("  İşlem  Tarihi ") == "islem tarihi"
    assert fold("Satış_Adedi") == "satis adedi"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["Ürün Kodu", "Tarih", "Satış Adedi", "Stok", "Depo"],
            ColumnMapping("Ürün Kodu", "Tarih", "Satış Adedi", "Stok", "Depo"),
        ),
        (
            # "Stok Kodu" is the product code, not the stock; "Eldeki Stok" is the stock.
            ["Stok Kodu", "İşlem Tarihi", "Miktar", "Eldeki Stok", "Şube"],
            ColumnMapping("Stok Kodu", "İşlem Tarihi", "Miktar", "Eldeki Stok", "Şube"),
        ),
        (
            ["SKU", "Date", "Qty sold", "Stock on hand", "Store"],
            ColumnMapping("SKU", "Date", "Qty sold", "Stock on hand", "Store"),
        ),
        (
            ["Satış Tarihi", "Ürün", "Satış", "Notlar"],
            ColumnMapping(product="Ürün", date="Satış Tarihi", quantity="Satış"),
        ),
        (["Ürün Kodu", "Tarih", "Çıkış"], ColumnMapping(product="Ürün Kodu", date="Tarih")),
    ],
)
def test_guess(headers: list[str], expected: ColumnMapping) -> None:
    assert guess_mapping(headers) == expected


def test_the_remembered_mapping_wins_where_its_columns_exist() -> None:
    headers = ["Ürün Kodu", "Tarih", "Çıkış", "Stok"]
    remembered = {"quantity": "Çıkış", "warehouse": "Şube", "product": "Ürün Kodu"}
    assert initial_mapping(headers, remembered) == ColumnMapping(
        product="Ürün Kodu", date="Tarih", quantity="Çıkış", stock="Stok"
    )
    assert initial_mapping(headers, None) == ColumnMapping(
        product="Ürün Kodu", date="Tarih", stock="Stok"
    )


def test_problems_name_what_to_fix() -> None:
    headers = ["A", "B", "C"]
    assert ColumnMapping("A", "B", "C").problems(headers) == []
    assert ColumnMapping(product="A", date="B").problems(headers) == [
        "Choose the column that holds the quantity sold."
    ]
    assert ColumnMapping("A", "B", "B").problems(headers) == [
        "Column “B” is chosen for date and quantity sold; pick one."
    ]
    assert ColumnMapping("A", "B", "Z").problems(headers) == ["The file has no column “Z”."]
