"""Reorder page data: cached recommendations, quantities on order, sales history, settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pandas as pd
import streamlit as st

from lib.db import ReorderSettingsRecord, UnitOfWork
from lib.orders.workflow import NEVER_OVERDUE
from lib.pleasurestock import PleasureStockClient, PleasureStockError
from lib.pleasurestock.models import Order, RecommendationList
from lib.reorder.forecast import history_frame, ledger_history
from lib.reorder.proposal import SupplierSettings, quantities_on_order
from lib.sandbox.embedded import sandbox_sales_history
from lib.ui.loaders import detail_version, order_detail, order_listing
from lib.ui.resources import AppContext

HISTORY_DAYS = 120


@st.cache_data(ttl=600, max_entries=8, show_spinner="Loading Smart Reordering recommendations…")
def recommendations(_client: PleasureStockClient, base_url: str, day: date) -> RecommendationList:
    """The recommendations for ``day``, cached for ten minutes."""
    return _client.get_recommendations(day)


@dataclass(frozen=True)
class OnOrder:
    """Units per ps id in our open orders, and how many open orders could not be read."""

    quantities: dict[str, int]
    open_orders: int
    missing: int = 0
    error: PleasureStockError | None = None


def on_order(client: PleasureStockClient) -> OnOrder:
    """Quantities in open orders, from each open order's (cached) details: the order list
    carries only item counts, not which products."""
    listed = order_listing(client, client.base_url).orders
    wanted = [order for order in listed if order.status not in NEVER_OVERDUE]
    details: list[Order] = []
    with st.spinner(f"Reading the items of {len(wanted)} open orders…"):
        for index, order in enumerate(wanted):
            try:
                details.append(
                    order_detail(client, client.base_url, order.order_number, detail_version(order))
                )
            except PleasureStockError as error:
                missing = len(wanted) - index
                return OnOrder(quantities_on_order(details), len(wanted), missing, error)
    return OnOrder(quantities_on_order(details), len(wanted))


@dataclass(frozen=True)
class History:
    """Daily sales history for the cross-check and where it comes from."""

    frame: pd.DataFrame
    source: str


def sales_history(context: AppContext, today: date) -> History:
    """In demo mode the sandbox's seeded history; live, the local sales ledger."""
    if context.settings.demo_mode:
        return History(history_frame(sandbox_sales_history()), "sandbox history")
    with UnitOfWork(context.session_factory) as uow:
        ledger = uow.sales_ledger.sent_between(today - timedelta(days=HISTORY_DAYS), today)
    return History(ledger_history(ledger), "sales ledger (uploads)")


def load_settings(context: AppContext) -> list[ReorderSettingsRecord]:
    """The stored reorder settings rows."""
    with UnitOfWork(context.session_factory) as uow:
        return uow.reorder_settings.all()


def save_settings(context: AppContext, rows: pd.DataFrame, *, actor: str) -> None:
    """Store the edited settings table (one row per supplier, '*' for the defaults);
    raises ValueError naming the supplier when a row is out of range."""
    for row in rows.itertuples(index=False):
        try:
            SupplierSettings(
                int(row.lead_time_days),
                float(row.service_level),
                int(row.review_period_days),
                int(row.moq),
                int(row.case_pack),
            )
        except (TypeError, ValueError) as error:
            raise ValueError(f"Settings for {row.supplier}: {error}") from error
    now = datetime.now(UTC)
    with UnitOfWork(context.session_factory) as uow:
        for row in rows.itertuples(index=False):
            record = ReorderSettingsRecord(
                supplier_id=str(row.supplier),
                lead_time_days=int(row.lead_time_days),
                service_level=Decimal(str(row.service_level)),
                review_period_days=int(row.review_period_days),
                moq=int(row.moq),
                case_pack=int(row.case_pack),
                updated_by=actor,
                updated_at=now,
            )
            uow.reorder_settings.save(record)
        uow.audit.record(
            actor, "reorder.settings", "reorder_settings", after=rows.to_dict("records")
        )
        uow.commit()
