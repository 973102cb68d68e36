"""The PSRESTful Extra API client: the only code in StockDesk that speaks HTTP to
PSRESTful. Read only: the Extra APIs have no write, and the scraper, decorations,
classifications and ``totalSales`` are never called (NOTES-peers.md 4.8).

Paging walks ``page = 1..totalPages`` with our own filters on every request and never
follows ``next`` (absent on most endpoints, and unreliable where present). A page that
answers with another page's number, or only with records already read (a server
ignoring ``page``), raises ``PagingError``: the list would otherwise loop or be short.
Product paths are always called with the ``extraId``: a style code is unique only
within a supplier, and a numeric one can be another product's extraId.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, SecretStr

from lib.psrestful.errors import PLATFORM, PagingError
from lib.psrestful.models import (
    InventoryReading,
    InventoryRow,
    Metafield,
    Named,
    PageEnvelope,
    PartIdMapping,
    PriceList,
    ProductDetail,
    ProductSummary,
    Supplier,
)
from lib.psrestful.ratelimit import DEFAULT_PER_SECOND, RequestPacer
from lib.psrestful.transport import Transport
from lib.upstream.answers import parse_read
from lib.upstream.client import ClientBase, as_timeout, checked_base_url, secret_text
from lib.upstream.errors import ApiError, ConfigurationError
from lib.upstream.sending import ConnectionSettings

logger = logging.getLogger("stockdesk.psrestful")

# The maxima are not documented ("max varies by endpoint"); the best practices suggest
# 20–50. The server may clamp it: progress uses the answer's pageSize and totalPages.
PAGE_SIZE = 50
# A list longer than this many pages is not a catalog but a server that never ends.
MAX_PAGES = 10_000
CURRENCIES = ("USD", "CAD")
# How much longer than the time since a cursor a "since" window asks for: the server's
# Date has whole seconds, and a change written as we read must not fall in a gap.
SINCE_MARGIN = timedelta(minutes=10)

M = TypeVar("M", bound=BaseModel)


def since_window(elapsed: timedelta) -> str:
    """The shortest documented ``last_modified__since`` value (``30m``, ``2h``, ``3d``)
    covering ``elapsed``, rounded up, never shorter."""
    minutes = max(1, math.ceil(elapsed.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes}m"
    hours = math.ceil(minutes / 60)
    if hours < 48:
        return f"{hours}h"
    return f"{math.ceil(hours / 24)}d"


def _record_key(record: dict[str, Any]) -> str:
    """A record's identity for spotting a page answered twice: all of its fields."""
    return json.dumps(record, sort_keys=True, default=str)


class PsRestfulClient(ClientBase):
    """Typed, read-only access to the PSRESTful Extra API endpoints a buying desk needs.

    Keyword-only: ``base_url`` (``https://api.psrestful.com``) and ``api_key`` (checked
    at once: a missing one raises ``ConfigurationError`` saying where to set it), then
    ``timeout``, an httpx ``transport`` for tests, ``requests_per_second`` (undocumented:
    a conservative default), ``max_attempts`` of a read, ``page_size``, and the
    ``jitter``, ``sleep`` and ``clock`` tests replace.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: SecretStr | str | None,
        timeout: httpx.Timeout | float = 30.0,
        transport: httpx.BaseTransport | None = None,
        requests_per_second: float = DEFAULT_PER_SECOND,
        max_attempts: int = 5,
        page_size: int = PAGE_SIZE,
        jitter: Callable[[], float] = random.random,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        secret = secret_text(api_key)
        if not secret or not secret.strip():
            raise ConfigurationError(
                "No PSRESTful API key is configured. Set PSRESTFUL_API_KEY in the "
                "environment or in .streamlit/secrets.toml."
            )
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, got {page_size}")
        self.base_url = checked_base_url(base_url, "PSRESTFUL_BASE_URL")
        self.page_size = page_size
        self._api_key = SecretStr(secret.strip())
        self._transport = Transport(
            base_url=self.base_url,
            api_key=self._api_key,
            settings=ConnectionSettings(
                as_timeout(timeout), transport, max_attempts, jitter, sleep
            ),
            pacer=RequestPacer(requests_per_second, name="psrestful", clock=clock, sleep=sleep),
            clock=clock,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key=SecretStr('**********'))"

    @property
    def requests_sent(self) -> int:
        """How many HTTP requests this client has sent (retries included)."""
        return self._transport.requests

    # Paging ---------------------------------------------------------------------------

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every record of a V2 list, page 1 to ``totalPages``, with our filters each time."""
        seen: set[str] = set()
        page, total_pages = 1, 1
        while page <= total_pages:
            answer = self._transport.get(
                path, {**params, "page": page, "page_size": self.page_size}
            )
            envelope = parse_read(PageEnvelope, answer, platform=PLATFORM)
            if envelope.page is not None and envelope.page != page:
                raise PagingError(
                    f"PSRESTful answered page {envelope.page} when asked for page {page} of "
                    f"/{path}; the list cannot be read completely."
                )
            if page == 1:
                total_pages = envelope.total_pages or 1
                if total_pages > MAX_PAGES:
                    raise PagingError(
                        f"PSRESTful says /{path} has {total_pages:,} pages, more than "
                        f"StockDesk reads ({MAX_PAGES:,})."
                    )
            keys = [_record_key(r) for r in envelope.results]
            if page > 1 and keys and all(k in seen for k in keys):
                raise PagingError(
                    f"PSRESTful answered page {page} of /{path} with records of an earlier "
                    "page; it may be ignoring the page number, so the list is not read."
                )
            if not envelope.results:
                break  # the list shrank while we read it: nothing more to come
            seen.update(keys)
            yield from envelope.results
            page += 1

    def _all(self, model: type[M], path: str, **params: Any) -> list[M]:
        filters = {k: v for k, v in params.items() if v is not None}
        return [parse_read(model, r, platform=PLATFORM) for r in self._pages(path, filters)]

    # Endpoints ------------------------------------------------------------------------

    def suppliers(self) -> list[Supplier]:
        """Every supplier of the directory (``/extra/v2/suppliers``)."""
        return self._all(Supplier, "extra/v2/suppliers")

    def products(self, supplier_code: str) -> list[ProductSummary]:
        """Every product of one supplier (``/extra/v2/products?supplier_code=``)."""
        found = self._all(ProductSummary, "extra/v2/products", supplier_code=supplier_code)
        # The filter is the server's; a row of another supplier would corrupt item keys.
        return [p for p in found if p.supplier_code.casefold() == supplier_code.casefold()]

    def product(self, extra_id: str) -> ProductDetail:
        """One product's detail with its parts, by ``extraId`` only."""
        answer = self._transport.get(f"extra/v2/products/{_extra(extra_id)}")
        return parse_read(ProductDetail, answer, platform=PLATFORM)

    def price_breaks(
        self, extra_id: str, *, currency: str = "USD", version: str = "v2"
    ) -> PriceList:
        """A product's price breaks in ``currency`` (USD or CAD), from the V2 endpoint or
        the V1 one (whichever casing it answers in); the answer's own currency is kept."""
        if currency not in CURRENCIES:
            raise ValueError(f"PSRESTful prices are in USD or CAD only, not {currency!r}")
        if version not in ("v1", "v2"):
            raise ValueError(f"version must be v1 or v2, not {version!r}")
        path = f"extra/{version}/products/{_extra(extra_id)}/ppcs"
        answer = self._transport.get(path, {"currency": currency})
        prices = parse_read(PriceList, answer, platform=PLATFORM)
        if prices.currency is None:
            # Every example states it; without one the amounts cannot be labelled.
            raise ApiError(f"PSRESTful sent prices without a currency for {path}.", status_code=200)
        return prices

    def metafields(self, extra_ids: Sequence[str]) -> list[Metafield]:
        """The identifiers of the products with these extra ids."""
        if not extra_ids:
            return []
        ids = ",".join(_extra(e) for e in extra_ids)
        return self._all(Metafield, "extra/v2/products/metafields", extra_id=ids)

    def extra_id_of(self, supplier_code: str, product_id: str) -> Metafield:
        """The ``extraId`` of one supplier's style (``get-extra-id/``, trailing slash)."""
        answer = self._transport.get(
            "extra/v2/products/get-extra-id/",
            {"supplier_code": supplier_code, "product_id": product_id},
        )
        return parse_read(Metafield, answer, platform=PLATFORM)

    def part_id_mappings(self, supplier_code: str) -> list[PartIdMapping]:
        """One supplier's part ids per service (media, inventory, pricing)."""
        return self._all(PartIdMapping, "extra/v2/part-id-mappings", supplier_code=supplier_code)

    def brands(self, supplier_code: str) -> list[Named]:
        """One supplier's brands."""
        return self._all(Named, "extra/v2/brands", supplier_code=supplier_code)

    def categories(self, supplier_code: str) -> list[Named]:
        """One supplier's categories."""
        return self._all(Named, "extra/v2/categories", supplier_code=supplier_code)

    def server_now(self) -> datetime:
        """The server's clock now, read from the ``Date`` of a cheap request made now (an
        older answer's Date plus our elapsed time would drift from the server's clock)."""
        self._transport.get("extra/v2/suppliers", {"page": 1, "page_size": 1})
        now = self._transport.server_now()
        if now is None:
            raise ApiError("PSRESTful's answers carry no Date header.", status_code=200)
        return now

    def inventory(
        self, supplier_code: str, *, changed_since: datetime | None = None
    ) -> InventoryReading:
        """One supplier's cached inventory: all of it, or the rows changed since
        ``changed_since`` (a moment on the **server's** clock, e.g. an earlier reading's
        ``server_time``). The window is computed against the server's Date, plus a margin."""
        server_time = self.server_now()
        since = None
        if changed_since is not None:
            since = since_window(server_time - changed_since + SINCE_MARGIN)
        rows = self._all(
            InventoryRow, f"extra/v2/inventory/{supplier_code}", last_modified__since=since
        )
        return InventoryReading(rows=rows, server_time=server_time)


def _extra(extra_id: str) -> str:
    """An extraId as a path segment; a style code is refused (it may name another product)."""
    text = str(extra_id).strip()
    if not text.isdigit():
        raise ValueError(f"product paths take an extraId (digits), not {extra_id!r}")
    return text
