"""The Price2B sandbox's settings, its named assumptions and the seeded shares.

Where ``price2b-inventory-api.txt`` leaves a behaviour open, the sandbox picks one; each
pick is in ``ASSUMPTIONS`` and, where a test may need the other choice, is a field here,
so that no test depends on a guess (NOTES-peers.md 3.6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from lib.sandbox.config import PRODUCT_COUNT, FaultSettings

# The seeded active products, by how their ``sku`` meets the PleasureStock sandbox's
# catalog (same seed): fixed by construction, whatever the seed. Price2B documents no
# barcode, so every match is by SKU; none of these PleasureStock products is one the
# Stock2Shop sandbox's variants carry, so counts across the three sources add up.
MATCHED_BY_SKU = 180  # ``sku`` is exactly one PleasureStock product's SKU
MATCHED_BY_FOLDED_SKU = 45  # the same SKU in lower case with spaces around it
AMBIGUOUS_CODES = 15  # PleasureStock SKUs carried by two products, "VIB-1" and "vib-1" ...
AMBIGUOUS_PRODUCTS = 2 * AMBIGUOUS_CODES  # ... (unique per account, equal once folded)
UNMATCHED = 225  # house SKUs no PleasureStock product has (some digit-only, leading zeros)
PRODUCT_TOTAL = MATCHED_BY_SKU + MATCHED_BY_FOLDED_SKU + AMBIGUOUS_PRODUCTS + UNMATCHED
# Products with status "inactive" (listed only with status=inactive or all; they match
# nothing) and soft-deleted ones (never listed).
INACTIVE_PRODUCTS = 14
DELETED_PRODUCTS = 6

# The documented warehouses (Miami 1, Los Angeles 2) and one more; their ids are known
# only from stock answers (no warehouse list is documented).
WAREHOUSES: tuple[tuple[int, str], ...] = ((1, "Miami"), (2, "Los Angeles"), (3, "Laredo"))
# Share of active products with stock in no warehouse (has_stock=false finds them).
NO_STOCK_SHARE = 0.2

PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100

READ_SCOPE = "inventory:read"
WRITE_SCOPE = "inventory:write"

ASSUMPTIONS: tuple[str, ...] = (
    "Tokens are fixed strings, each with one scope (the tokens field); a missing or unknown "
    "token gets 401, an expired one (token_ttl_seconds on the sandbox clock, off by "
    "default) 401 too (not documented).",
    "A read-scoped token gets 403 on every write; reads accept either inventory scope, and "
    "a token with neither gets 403 (not documented).",
    "Every error body is {success: false, message} (NOTES-peers.md 3.2: a guess).",
    "per_page above 100 is clamped to 100 and the answer's per_page says so "
    "(clamp_per_page; off: 422); per_page below 1 or a page below 1 is 422.",
    "status defaults to default_status ('active'); 'all' lists active and inactive; "
    "soft-deleted products are never listed and their detail and stock are 404.",
    "The list comes in ascending id order (no order is documented).",
    "has_stock=true keeps products whose total available is above 0 (the document does "
    "not say quantity or available).",
    "search matches SKU, name or description case-insensitively as a substring.",
    "category_id filters by an integer id the answers never show (no categories endpoint): "
    "the sandbox numbers its categories 1, 2, … in name order.",
    "created_after / created_before are strict bounds on created_at (ISO 8601, Z).",
    "The three names of one total are all served: stock_quantity (list), total_stock "
    "(detail), total.quantity (stock); quantity includes reserved, available = quantity - "
    "reserved.",
    "A product without a currency is stored as USD, as create's default says.",
    "Prices are JSON numbers: some integral (35), some to the cent (49.99).",
    "A 429 (above rate_limit_per_second, off by default) carries Retry-After: 1.",
    "Writes by a write-scoped token: stock adjust is applied (add, subtract, set on "
    "quantity); create, update, delete and import are recorded only and answered 501. "
    "Every write call is recorded, so tests prove StockDesk sends none.",
    "Import status: every batch id is unknown (404): the sandbox never imports.",
)

DEFAULT_READ_TOKEN = "p2b_read_sandbox_token_0001"
DEFAULT_WRITE_TOKEN = "p2b_write_sandbox_token_0002"


@dataclass(frozen=True)
class Price2BSandboxConfig(FaultSettings):
    """Everything that changes how the Price2B sandbox behaves; the defaults follow the
    document and the assumptions above. The fault fields are the PleasureStock sandbox's
    (``FaultSettings``), so its ``FaultInjector`` reads them."""

    seed: int = 42
    # The clock starts at 09:00 UTC on this day (default: today's date).
    today: date | None = None
    # False: the clock stands still until ``advance`` (tests); True: it runs with real time.
    clock_flows: bool = True
    # token -> scope; kept out of the repr like every secret.
    tokens: dict[str, str] = field(
        default_factory=lambda: {
            DEFAULT_READ_TOKEN: READ_SCOPE,
            DEFAULT_WRITE_TOKEN: WRITE_SCOPE,
        },
        repr=False,
    )
    token_ttl_seconds: float | None = None
    default_status: str = "active"
    clamp_per_page: bool = True
    rate_limit_per_second: int | None = None
    # Active products; those beyond the fixed shares above are unmatched house SKUs
    # (benchmarks ask for a large catalog).
    products: int = PRODUCT_TOTAL
    # The PleasureStock sandbox catalog the products are seeded from (its default size).
    ps_product_count: int = PRODUCT_COUNT

    def __post_init__(self) -> None:
        if self.products < PRODUCT_TOTAL:
            raise ValueError(f"products must be at least {PRODUCT_TOTAL}, got {self.products}")

    def resolved_today(self) -> date:
        """The day the data is relative to: the configured one or the real one."""
        return self.today or date.today()

    def clock_start(self) -> datetime:
        """When the sandbox clock starts (UTC)."""
        return datetime.combine(self.resolved_today(), time(9), tzinfo=UTC)
