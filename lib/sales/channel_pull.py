"""Pulling the shop's channel orders from Stock2Shop into PleasureStock, exactly once.

Each pull reads the orders created in the last ``sales_days`` whole shop days again
(and today's stock on hand: Stock2Shop's last snapshot if taken today, or Price2B's
daily snapshot of today, per ``SALES_STOCK_SOURCE``), sums them per
product and settled day (``channel_orders``) and hands the totals to the same upload
pipeline as a CSV file: the ledger plans only what PleasureStock does not have yet, so
a pull repeated every 2 hours sends only what is new, a lower total (a cancellation
or refund) is reported as a correction and never sent, and the batches go out with the
same unknown-outcome handling. Nothing is written to Stock2Shop.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import NewUpload, UnitOfWork
from lib.sales.channel_orders import ChannelSales, channel_sales, linked_sales, settled_before
from lib.sales.upload import StartResult, start_upload
from lib.settings import Settings
from lib.sources.links import linked_ps_ids, linked_stock_on_hand, snapshot_stock_on_hand
from lib.sources.records import PRICE2B, STOCK2SHOP
from lib.stock2shop import Stock2ShopClient

PULL_ACTOR = "StockDesk (Stock2Shop pull)"


@dataclass(frozen=True)
class ChannelRules:
    """Which orders count, on which day, and how far back a pull reads (settings)."""

    sale_statuses: tuple[str, ...]
    time_zone: ZoneInfo
    settle_days: int
    sales_days: int
    # Whose own stock is today's stock_on_hand: Stock2Shop's last sync, or Price2B's
    # daily snapshot (``SALES_STOCK_SOURCE``).
    stock_source: str = STOCK2SHOP

    @classmethod
    def from_settings(cls, settings: Settings) -> ChannelRules:
        """The rules ``STOCK2SHOP_SALE_STATUSES`` and its neighbours set."""
        return cls(
            sale_statuses=settings.sale_statuses,
            time_zone=ZoneInfo(settings.stock2shop_time_zone),
            settle_days=settings.stock2shop_settle_days,
            sales_days=settings.stock2shop_sales_days,
            stock_source=PRICE2B if settings.sales_stock_source == "price2b" else STOCK2SHOP,
        )


@dataclass(frozen=True)
class ChannelPull:
    """What one pull read and started."""

    orders: int
    sales: ChannelSales
    unlinked_skus: list[str]
    started: StartResult

    def summary(self) -> str:
        """One paragraph for the job's row and the Sales upload page."""
        parts = [f"Read {self.orders:,} orders."]
        if self.started.upload_id is None:
            parts.append("No new sales to send.")
        else:
            parts.append(
                f"Upload {self.started.upload_id}: {len(self.started.plan.to_send()):,} "
                f"product-day(s) to send in {self.started.batches} batch(es)."
            )
        corrections = self.started.plan.count("correction")
        if corrections:
            parts.append(
                f"{corrections:,} product-day(s) are lower than already sent (cancelled or "
                "refunded): not sent; see the upload's corrections."
            )
        if not self.sales.held_back.empty:
            days = self.sales.held_back["date"].nunique()
            parts.append(f"{days} recent day(s) held back until they settle.")
        if self.unlinked_skus:
            shown = ", ".join(self.unlinked_skus[:5])
            more = (
                f" and {len(self.unlinked_skus) - 5:,} more" if len(self.unlinked_skus) > 5 else ""
            )
            parts.append(
                f"{len(self.unlinked_skus):,} SKU(s) have no confirmed product link and were "
                f"not sent: {shown}{more}. Link them under Settings → Product links."
            )
        if self.sales.not_counted:
            counts = ", ".join(f"{n:,} {s}" for s, n in sorted(self.sales.not_counted.items()))
            parts.append(f"Not counted as sales: {counts}.")
        return " ".join(parts)


def pull_channel_sales(
    client: Stock2ShopClient,
    session_factory: sessionmaker[Session],
    rules: ChannelRules,
    *,
    now: datetime,
) -> ChannelPull:
    """Read the recent orders, and store an upload of what PleasureStock does not have
    yet (sending it is the caller's job). Raises ``UploadAlreadyOpenError`` while another
    upload is open: the next pull sends what is new then."""
    today = now.astimezone(rules.time_zone).date()
    first_day = today - timedelta(days=rules.sales_days)
    # Whole shop days only: a day read from its middle would look like a cancellation
    # to the next pull, which reads less of it.
    start = datetime.combine(first_day, time(0), tzinfo=rules.time_zone)
    orders = list(client.iter_orders(start=start, end=now))
    first_unsettled = settled_before(today, rules.settle_days)
    sales = channel_sales(
        orders,
        counted_statuses=rules.sale_statuses,
        shop_timezone=rules.time_zone,
        first_unsettled=first_unsettled,
    )
    links = linked_ps_ids(session_factory, STOCK2SHOP)
    linked = linked_sales(sales.days, links)
    totals = with_days_gone(
        linked.totals,
        _sent(session_factory, first_day, sales_until=first_unsettled),
        products=set(links.values()),
    )
    totals = with_stock_on_hand(totals, todays_stock(session_factory, rules, today), day=today)
    digest = hashlib.sha256(totals.to_csv(index=False).encode()).hexdigest()
    upload = NewUpload(
        uploaded_by=PULL_ACTOR,
        file_name=f"Stock2Shop orders of {first_day}–{today}",
        file_sha256=digest,
        rows_in_file=len(sales.days),
        good_rows=len(sales.days) - int(linked.unlinked["days"].sum()),
        bad_rows=int(linked.unlinked["days"].sum()),
    )
    started = start_upload(
        session_factory,
        totals,
        upload,
        mapping=None,
        max_age_days=rules.sales_days + 1,
        now=lambda: now,
    )
    return ChannelPull(
        orders=len(orders),
        sales=sales,
        unlinked_skus=linked.unlinked["sku"].tolist(),
        started=started,
    )


def todays_stock(
    session_factory: sessionmaker[Session], rules: ChannelRules, today: date
) -> dict[str, int]:
    """PleasureStock product -> today's stock on hand from ``rules.stock_source``, its
    warehouses summed by us; a product whose stock is not known today is left out."""
    if rules.stock_source == PRICE2B:
        return snapshot_stock_on_hand(session_factory, PRICE2B, day=today)
    return linked_stock_on_hand(session_factory, STOCK2SHOP, day=today, time_zone=rules.time_zone)


def _sent(
    session_factory: sessionmaker[Session], first_day: date, *, sales_until: date
) -> pd.DataFrame:
    """The ledger over the settled days a pull reads."""
    with UnitOfWork(session_factory) as uow:
        return uow.sales_ledger.sent_between(first_day, sales_until - timedelta(days=1))


def with_days_gone(totals: pd.DataFrame, sent: pd.DataFrame, *, products: set[str]) -> pd.DataFrame:
    """``totals`` plus a quantity of 0 for each linked product-day sent before that no
    counted order carries any more (its only order was cancelled): the ledger then sees
    it lower than sent, a correction for a person, where a missing row says nothing."""
    gone = sent[sent["ps_id"].isin(products)][["ps_id", "date"]]
    gone = gone.merge(totals[["ps_id", "date"]], on=["ps_id", "date"], how="left", indicator=True)
    gone = gone[gone["_merge"] == "left_only"].drop(columns="_merge")
    if gone.empty:
        return totals
    zeros = gone.assign(quantity=0, stock=pd.array([pd.NA] * len(gone), dtype="Int64"))
    merged = pd.concat([totals, zeros.astype({"quantity": "int64"})], ignore_index=True)
    return merged.sort_values(["ps_id", "date"], ignore_index=True)


def with_stock_on_hand(totals: pd.DataFrame, stock: dict[str, int], *, day: date) -> pd.DataFrame:
    """``totals`` with today's stock on hand per product (the shop's warehouses, summed):
    on today's row, or a row of quantity 0 that carries only the stock (today's sales
    wait until the day settles). PleasureStock keeps the highest stock of a day."""
    if not stock:
        return totals
    today = pd.Timestamp(day).as_unit("s")
    rows = pd.DataFrame({"ps_id": list(stock), "date": today, "stock": list(stock.values())})
    merged = totals.merge(rows, on=["ps_id", "date"], how="outer", suffixes=("", "_today"))
    merged["stock"] = merged["stock_today"].astype("Int64").fillna(merged["stock"].astype("Int64"))
    merged["quantity"] = merged["quantity"].fillna(0).astype("int64")
    merged["date"] = merged["date"].astype("datetime64[s]")
    columns = ["ps_id", "date", "quantity", "stock"]
    return merged[columns].sort_values(["ps_id", "date"], ignore_index=True)
