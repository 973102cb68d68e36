"""Validating messy files: every bad row with line, column, value and reason; 1,000,001 rows."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib.pleasurestock.models import Product
from lib.sales.formats import guess_decimal_mark
from lib.sales.ledger import sum_warehouses
from lib.sales.mapping import ColumnMapping, guess_mapping
from lib.sales.products import ProductIndex
from lib.sales.reading import read_sales_file
from lib.sales.validation import MappingError, SalesRules, ValidationResult, validate_sales

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sales"
TODAY = date(2025, 11, 10)
CATALOG = ProductIndex.from_products(
    [
        Product(internal_id="ps_vib", sku="VIB-10000"),
        Product(internal_id="ps_lub", id="0c6f4b1e-3f0a-4f8e-9a51-2d7c0e9b6a11", sku="LUB-10001"),
        Product(internal_id="ps_abc123", sku="CON-1"),
        Product(internal_id="ps_twin_a", sku="TWIN"),
        Product(internal_id="ps_twin_b", sku="twin"),
    ]
)
UNKNOWN = (
    "unknown product: not among the 5 products of the catalog snapshot; check the code, "
    "or sync the catalog on the Overview page"
)


def check_fixture(name: str, **rules: object) -> ValidationResult:
    """A fixture read, mapped by the guess and checked as of ``TODAY``."""
    sales = read_sales_file(name, (FIXTURES / name).read_bytes())
    mapping = guess_mapping(sales.headers)
    mark = guess_decimal_mark([sales.cells[c] for c in (mapping.quantity, mapping.stock) if c])
    options = {"today": TODAY, "decimal_mark": mark.value, **rules}
    return validate_sales(sales, mapping, SalesRules(**options), CATALOG)  # type: ignore[arg-type]


def totals_of(result: ValidationResult) -> list[tuple[str, str, int, object]]:
    """The warehouse-summed totals as plain tuples; unknown stock as None."""
    totals = sum_warehouses(result.good)
    return [
        (r.ps_id, r.date.date().isoformat(), r.quantity, None if pd.isna(r.stock) else r.stock)
        for r in totals.itertuples()
    ]


def test_bom_semicolons_decimal_commas_blank_lines_and_duplicates() -> None:
    result = check_fixture("bom_semicolon_turkish.csv")
    assert (result.rows_in_file, result.good_rows, result.bad_rows) == (11, 5, 6)
    assert result.blank_lines == 3
    assert result.errors.to_dict("records") == [
        {
            "line": 7,
            "column": "Ürün Kodu",
            "value": "VIB-10000",
            "reason": "same product, date and warehouse as line 3",
        },
        {
            "line": 11,
            "column": "Satış Adedi",
            "value": "1,5",
            "reason": "quantity is not a whole number",
        },
        {"line": 12, "column": "Ürün Kodu", "value": "NOPE-1", "reason": UNKNOWN},
        {
            "line": 13,
            "column": "Tarih",
            "value": "31.11.2025",
            "reason": "not a real date in the form YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY",
        },
        {
            "line": 14,
            "column": "Satış Adedi",
            "value": "-2",
            "reason": "quantity is negative; it must be 0 or more",
        },
        {
            "line": 15,
            "column": "Tarih",
            "value": "11.11.2025",
            "reason": "in the future (today is 2025-11-10)",
        },
    ]
    assert result.good["line"].tolist() == [2, 3, 5, 6, 8]
    # Warehouses summed: 5 + 2 sold and 120 + 80 in stock; 1.250 is 1250 with a decimal comma;
    # line 6 has no stock, so it stays unknown rather than becoming 0.
    assert totals_of(result) == [
        ("ps_abc123", "2025-11-04", 0, 0),
        ("ps_lub", "2025-11-03", 1250, 2500),
        ("ps_lub", "2025-11-04", 3, None),
        ("ps_vib", "2025-11-03", 7, 200),
    ]
    assert result.unknown_products().to_dict("records") == [
        {"product": "NOPE-1", "rows": 1, "first_line": 12}
    ]
    report = result.errors_csv().decode("utf-8-sig").splitlines()
    assert report[0] == "line,column,value,reason"
    assert report[2] == '11,Satış Adedi,"1,5",quantity is not a whole number'


def test_windows_1254_tabs_and_a_warehouse_without_stock() -> None:
    result = check_fixture("windows1254_tab.txt")
    assert result.bad_rows == 0
    # "lub-10001" matches the SKU case-insensitively; one warehouse did not report stock,
    # so the day's total stock is unknown (omitted), never the other warehouse's 15.
    assert totals_of(result) == [
        ("ps_lub", "2025-11-03", 4, None),
        ("ps_vib", "2025-11-03", 5, 100),
    ]


def test_a_line_that_cannot_be_split_is_a_bad_row_of_its_own() -> None:
    result = check_fixture("comma_english.csv")
    assert (result.rows_in_file, result.good_rows, result.bad_rows) == (4, 3, 1)
    [error] = result.errors.to_dict("records")
    assert error["line"] == 6
    assert error["column"] == "(whole line)"
    assert error["value"] == "VIB-10000,2025-11-05,2,5,5,Main"
    assert error["reason"].startswith("6 fields where the header has 5")


def test_old_dates_ambiguous_codes_and_missing_values() -> None:
    text = (
        "sku;date;qty;stock\n"
        "VIB-10000;2024-01-01;1;\n"  # older than 30 days
        "TWIN;2025-11-03;1;\n"  # two products share this SKU up to case
        ";2025-11-03;1;\n"
        "VIB-10000;;;\n"
        "0c6f4b1e-3f0a-4f8e-9a51-2d7c0e9b6a11;2025-11-03;2;x\n"
    )
    sales = read_sales_file("x.csv", text.encode())
    result = validate_sales(
        sales, guess_mapping(sales.headers), SalesRules(today=TODAY, max_age_days=30), CATALOG
    )
    assert [(e["line"], e["reason"]) for e in result.errors.to_dict("records")] == [
        (2, "older than 30 days (before 2025-10-11); raise the limit on this page to send "
         "older sales"),
        (3, "this code belongs to more than one catalog product; use the PleasureStock id (ps_…)"),
        (4, "missing product code"),
        (5, "missing date"),
        (5, "missing quantity"),
        (6, "stock is not a number (numbers look like 1,250 or 5.0 here)"),
    ]  # fmt: skip
    assert result.good_rows == 0


def test_a_mapping_with_problems_is_refused() -> None:
    sales = read_sales_file("x.csv", b"a;b;c\n1;2;3\n")
    with pytest.raises(MappingError, match="quantity sold"):
        validate_sales(sales, ColumnMapping("a", "b"), SalesRules(today=TODAY), CATALOG)


def million_row_file(rows: int) -> bytes:
    """``rows`` unique product-day-warehouse rows over 2,650 SKUs, 300 days, 3 warehouses;
    the last row has a quantity of 1,5 (not whole)."""
    i = np.arange(rows)
    skus = np.array([f"SKU-{n}" for n in range(2650)], dtype=object)
    days = pd.date_range(end=TODAY, periods=300).strftime("%d.%m.%Y").to_numpy(dtype=object)
    quantity = (i % 7).astype(str).astype(object)
    quantity[-1] = "1,5"
    frame = pd.DataFrame(
        {
            "Ürün Kodu": skus[i % 2650],
            "Tarih": days[(i // 2650) % 300],
            "Adet": quantity,
            "Stok": (i % 50).astype(str),
            "Depo": np.array(["A", "B", "C"], dtype=object)[i // (2650 * 300)],
        }
    )
    return frame.to_csv(sep=";", index=False).encode("utf-8-sig")


@pytest.mark.timeout(60)
def test_one_million_and_one_rows_validate_in_seconds() -> None:
    rows = 1_000_001
    data = million_row_file(rows)
    catalog = ProductIndex.from_products(
        Product(internal_id=f"ps_{n:06d}", sku=f"SKU-{n}") for n in range(2650)
    )
    started = time.perf_counter()
    sales = read_sales_file("big.csv", data)
    result = validate_sales(
        sales, guess_mapping(sales.headers), SalesRules(today=TODAY, decimal_mark=","), catalog
    )
    totals = sum_warehouses(result.good)
    elapsed = time.perf_counter() - started

    assert (result.rows_in_file, result.good_rows, result.bad_rows) == (rows, rows - 1, 1)
    [error] = result.errors.to_dict("records")
    assert error == {
        "line": rows + 1,
        "column": "Adet",
        "value": "1,5",
        "reason": "quantity is not a whole number",
    }
    good = np.arange(rows - 1)
    assert int(totals["quantity"].sum()) == int((good % 7).sum())
    assert len(totals) == 2650 * 300  # warehouse B and C rows fall on the same product-days
    # A per-row validation takes minutes for this file; vectorised it is a few seconds.
    assert elapsed < 20, f"reading, checking and summing took {elapsed:.1f} s"


def check_text(text: str) -> ValidationResult:
    sales = read_sales_file("x.csv", text.encode())
    return validate_sales(sales, guess_mapping(sales.headers), SalesRules(today=TODAY), CATALOG)


def test_unicode_digits_count_the_same_for_quantity_and_stock() -> None:
    result = check_text(
        "sku;date;qty;stock;warehouse\nVIB-10000;2025-11-03;３;٤٠;A\nVIB-10000;2025-11-03;1;²;B\n"
    )
    assert result.good.to_dict("records")[0] | {"date": None} == {
        "line": 2, "ps_id": "ps_vib", "date": None, "warehouse": "A", "quantity": 3, "stock": 40,
    }  # fmt: skip
    assert [(e["line"], e["reason"]) for e in result.errors.to_dict("records")] == [
        (3, "stock is not a number (numbers look like 1,250 or 5.0 here)")
    ]


def test_warehouses_summed_past_the_apis_integers_are_bad_rows() -> None:
    result = check_text(
        "sku;date;qty;stock;warehouse\n"
        "VIB-10000;2025-11-03;2000000000;1;A\n"
        "VIB-10000;2025-11-03;2000000000;1;B\n"
        "VIB-10000;2025-11-04;2000000000;2000000000;A\n"
        "VIB-10000;2025-11-04;0;2000000000;B\n"
        "LUB-10001;2025-11-03;5;;A\n"
    )
    assert [r["line"] for r in result.good.to_dict("records")] == [6]
    assert [(e["line"], e["column"], e["reason"]) for e in result.errors.to_dict("records")] == [
        (2, "qty", "the quantity of this product and day, summed over the warehouses on lines "
         "2, 3, is 4,000,000,000: more than PleasureStock accepts (2,147,483,647); check the "
         "figures"),
        (3, "qty", "the quantity of this product and day, summed over the warehouses on lines "
         "2, 3, is 4,000,000,000: more than PleasureStock accepts (2,147,483,647); check the "
         "figures"),
        (4, "stock", "the stock of this product and day, summed over the warehouses on lines "
         "4, 5, is 4,000,000,000: more than PleasureStock accepts (2,147,483,647); check the "
         "figures"),
        (5, "stock", "the stock of this product and day, summed over the warehouses on lines "
         "4, 5, is 4,000,000,000: more than PleasureStock accepts (2,147,483,647); check the "
         "figures"),
    ]  # fmt: skip
    assert sum_warehouses(result.good)["quantity"].tolist() == [5]


def test_the_error_report_escapes_what_a_spreadsheet_would_run() -> None:
    result = check_text(
        "sku;date;qty\n"
        '=HYPERLINK("http://evil.example", "click");2025-11-03;1\n'
        "+cmd|' /C calc'!A0;2025-11-03;1\n"
        "@SUM(1+1);2025-11-03;-1\n"
    )
    report = result.errors_csv().decode("utf-8-sig")
    assert "'=HYPERLINK" in report and "'+cmd|" in report and "'@SUM(1+1)" in report
    assert "\n=" not in report and ",=" not in report and ",+" not in report
    assert ",'-1,quantity is negative" in report


def test_a_line_with_another_separator_is_not_an_unknown_product() -> None:
    result = check_text("sku;date;qty\nVIB-10000;2025-11-03;1\nVIB-10000,2025-11-04,2\n")
    assert result.errors.to_dict("records") == [
        {
            "line": 3,
            "column": "(whole line)",
            "value": "VIB-10000,2025-11-04,2",
            "reason": "1 field where the header has 3: the line has no semicolon between its "
            "values; it looks comma-separated. Write every line with the file's semicolons",
        }
    ]
    assert result.unknown_products().empty
