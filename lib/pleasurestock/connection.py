"""Is PleasureStock reachable with our key, and how fast does it answer?

One cheap round trip through the client (Overview and Settings show it), with the
failure put in words a person can act on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from lib.pleasurestock.client import PleasureStockClient
from lib.pleasurestock.errors import (
    AuthenticationError,
    NetworkError,
    PermissionDeniedError,
    PleasureStockError,
)

# Where an operator changes the key; the Settings page only shows it.
KEY_ADVICE = (
    "Set the right key in PLEASURESTOCK_API_KEY (environment or .streamlit/secrets.toml) "
    "and restart StockDesk."
)


@dataclass(frozen=True)
class ConnectionCheck:
    """Outcome of one round trip to the products endpoint.

    ``reachable`` means the whole round trip worked, key included; ``status`` and
    ``headline`` say in words what went wrong otherwise.
    """

    reachable: bool
    latency_ms: float | None
    catalog_total: int | None
    error: str | None = None
    # "key refused" (401/403: the server answers but not to this key), "unreachable"
    # (nothing came back), "server error" (any other error answer); None when reachable.
    problem: str | None = None

    @property
    def status(self) -> str:
        """The state in one or two words: ``Reachable``, ``Key refused``, ``Unreachable``…"""
        return "Reachable" if self.problem is None else self.problem.capitalize()

    @property
    def headline(self) -> str | None:
        """The first sentence of the message a person reads; None when it worked."""
        return {
            None: None,
            "key refused": f"PleasureStock refused the API key. {KEY_ADVICE}",
            "unreachable": "PleasureStock cannot be reached.",
            "server error": "PleasureStock answered with an error.",
        }[self.problem]


def _problem(error: PleasureStockError) -> str:
    if isinstance(error, AuthenticationError | PermissionDeniedError):
        return "key refused"
    return "unreachable" if isinstance(error, NetworkError) else "server error"


def check_connection(client: PleasureStockClient) -> ConnectionCheck:
    """Fetch one product to prove the URL and key work; measures the round trip in ms."""
    started = time.perf_counter()
    try:
        page = client.list_products(limit=1)
    except PleasureStockError as error:
        return ConnectionCheck(
            reachable=False,
            latency_ms=None,
            catalog_total=None,
            error=str(error),
            problem=_problem(error),
        )
    latency = (time.perf_counter() - started) * 1000
    return ConnectionCheck(reachable=True, latency_ms=latency, catalog_total=page.pagination.total)
