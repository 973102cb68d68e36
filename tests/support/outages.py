"""An order list outage between the client and a real server, for exactly-once tests.

``OrderOutage`` is an httpx transport that forwards every request over HTTP, except
that while it is ``active`` an order create reaches the server (which stores it) and
its answer is then lost, as with the sandbox's ``--fault-drop``, and the order list
fails (503, or a timeout). A new client without it is the same server after the outage.
"""

from __future__ import annotations

from typing import Literal

import httpx

ORDERS_PATH = "/external/orders"


class OrderOutage(httpx.BaseTransport):
    """Creates are stored and their answers dropped; order list reads fail."""

    def __init__(self, list_failure: Literal["503", "timeout"] = "503") -> None:
        self._http = httpx.HTTPTransport()
        self.list_failure = list_failure
        self.creates_sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Forward ``request``, or fail it the way the outage does."""
        if not request.url.path.endswith(ORDERS_PATH):
            return self._http.handle_request(request)
        if request.method == "POST":
            self.creates_sent += 1
            stored = self._http.handle_request(request)
            stored.read()
            stored.close()
            raise httpx.RemoteProtocolError("peer closed connection mid-body", request=request)
        if self.list_failure == "timeout":
            raise httpx.ReadTimeout("timed out reading the order list", request=request)
        return httpx.Response(
            503,
            json={"success": False, "error": "Service unavailable", "message": "Try later"},
            request=request,
        )

    def close(self) -> None:
        """Close the forwarding connection pool."""
        self._http.close()
