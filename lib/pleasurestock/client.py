"""The PleasureStock API client: the only code in StockDesk that speaks HTTP to the platform.

One synchronous client for the standard API (``X-API-Key``) and the external API
(``Authorization: Bearer``), with a method per documented endpoint. The methods live
with their resource: ``catalog.py`` (products, TRY rates), ``sales.py`` (sales, Smart
Reordering), ``orders.py`` (orders); what they share (construction, the connection
pool, reading answers) is ``base.py``, sending and retries are ``transport.py``, and the
rate-limit budget shared by every process is ``budget.py``.
"""

from __future__ import annotations

from lib.pleasurestock.catalog import CatalogEndpoints
from lib.pleasurestock.orders import OrderEndpoints
from lib.pleasurestock.sales import MAX_SALES_ROWS, SalesEndpoints

# MAX_SALES_ROWS is part of the client's face: callers cut their sales into batches of it.
__all__ = ["MAX_SALES_ROWS", "PleasureStockClient"]


class PleasureStockClient(CatalogEndpoints, SalesEndpoints, OrderEndpoints):
    """Typed access to every documented PleasureStock endpoint.

    Keyword-only: ``base_url`` (``…/api/v1``) and ``api_key`` (checked at once: a missing
    or unsendable key raises ``ConfigurationError`` saying where to set it), then
    ``timeout``, an httpx ``transport`` for tests, ``rate_limits`` per rate class (the
    documented ones by default), ``budget_url``: where the budget every process with this
    key shares lives (``budget.py``; None keeps it in this process), ``max_wait``: seconds
    a request waits for budget before ``BudgetBusyError`` (None, for background work:
    as long as it takes), ``max_attempts`` of a request that is safe to repeat,
    ``max_concurrency`` of bulk reads, and the ``jitter`` and ``sleep`` tests replace.
    """
