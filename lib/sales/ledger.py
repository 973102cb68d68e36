"""What to send for each product and day, given what was already sent: pure delta logic.

PleasureStock SUMS the quantities it receives for a product and day and keeps the
MAX stock (NOTES.md points 1–2). So StockDesk sums the warehouses itself (quantity
and stock) into one row per product and day, and compares that with the ledger of
what it already sent:

- not sent before → send it all (``new``);
- the same quantity → nothing to send (``unchanged``), unless the stock rose
  (``stock``: quantity 0 with the new stock, which the server's MAX then keeps);
- a higher quantity → send only the difference (``increase``);
- a lower quantity → a ``correction``: the API cannot take a negative quantity, so
  nothing is sent and the user is told.

A stock lower than the one already sent cannot be sent either (the server keeps the
highest); such rows are flagged ``stock_lower``. Unknown stock is never sent as 0:
it is left out, also when one warehouse of a product and day has no stock figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

Action = Literal["new", "increase", "stock", "unchanged", "correction"]
SEND_ACTIONS: tuple[Action, ...] = ("new", "increase", "stock")
KEY = ["ps_id", "date"]
SENT_COLUMNS = ["ps_id", "date", "quantity", "stock"]


def sum_warehouses(good: pd.DataFrame) -> pd.DataFrame:
    """One row per product and day (``ps_id, date, quantity, stock, rows``): quantity and
    stock summed over warehouses; stock NA unless every warehouse row has one."""
    totals = good.groupby(KEY, sort=True).agg(
        quantity=("quantity", "sum"),
        stock=("stock", "sum"),
        stock_rows=("stock", "count"),
        rows=("line", "size"),
    )
    totals["stock"] = totals["stock"].astype("Int64").where(totals["stock_rows"] == totals["rows"])
    totals["quantity"] = totals["quantity"].astype("int64")
    return totals.drop(columns="stock_rows").reset_index()


def empty_sent() -> pd.DataFrame:
    """A ledger extract with nothing in it, in the shape ``plan_delta`` expects."""
    return pd.DataFrame(
        {
            "ps_id": pd.Series([], dtype="str"),
            "date": pd.Series([], dtype="datetime64[s]"),
            "quantity": pd.Series([], dtype="int64"),
            "stock": pd.Series([], dtype="Int64"),
        }
    )


@dataclass(frozen=True)
class DeltaPlan:
    """Per product and day: the file's totals, what was sent, the action and what to send.

    Columns: ``ps_id, date, quantity, stock, sent_quantity, sent_stock, action,
    send_quantity, send_stock, stock_lower``.
    """

    rows: pd.DataFrame

    def count(self, action: Action) -> int:
        """Product-days with this action."""
        return int((self.rows["action"] == action).sum())

    @property
    def to_send(self) -> pd.DataFrame:
        """The product-days that will be sent, by date then product."""
        return self.rows[self.rows["action"].isin(SEND_ACTIONS)]

    @property
    def corrections(self) -> pd.DataFrame:
        """Product-days whose quantity is lower than what was already sent."""
        return self.rows[self.rows["action"] == "correction"]

    @property
    def stock_lowered(self) -> pd.DataFrame:
        """Product-days whose stock is lower than the stock already sent."""
        return self.rows[self.rows["stock_lower"]]

    def payload(self) -> list[dict[str, Any]]:
        """The rows to send as ``POST /sales`` rows; stock only where it is sent."""
        send = self.to_send
        dates = send["date"].dt.strftime("%Y-%m-%d").tolist()
        stocks = send["send_stock"].to_numpy(dtype=object, na_value=None).tolist()
        rows: list[dict[str, Any]] = []
        for ps_id, day, quantity, stock in zip(
            send["ps_id"].tolist(), dates, send["send_quantity"].tolist(), stocks, strict=True
        ):
            row: dict[str, Any] = {"internal_id": ps_id, "date": day, "quantity": quantity}
            if stock is not None:
                row["stock_on_hand"] = int(stock)
            rows.append(row)
        return rows


def plan_delta(totals: pd.DataFrame, sent: pd.DataFrame) -> DeltaPlan:
    """Compare the file's totals per product and day with the ledger's ``sent`` totals."""
    merged = totals[["ps_id", "date", "quantity", "stock"]].merge(
        sent[SENT_COLUMNS].rename(columns={"quantity": "sent_quantity", "stock": "sent_stock"}),
        on=KEY,
        how="left",
    )
    known = merged["sent_quantity"].notna().to_numpy()
    sent_quantity = merged["sent_quantity"].fillna(0).to_numpy(dtype="int64")
    difference = merged["quantity"].to_numpy(dtype="int64") - sent_quantity
    stock = merged["stock"].astype("Int64")
    sent_stock = merged["sent_stock"].astype("Int64")
    has_stock = stock.notna().to_numpy()
    stock_raised = has_stock & (sent_stock.isna() | (stock > sent_stock)).fillna(False).to_numpy()
    stock_lower = has_stock & (stock < sent_stock).fillna(False).to_numpy(dtype=bool)

    action = np.select(
        [~known, difference < 0, difference > 0, stock_raised],
        ["new", "correction", "increase", "stock"],
        default="unchanged",
    )
    sending = np.isin(action, SEND_ACTIONS)
    merged["sent_quantity"] = merged["sent_quantity"].astype("Int64")
    merged["sent_stock"] = sent_stock
    merged["action"] = action
    merged["send_quantity"] = np.where(sending, np.clip(difference, 0, None), 0)
    merged["send_stock"] = stock.where(sending & stock_raised)
    merged["stock_lower"] = stock_lower
    return DeltaPlan(rows=merged.sort_values(["date", "ps_id"], ignore_index=True))
