"""Sales and Smart Reordering: our sales and stock go up, reorder recommendations come back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from lib.pleasurestock.base import ClientBase, parse, parse_answer_to_write, unwrap
from lib.pleasurestock.budget import SALES_UPLOAD
from lib.pleasurestock.models import (
    RecommendationList,
    ReorderProduct,
    SaleRow,
    SalesReceipt,
    SmartReorderReceipt,
)
from lib.pleasurestock.ratelimit import SMART_REORDERING, STANDARD

MAX_SALES_ROWS = 1000


class SalesEndpoints(ClientBase):
    """``POST /sales``, ``GET /smart-reordering`` and ``POST /external/smart-reorder``."""

    def submit_sales(self, rows: Sequence[SaleRow]) -> SalesReceipt:
        """Send one batch of at most 1,000 sales rows (``POST /sales``); never retried blindly.

        The server SUMS quantities of rows it already has for the same product and
        day: callers send each (product, day) delta once (see ``lib.sales``).
        """
        if not rows:
            raise ValueError("no sales rows to send")
        if len(rows) > MAX_SALES_ROWS:
            raise ValueError(f"at most {MAX_SALES_ROWS} sales rows per request, got {len(rows)}")
        payload = {"sales": [row.to_payload() for row in rows]}
        body = self._transport.request(
            "POST", "sales", rate_class=STANDARD, json_body=payload, purpose=SALES_UPLOAD
        )
        return parse_answer_to_write(SalesReceipt, body, "POST", "sales")

    def get_recommendations(self, on: date | None = None) -> RecommendationList:
        """Smart Reordering recommendations for a day (default: the server's today)."""
        params = {"date": on.isoformat()} if on else None
        body = self._transport.request(
            "GET", "smart-reordering", rate_class=SMART_REORDERING, params=params
        )
        return parse(RecommendationList, body)

    def submit_smart_reorder(self, products: Sequence[ReorderProduct]) -> SmartReorderReceipt:
        """Send stock and sales history for AI reordering (``POST /external/smart-reorder``)."""
        if not products:
            raise ValueError("no products to send")
        payload = {"products": [p.to_payload() for p in products]}
        path = "external/smart-reorder"
        body = self._transport.request(
            "POST", path, rate_class=SMART_REORDERING, auth="bearer", json_body=payload
        )
        return parse_answer_to_write(SmartReorderReceipt, unwrap(body), "POST", path)
