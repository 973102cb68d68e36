"""The Stock2Shop sandbox's settings, its named assumptions and the seeded shares.

Where ``stock2shop-api.txt`` leaves a behaviour open, the sandbox picks one; each pick is
in ``ASSUMPTIONS`` and, where a test may need the other choice, is a field here, so that
no test depends on a guess (NOTES-peers.md 1.6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from lib.sandbox.config import PRODUCT_COUNT, FaultSettings

# The seeded variants of active products, by how their codes meet the PleasureStock
# sandbox's catalog (same seed): fixed by construction, whatever the seed.
MATCHED_BY_SKU = 300  # ``sku`` is exactly one PleasureStock product's SKU
MATCHED_BY_BARCODE = 60  # ``barcode`` is; ``sku`` is a local ERP code
AMBIGUOUS_CODES = 20  # PleasureStock SKUs each carried by two Stock2Shop variants ...
AMBIGUOUS_VARIANTS = 2 * AMBIGUOUS_CODES  # ... so these variants match no single product
UNMATCHED = 200  # codes no PleasureStock product has (half digit-only, leading zeros)
VARIANT_COUNT = MATCHED_BY_SKU + MATCHED_BY_BARCODE + AMBIGUOUS_VARIANTS + UNMATCHED
# Variants of deactivated products: a search the server filters by ``active`` never
# returns them (their codes match nothing either).
INACTIVE_VARIANTS = 12

# The inferred Elasticsearch cap (NOTES-peers.md 1.2): on from + size, and on hits.total.
RESULT_CAP = 10_000

CLIENT_ID = 21
# Every status the sandbox seeds; "on_hold" is one no client is told about.
ORDER_STATUSES: tuple[str, ...] = (
    "ordered",
    "processing",
    "fulfilled",
    "cancelled",
    "refunded",
    "on_hold",
)

ASSUMPTIONS: tuple[str, ...] = (
    "A token lives token_ttl_seconds on the sandbox clock (the document: 'could expire').",
    "An expired, revoked or missing token is answered with expired_status (401) and the "
    "error body below (not documented).",
    "Every error body is {error_key: message}, by default {'errors': '…'} (not documented).",
    "A 429 carries no Retry-After (none is documented); more than rate_limit_per_second "
    "requests in one second of the sandbox clock from one client account get it.",
    "hits.total never says more than total_cap (10,000), and from + size above "
    "result_window (10,000) is refused with 400: Elasticsearch's defaults, inferred from "
    "the orders example, not documented.",
    "A changed or new record matches search filters only index_lag_seconds after the "
    "change; system_products / system_orders always show the live record.",
    "Product searches get term active:true added (as the echoed request shows) unless "
    "add_active_filter is off; order searches only client_id.",
    "Hits with equal sort values come in ascending id order.",
    "Users with no role are admins; 'admin' is 0 for every user, roles says who is what.",
    "Money is in one currency the API never names; prices are per unit, sub_total = "
    "price x qty, tax 15 %.",
    "Zoneless times ('YYYY-MM-DD HH:MM:SS') are UTC.",
    "PleasureStock documents no barcode: the by-barcode share carries the PleasureStock "
    "SKU in the variant's barcode field (some ERPs keep the supplier's code there).",
    "size defaults to 10 and from to 0; size may be a JSON number or a numeric string.",
    "Queue endpoints (products, images, v2-queue order) only record the call and answer "
    "the documented counts; nothing is processed.",
)


@dataclass(frozen=True)
class SandboxUser:
    """One login; ``role`` None is an admin (the document's 'no role')."""

    username: str
    password: str = field(repr=False)
    role: str | None


DEFAULT_USERS: tuple[SandboxUser, ...] = (
    SandboxUser("stockdesk-reader", "reader-password", "read_only"),
    SandboxUser("trade-buyer", "trade-password", "trade"),
    SandboxUser("owner", "owner-password", None),
)


@dataclass(frozen=True)
class Stock2ShopSandboxConfig(FaultSettings):
    """Everything that changes how the Stock2Shop sandbox behaves; the defaults follow the
    document and the assumptions above. The fault fields are the PleasureStock sandbox's
    (``FaultSettings``), so its ``FaultInjector`` reads them."""

    seed: int = 42
    # The clock starts at 09:00 UTC on this day (default: today's date).
    today: date | None = None
    # False: the clock stands still until ``advance`` (tests); True: it runs with real time.
    clock_flows: bool = True
    users: tuple[SandboxUser, ...] = field(default=DEFAULT_USERS, repr=False)
    token_ttl_seconds: float = 3600.0
    index_lag_seconds: float = 5.0
    result_window: int = RESULT_CAP
    total_cap: int = RESULT_CAP
    add_active_filter: bool = True
    product_search_paths: tuple[str, ...] = ("elastic_search", "elasticsearch")
    order_search_paths: tuple[str, ...] = ("elastic_search", "elasticsearch")
    # Methods served on /v1/sources and /v1/channels (the document says both).
    list_methods: tuple[str, ...] = ("GET", "POST")
    expired_status: int = 401
    error_key: str = "errors"
    rate_limit_per_second: int | None = 1
    # Active variants; those beyond the fixed shares above are unmatched house-brand
    # codes (benchmarks ask for a large catalog).
    variants: int = VARIANT_COUNT
    order_days: int = 120
    orders_per_day: float = 14.0
    # When set: exactly this many orders on each day before today, oldest first, none
    # today (instead of ``order_days`` of Poisson(``orders_per_day``)); benchmarks shape
    # busy days with it.
    daily_orders: tuple[int, ...] = ()
    # The PleasureStock sandbox catalog the variants are seeded from (its default size).
    ps_product_count: int = PRODUCT_COUNT

    def __post_init__(self) -> None:
        if self.variants < VARIANT_COUNT:
            raise ValueError(f"variants must be at least {VARIANT_COUNT}, got {self.variants}")

    def resolved_today(self) -> date:
        """The day the data is relative to: the configured one or the real one."""
        return self.today or date.today()

    def clock_start(self) -> datetime:
        """When the sandbox clock starts (UTC)."""
        return datetime.combine(self.resolved_today(), time(9), tzinfo=UTC)
