"""Price2B's pace. The document states no rate limit, so StockDesk sends at most
``DEFAULT_PER_SECOND`` requests per second unless ``PRICE2B_REQUESTS_PER_SECOND`` says
otherwise, kept by the shared ``RequestPacer`` (``lib/upstream/pacing.py``), and always
honours a 429 and its ``Retry-After`` (``lib/upstream/retry.py``)."""

from __future__ import annotations

from lib.upstream.pacing import RequestPacer

# Undocumented limit: 2 per second is as careful as Stock2Shop's documented 1 per second
# while a full read of 10,000 products (100 pages) still takes under a minute; the
# per-product stock reads are what cost, and those are budgeted separately.
DEFAULT_PER_SECOND = 2.0

__all__ = ["DEFAULT_PER_SECOND", "RequestPacer"]
