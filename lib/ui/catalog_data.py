"""The Catalog page's cached data: TRY rates, the catalog frames and product images.

The catalog frames are cached with ``st.cache_resource``, keyed by the snapshot (size
and fetch time), the rates in use, the supplier names and what Stock2Shop's prices
depend on (its newest sync, the confirmed links): ``st.cache_data`` would copy
(unpickle) them on every rerun, about 0.3 s for 50,000 products. They are shared
between sessions and must never be modified; every caller takes filtered copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from lib.catalog.quality import quality_flags
from lib.catalog.snapshot import catalog_frame
from lib.catalog.source_prices import (
    LINKED,
    SourcePrices,
    is_source_money,
    source_price_columns,
    stock2shop_prices,
)
from lib.catalog.table import TRY_COLUMNS, catalog_table
from lib.currency import RateBoard
from lib.pleasurestock import PleasureStockClient

# Table columns shown as numbers: floats in the grid (display only; exports stay Decimal).
NUMBER_COLUMNS = ("price", "tcc_coefficient", "tcc", "tsp", "margin", "margin_pct", *TRY_COLUMNS)
FLAG_COLUMNS = ("tcc_enabled", "tsp_enabled", LINKED)


@dataclass(frozen=True)
class CatalogData:
    """The snapshot and what the page derives from it; shared, read-only frames, one index."""

    snapshot: pd.DataFrame
    table: pd.DataFrame
    flags: pd.DataFrame
    grid: pd.DataFrame
    source_prices: SourcePrices


def rates_key(board: RateBoard) -> tuple[tuple[str, str], ...]:
    """The rates a board holds, as a hashable cache key."""
    return tuple(sorted((code, str(rate.rate_to_try)) for code, rate in board.rates.items()))


@st.cache_resource(max_entries=2, show_spinner="Loading the catalog…")
def catalog_data(
    _session_factory: sessionmaker[Session],
    database_url: str,
    product_count: int,
    fetched_at: datetime | None,
    rates: tuple[tuple[str, str], ...],
    _board: RateBoard,
    supplier_names: tuple[tuple[str, str], ...],
    source_prices_key: tuple[object, ...],
) -> CatalogData:
    """The stored snapshot with margins, TRY prices, supplier names, Stock2Shop's linked
    prices, quality flags and grid numbers.

    ``product_count``, ``fetched_at``, ``rates``, ``supplier_names`` (id, name) and
    ``source_prices_key`` (``stock2shop_prices_key``) are the cache key: a new sync, new
    rates, a newly named supplier, a Stock2Shop sync or a confirmed or undone link build
    the frames again.
    """
    frame = catalog_frame(_session_factory)
    prices = stock2shop_prices(_session_factory)
    table = catalog_table(frame, _board.rate, dict(supplier_names))
    table = table.join(source_price_columns(table["ps_id"], prices))
    return CatalogData(
        snapshot=frame,
        table=table,
        flags=quality_flags(table),
        grid=_grid(table),
        source_prices=prices,
    )


@st.cache_data(ttl=600, max_entries=256, show_spinner="Loading images…")
def product_images(_client: PleasureStockClient, base_url: str, product_id: str) -> list[str]:
    """Image URLs of one product (``withImages``), cached for ten minutes."""
    return _client.get_product(product_id, with_images=True).images


def _grid(table: pd.DataFrame) -> pd.DataFrame:
    """The table with typed columns (float, nullable boolean, string) instead of objects.

    Streamlit turns typed columns into Arrow about ten times faster, which is most of a
    warm render at 50,000 products.
    """
    grid = table.copy()
    for column in grid.columns:
        if column in NUMBER_COLUMNS or is_source_money(column):
            grid[column] = pd.to_numeric(grid[column].map(_as_float), errors="coerce")
        elif column in FLAG_COLUMNS:
            grid[column] = grid[column].astype("boolean")
        elif column == "s2s_variants":
            grid[column] = grid[column].astype("int64")
        else:
            grid[column] = grid[column].astype("str")
    return grid


def _as_float(value: Any) -> float | None:
    return float(value) if isinstance(value, Decimal) else None
