"""Orders (external API, ``Authorization: Bearer``): create, list, look up, move along.

Creating an order is a write whose outcome can be unknown: we send our own
``externalOrderId`` and look it up with ``find_orders_by_external_id`` before any retry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lib.pleasurestock.base import (
    ClientBase,
    parse,
    parse_answer_to_write,
    path_segment,
    unwrap,
)
from lib.pleasurestock.models import (
    ORDER_STATUSES,
    CreatedOrders,
    Order,
    OrderLine,
    OrderPage,
    StatusChange,
)
from lib.pleasurestock.ratelimit import EXTERNAL


class OrderEndpoints(ClientBase):
    """``/external/orders``: create, list, detail and status changes."""

    def create_orders(
        self,
        lines: Sequence[OrderLine],
        *,
        external_order_id: str | None = None,
        comment: str | None = None,
    ) -> CreatedOrders:
        """Create orders (one per supplier). On ``OutcomeUnknownError`` look the
        ``external_order_id`` up with ``find_orders_by_external_id`` before retrying."""
        if not lines:
            raise ValueError("an order needs at least one line")
        payload: dict[str, Any] = {"items": [line.to_payload() for line in lines]}
        if external_order_id:
            payload["externalOrderId"] = external_order_id
        if comment:
            payload["comment"] = comment
        body = self._transport.request(
            "POST", "external/orders", rate_class=EXTERNAL, auth="bearer", json_body=payload
        )
        return parse_answer_to_write(CreatedOrders, unwrap(body), "POST", "external/orders")

    def list_orders(
        self, *, status: str | None = None, limit: int = 20, offset: int = 0
    ) -> OrderPage:
        """One page of ``GET /external/orders``, newest first."""
        if status is not None and status not in ORDER_STATUSES:
            raise ValueError(f"unknown order status {status!r}; use one of {ORDER_STATUSES}")
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if status:
            params["status"] = status
        body = self._transport.request(
            "GET", "external/orders", rate_class=EXTERNAL, auth="bearer", params=params
        )
        return parse(OrderPage, unwrap(body))

    def fetch_all_orders(self, *, status: str | None = None, page_size: int = 100) -> list[Order]:
        """Every order, following limit/offset until the reported total is reached."""
        orders: list[Order] = []
        offset = 0
        while True:
            page = self.list_orders(status=status, limit=page_size, offset=offset)
            orders.extend(page.orders)
            offset += len(page.orders)
            if not page.orders or offset >= page.pagination.total:
                return orders

    def find_orders_by_external_id(self, external_order_id: str) -> list[Order]:
        """Orders carrying our ``externalOrderId``: how to check an order of unknown outcome."""
        return [o for o in self.fetch_all_orders() if o.external_order_id == external_order_id]

    def get_order(self, order_number: str) -> Order:
        """One order with its items (``GET /external/orders/{orderNumber}``)."""
        body = self._transport.request(
            "GET",
            f"external/orders/{path_segment(order_number)}",
            rate_class=EXTERNAL,
            auth="bearer",
        )
        return parse(Order, unwrap(body))

    def update_order_status(
        self,
        order_number: str,
        status: str,
        *,
        external_order_id: str | None = None,
        comment: str | None = None,
    ) -> StatusChange:
        """Move an order along the workflow (``PUT …/status``); the server enforces it."""
        if status not in ORDER_STATUSES:
            raise ValueError(f"unknown order status {status!r}; use one of {ORDER_STATUSES}")
        payload: dict[str, Any] = {"status": status}
        if external_order_id:
            payload["externalOrderId"] = external_order_id
        if comment:
            payload["comment"] = comment
        path = f"external/orders/{path_segment(order_number)}/status"
        body = self._transport.request(
            "PUT", path, rate_class=EXTERNAL, auth="bearer", json_body=payload
        )
        return parse_answer_to_write(StatusChange, unwrap(body), "PUT", path)
