"""Reorder beside the linked sources in demo mode: our Price2B stock per line (warehouses
summed, per-warehouse detail), the mark where it disagrees with the recommendation's
stock, and a mapped PSRESTful supplier's availability, price at the proposed quantity and
units to the next break. The Price2B and
PSRESTful rows are stored through the services, as their syncs would."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import time_machine
from streamlit.testing.v1 import AppTest

from lib.catalog.snapshot import catalog_frame
from lib.db import UnitOfWork, open_database
from lib.sources.links import confirm_links, propose_links
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.own_stock import store_stock_reading
from lib.sources.records import (
    PLEASURESTOCK,
    PRICE2B,
    PSRESTFUL,
    CatalogSnapshot,
    PricePoint,
    SourceItem,
    StockLine,
    StockReading,
)
from lib.sources.sync import sync_source
from tests.app.test_reorder_page import _edit, _open_reorder, _proposal
from tests.integration.sources.test_source_sync import FixedSource

PART = "SanMar:PC61:PC61-BLK-S"


def factory():
    return open_database(os.environ["STOCKDESK_DATABASE_URL"]).session_factory


def link_two_lines(table: pd.DataFrame) -> tuple[dict[str, object], dict[str, object]]:
    """Link the first two proposal lines' products to Price2B (stock: one agreeing, one
    not) and the first to a PSRESTful part; the two catalog rows."""
    catalog = catalog_frame(factory())
    skus = [s for s in table["SKU"] if (catalog["sku"] == s).sum() == 1][:2]
    rows = [catalog[catalog["sku"] == s].iloc[0].to_dict() for s in skus]
    stock = {s: int(table.loc[table["SKU"] == s, "Stock"].iloc[0]) for s in skus}
    snapshots = {
        PLEASURESTOCK: CatalogSnapshot(
            tuple(SourceItem(PLEASURESTOCK, r["ps_id"], r["name"], sku=r["sku"]) for r in rows)
        ),
        PRICE2B: CatalogSnapshot(
            tuple(SourceItem(PRICE2B, str(101 + n), "ours", sku=s) for n, s in enumerate(skus))
        ),
        PSRESTFUL: CatalogSnapshot(
            (SourceItem(PSRESTFUL, PART, "Tee", sku=skus[0], supplier_code="SanMar"),),
            prices=(
                PricePoint(PART, "net", Decimal("4.18"), "USD", 1, 11),
                PricePoint(PART, "net", Decimal("3.84"), "USD", 12, 35),
            ),
            stock=(StockLine(PART, "SanMar:WH1", "Dallas", available=40, kind="supplier"),),
        ),
    }
    for key, snapshot in snapshots.items():
        sync_source(FixedSource(key, snapshot), factory(), actor="test")
    namespaces = parse_equal_namespaces("pleasurestock.sku=price2b.sku=psrestful.sku")
    propose_links(factory(), namespaces, actor="test")
    with UnitOfWork(factory()) as uow:
        groups = [g.group_id for g in uow.links.groups(["proposed"])]
    assert confirm_links(factory(), groups, actor="test") == 2
    agreeing, off = stock[skus[0]], stock[skus[1]] + 50
    lines = (
        StockLine("101", "1", "Istanbul <b>DC</b>", agreeing, 1, agreeing - 1),
        StockLine("102", "1", "Istanbul", off - 10, 0, off - 10),
        StockLine("102", "2", "Izmir", 10, 3, 7),
    )
    reading = StockReading(lines, read=frozenset({"101", "102"}))
    store_stock_reading(
        factory(),
        PRICE2B,
        reading,
        taken_at=datetime.now(UTC),
        time_zone=ZoneInfo("Europe/Istanbul"),
    )
    return rows[0], rows[1]


@pytest.fixture
def linked(demo_env: None, app: AppTest, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, dict]:
    _open_reorder(app)
    first, second = link_two_lines(_proposal(app))
    monkeypatch.setenv("PSRESTFUL_SUPPLIER_MAP", f"{first['supplier_id']}=SanMar")
    return first, second


def line(app: AppTest, sku: object) -> pd.Series:
    table = _proposal(app)
    return table[table["SKU"] == sku].iloc[0]


def test_own_stock_and_the_supplier_offer_beside_each_line(
    linked: tuple[dict, dict], app: AppTest
) -> None:
    first, second = linked
    _open_reorder(app)
    agreeing, off = line(app, first["sku"]), line(app, second["sku"])
    assert agreeing["Own on hand"] == agreeing["Stock"] and agreeing["Own reserved"] == 1
    assert agreeing["Own stock check"] == ""
    # Two warehouses summed by us, 50 units above the recommendation's stock.
    assert off["Own on hand"] == off["Stock"] + 50 and off["Own available"] == off["Stock"] + 47
    assert off["Own stock check"] == "⚠ differs"
    assert pd.isna(off["Supplier available"]) and off["Supplier unit cost"] == "—"

    assert agreeing["PSRESTful supplier"] == "SanMar" and agreeing["Supplier available"] == 40
    assert agreeing["Supplier currency"] == "USD"
    table = _proposal(app)
    row = int(table.index[table["SKU"] == first["sku"]][0])
    for quantity, unit, to_next in ((11, "4.18", 1), (12, "3.84", None), (36, "—", None)):
        _edit(app, {row: {"Quantity": quantity, "Include": True}})
        app.run()  # the grid shows the edits it was handed the run before
        shown = line(app, first["sku"])
        assert (shown["Quantity"], shown["Supplier unit cost"]) == (quantity, unit)
        assert (pd.isna(shown["Units to next break"]) and to_next is None) or (
            shown["Units to next break"] == to_next
        )
        # No price past the last documented break, so no TRY value either.
        assert (shown["Supplier unit cost TRY"] == "—") == (unit == "—")


def test_the_product_detail_lists_our_warehouses_as_text(
    linked: tuple[dict, dict], app: AppTest
) -> None:
    first, _ = linked
    _open_reorder(app)
    picker = next(s for s in app.selectbox if s.label == "Product")
    picker.set_value(first["ps_id"]).run()
    detail = next(d.value for d in app.dataframe if "Warehouse" in d.value.columns)
    assert detail["Warehouse"].tolist() == ["Istanbul <b>DC</b>"]
    assert detail["Reserved"].tolist() == [1]


def test_late_in_the_utc_day_the_shops_new_day_of_stock_is_shown(
    demo_env: None, app: AppTest
) -> None:
    # 22:30 UTC is already 1:30 on the next day in Istanbul, the day the reading is kept under.
    with time_machine.travel(datetime(2026, 12, 1, 22, 30, tzinfo=UTC)):
        _open_reorder(app)
        first, _ = link_two_lines(_proposal(app))
        _open_reorder(app)
        assert line(app, first["sku"])["Own reserved"] == 1
