"""The Stock2Shop API client: the only code in StockDesk that speaks HTTP to Stock2Shop.

Read-only by design: it logs in, lists sources and channels, and searches products and
orders. The document's queue writes (products, images, orders) are never called
(NOTES-peers.md 4.8). Searches page with ``from``/``size`` inside the inferred 10,000-hit
cap; a date window that would be cut by the cap is split in halves until each half
fits, and one that cannot be split any further raises ``ResultCapError`` rather than
returning part of the records.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from pydantic import SecretStr

from lib.stock2shop.errors import PLATFORM, ResultCapError
from lib.stock2shop.models import (
    Channel,
    ChannelOrder,
    Product,
    SearchPage,
    Session,
    SourceInfo,
)
from lib.stock2shop.ratelimit import DOCUMENTED_PER_SECOND, RequestPacer
from lib.stock2shop.transport import Operation, Transport
from lib.upstream.answers import parse_read
from lib.upstream.client import ClientBase, as_timeout, checked_base_url, secret_text
from lib.upstream.errors import ConfigurationError
from lib.upstream.sending import ConnectionSettings

logger = logging.getLogger("stockdesk.stock2shop")

# Elasticsearch's default cap on from + size and on counted hits; the document shows
# hits.total 10000 beside an order search and says nothing more (our inference).
RESULT_CAP = 10_000
# The largest size is not documented; 100 per page stays well inside any likely limit.
PAGE_SIZE = 100
# Where a search with no lower bound starts: before Stock2Shop existed.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)

# Every operation the client sends, and whether it writes. The searches and the login are
# POSTs that store nothing, so they are retried like reads.
LOG_IN = Operation("log in", (("POST", "users/authenticate"),), write=False)
LIST_SOURCES = Operation("list sources", (("GET", "sources"), ("POST", "sources")), write=False)
LIST_CHANNELS = Operation("list channels", (("GET", "channels"), ("POST", "channels")), write=False)
SEARCH_PRODUCTS = Operation(
    "search products",
    (("POST", "products/elastic_search"), ("POST", "products/elasticsearch")),
    write=False,
)
SEARCH_ORDERS = Operation(
    "search orders",
    (("POST", "orders/elastic_search"), ("POST", "orders/elasticsearch")),
    write=False,
)

M = TypeVar("M", Product, ChannelOrder)


def es_time(moment: datetime) -> str:
    """A moment as the document writes range bounds: ``2021-08-27 08:23:04``, UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def window_query(field: str, start: datetime, end: datetime) -> dict[str, Any]:
    """A bool query for ``start <= field < end``."""
    bounds = {"gte": es_time(start), "lt": es_time(end)}
    return {"bool": {"filter": [{"range": {field: bounds}}]}}


class Stock2ShopClient(ClientBase):
    """Typed, read-only access to the Stock2Shop endpoints a buying desk needs.

    Keyword-only: ``base_url`` (``https://app.stock2shop.com/v1``), ``username`` and
    ``password`` (checked at once: missing ones raise ``ConfigurationError`` saying where
    to set them), then ``timeout``, an httpx ``transport`` for tests,
    ``requests_per_second`` (1, as the document recommends; tests raise it),
    ``max_attempts`` of a read, ``page_size`` and ``result_cap`` of searches, and the
    ``jitter``, ``sleep`` and ``clock`` tests replace.
    """

    def __init__(
        self,
        *,
        base_url: str,
        username: str | None,
        password: SecretStr | str | None,
        timeout: httpx.Timeout | float = 30.0,
        transport: httpx.BaseTransport | None = None,
        requests_per_second: float = DOCUMENTED_PER_SECOND,
        max_attempts: int = 5,
        page_size: int = PAGE_SIZE,
        result_cap: int = RESULT_CAP,
        jitter: Callable[[], float] = random.random,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        secret = secret_text(password)
        if not username or not username.strip() or not secret:
            raise ConfigurationError(
                "No Stock2Shop login is configured. Set STOCK2SHOP_USERNAME and "
                "STOCK2SHOP_PASSWORD (a read_only user) in the environment or in "
                ".streamlit/secrets.toml."
            )
        if not 1 <= page_size <= result_cap:
            raise ValueError(f"page_size must be between 1 and {result_cap}, got {page_size}")
        self.base_url = checked_base_url(base_url, "STOCK2SHOP_BASE_URL")
        self.username = username.strip()
        self.page_size = page_size
        self.result_cap = result_cap
        self._password = SecretStr(secret)
        self._transport = Transport(
            base_url=self.base_url,
            password=self._password,
            settings=ConnectionSettings(
                as_timeout(timeout), transport, max_attempts, jitter, sleep
            ),
            pacer=RequestPacer(requests_per_second, name="stock2shop", clock=clock, sleep=sleep),
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, username={self.username!r}, "
            "password=SecretStr('**********'))"
        )

    @property
    def session(self) -> Session | None:
        """Who the client is logged in as (None before the first request)."""
        return self._transport.session

    def authenticate(self) -> Session:
        """Log in (``POST /v1/users/authenticate``) and keep the token; ``Session.warning``
        says when the account has no role, which means admin."""
        auth = {"username": self.username, "password": self._password.get_secret_value()}
        answer = self._transport.login(LOG_IN, {"system_user_auth": auth})
        user = answer["system_user"]
        session = parse_read(
            Session,
            {
                "user_id": user.get("id"),
                "client_id": user.get("client_id"),
                "username": user.get("username") or "",
                "roles": [
                    r.get("description") for r in user.get("roles") or [] if isinstance(r, dict)
                ],
            },
            platform=PLATFORM,
        )
        if session.warning:
            logger.warning("Stock2Shop user %s has no role: an admin account", session.username)
        self._transport.remember(session)
        return session

    def _call(self, operation: Operation, body: Any = None) -> Any:
        return self._transport.call(operation, body, relogin=self.authenticate)

    def list_sources(self) -> list[SourceInfo]:
        """The account's sources (ERPs), ``GET`` or ``POST /v1/sources``."""
        answer = self._call(LIST_SOURCES)
        rows = answer.get("system_sources") if isinstance(answer, dict) else None
        return [parse_read(SourceInfo, row, platform=PLATFORM) for row in rows or []]

    def list_channels(self) -> list[Channel]:
        """The account's sales channels, ``GET`` or ``POST /v1/channels``."""
        answer = self._call(LIST_CHANNELS)
        rows = answer.get("system_channels") if isinstance(answer, dict) else None
        return [parse_read(Channel, row, platform=PLATFORM) for row in rows or []]

    def search_products(
        self, query: dict[str, Any], *, start: int = 0, size: int = PAGE_SIZE, sort: Any = None
    ) -> SearchPage[Product]:
        """One page of a product search (live records, ``system_products``)."""
        return self._search(SEARCH_PRODUCTS, "system_products", Product, query, start, size, sort)

    def search_orders(
        self, query: dict[str, Any], *, start: int = 0, size: int = PAGE_SIZE, sort: Any = None
    ) -> SearchPage[ChannelOrder]:
        """One page of an order search (live records, ``system_orders``)."""
        return self._search(SEARCH_ORDERS, "system_orders", ChannelOrder, query, start, size, sort)

    def iter_products(
        self, *, modified_from: datetime = EPOCH, modified_to: datetime = _FAR_FUTURE
    ) -> Iterator[Product]:
        """Every product modified in ``[modified_from, modified_to)``, oldest change first,
        each once; windows the cap would cut are split."""
        yield from self._windowed(self.search_products, "modified", modified_from, modified_to)

    def iter_orders(
        self, *, start: datetime, end: datetime, field: str = "created"
    ) -> Iterator[ChannelOrder]:
        """Every order whose ``field`` (``created`` or ``modified``) is in ``[start, end)``,
        each once; windows the cap would cut are split."""
        yield from self._windowed(self.search_orders, field, start, end)

    def _search(
        self,
        operation: Operation,
        key: str,
        model: type[M],
        query: dict[str, Any],
        start: int,
        size: int,
        sort: Any,
    ) -> SearchPage[M]:
        if start < 0 or size < 1 or start + size > self.result_cap:
            raise ValueError(
                f"from + size must stay within Stock2Shop's {self.result_cap:,}-hit cap "
                f"(from {start}, size {size}); narrow the search instead"
            )
        body: dict[str, Any] = {"query": query, "from": start, "size": size}
        if sort is not None:
            body["sort"] = sort
        answer = self._call(operation, body)
        hits = answer.get("hits") if isinstance(answer, dict) else None
        total = hits.get("total") if isinstance(hits, dict) else None
        if isinstance(total, dict):  # newer Elasticsearch: {"value": n, "relation": "gte"}
            total = total.get("value")
        payload = {
            "total": total,
            "capped": isinstance(total, int) and total >= self.result_cap,
            "records": answer.get(key) or [] if isinstance(answer, dict) else [],
        }
        return parse_read(SearchPage[model], payload, platform=PLATFORM)  # type: ignore[valid-type]

    def _windowed(
        self,
        search: Callable[..., SearchPage[M]],
        field: str,
        start: datetime,
        end: datetime,
    ) -> Iterator[M]:
        seen: set[str] = set()
        windows = [(start, end)]
        sort = {field: {"order": "asc"}}
        while windows:
            low, high = windows.pop()
            query = window_query(field, low, high)
            page = search(query, start=0, size=self.page_size, sort=sort)
            if page.capped:
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    raise ResultCapError(
                        f"Stock2Shop has {self.result_cap:,} or more records with {field} "
                        f"from {es_time(low)} to {es_time(high)} (UTC), more than one search "
                        "returns, and that window cannot be split any narrower."
                    )
                logger.info(
                    "%s %s..%s reaches the %d-hit cap: splitting it in two",
                    field,
                    es_time(low),
                    es_time(high),
                    self.result_cap,
                )
                windows += [(middle, high), (low, middle)]
                continue
            offset = 0
            while True:
                for record in page.records:
                    if record.id not in seen:
                        seen.add(record.id)
                        yield record
                offset += self.page_size
                if offset >= page.total or not page.records:
                    break
                size = min(self.page_size, self.result_cap - offset)
                page = search(query, start=offset, size=size, sort=sort)
