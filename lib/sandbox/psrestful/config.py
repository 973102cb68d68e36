"""The PSRESTful sandbox's settings, its named assumptions and the seeded shares.

Where ``psrestful-extra-api.txt`` leaves a behaviour open, the sandbox picks one; each
pick is in ``ASSUMPTIONS`` and, where a test may need the other choice, is a field here,
so that no test depends on a guess (NOTES-peers.md 2.6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from lib.sandbox.config import PRODUCT_COUNT, FaultSettings

# The supplier codes served, and how each writes what the document leaves open.
SUPPLIERS: tuple[str, ...] = ("SanMar", "HIT", "Gemline", "PCNA", "Alphabroder")
# How the last price break is written: "bounded" (a real maxQuantity: past it, no
# price), "missing" (no maxQuantity key), "null" (maxQuantity null), "large" (999999).
LAST_BREAK: dict[str, str] = {
    "SanMar": "bounded",
    "HIT": "missing",
    "Gemline": "null",
    "PCNA": "large",
    "Alphabroder": "bounded",
}
LARGE_MAX_QUANTITY = 999_999
# Suppliers whose answers carry customerPrice (the account has their "credentials").
WITH_CREDENTIALS: tuple[str, ...] = ("SanMar", "PCNA")
# The part id format of each supplier's inventory rows: "ppc" (PC61-BLK-S) or "inv" (PC61BLKS).
INVENTORY_PART_IDS: dict[str, str] = {
    "SanMar": "ppc",
    "HIT": "inv",
    "Gemline": "ppc",
    "PCNA": "inv",
    "Alphabroder": "ppc",
}
# The first parts of each "inv" supplier that the part-id map leaves out: their
# inventory rows join nothing, so their availability is unknown.
UNMAPPED_PER_INV_SUPPLIER = 3

# The seeded parts, by how their partId meets the PleasureStock sandbox's SKUs (same
# seed): fixed by construction, whatever the seed. Distinct from Stock2Shop's shares.
MATCHED_PARTS = 180  # partId is exactly one PleasureStock SKU, at one supplier
AMBIGUOUS_CODES = 12  # PleasureStock SKUs that are a one-part style at two suppliers ...
AMBIGUOUS_PARTS = 2 * AMBIGUOUS_CODES  # ... so these parts match no single product
UNMATCHED_PARTS = 140  # codes no PleasureStock product has
PART_COUNT = MATCHED_PARTS + AMBIGUOUS_PARTS + UNMATCHED_PARTS
FIRST_EXTRA_ID = 12_345

# The Date header is the server's clock, which "last_modified__since" is relative to.
ASSUMPTIONS: tuple[str, ...] = (
    "Every API key in api_keys and every bearer token in bearer_tokens is valid; with "
    "neither (or a wrong one) the answer is 401 {'detail'}. X-API-Key wins when both are sent.",
    "The scraper answers 403 {'detail'} to a key without the 'scrape' permission.",
    "page_size maxima are 100 for inventory and 50 elsewhere; above it the request is "
    "clamped (the real pageSize reported) or, with oversize='refuse', 400 {'detail'}.",
    "next/previous appear only on the product and supplier lists; next_mode says how "
    "next is written: 'dropped' (page_size and filters dropped, as the generic example), "
    "'kept', 'loop' (back to page 1) or 'foreign' (another origin).",
    "GET /products/{id}: an id that is an extraId is that product; otherwise the style "
    "code's product with the lowest extraId (the document does not say which).",
    "A product's parts are on its detail as parts[] {partId, color, size} (sorted-parts' "
    "shape; the document elides it). Price breaks are per product, not per part.",
    "The last price break is written per supplier as LAST_BREAK says.",
    "CAD amounts are the USD ones x cad_rate, to 4 decimals; customerPrice only for "
    "WITH_CREDENTIALS.",
    "V1 ppcs exist at /extra/v1/products/{id}/ppcs without the envelope, in v1_casing "
    "('snake' as V1 is said to be, or 'camel' as its examples are).",
    "Inventory partId is in the ppcId or invId format per INVENTORY_PART_IDS; the part map "
    "leaves out UNMAPPED_PER_INV_SUPPLIER parts of each 'inv' supplier.",
    "A row whose quantity reaches 0 disappears from inventory (zero_rows_vanish).",
    "last_modified__since takes N m/h/d and filters on the sandbox clock, which the Date "
    "header states.",
    "A 429 {'detail': 'Rate limit exceeded'} carries no Retry-After; more than "
    "rate_limit_per_second requests in one second of the sandbox clock get it.",
    "get-metafields-by-title matches the whole title, case-insensitively.",
)

DEFAULT_API_KEY = "psr_test_StockDeskReader0001"
DEFAULT_BEARER = "psr_bearer_StockDeskReader0001"


@dataclass(frozen=True)
class PsRestfulSandboxConfig(FaultSettings):
    """Everything that changes how the PSRESTful sandbox behaves; the defaults follow the
    document and the assumptions above. The fault fields are ``FaultSettings``."""

    seed: int = 42
    today: date | None = None
    clock_flows: bool = True
    # key -> permissions ("read", "scrape"); secrets stay out of the repr.
    api_keys: dict[str, frozenset[str]] = field(
        default_factory=lambda: {DEFAULT_API_KEY: frozenset({"read"})}, repr=False
    )
    bearer_tokens: tuple[str, ...] = field(default=(DEFAULT_BEARER,), repr=False)
    page_size_max: int = 50
    inventory_page_size_max: int = 100
    oversize: str = "clamp"  # or "refuse"
    next_mode: str = "dropped"  # "kept", "loop", "foreign"
    foreign_origin: str = "https://elsewhere.example.com"
    # None, "ignore_page" (always page 1, saying so) or "stale_page" (page 1's records
    # under the page number asked for).
    page_fault: str | None = None
    v1_casing: str = "snake"
    zero_rows_vanish: bool = True
    cad_rate: str = "1.3725"
    rate_limit_per_second: int | None = 5
    ps_product_count: int = PRODUCT_COUNT

    def resolved_today(self) -> date:
        """The day the data is relative to: the configured one or the real one."""
        return self.today or date.today()

    def clock_start(self) -> datetime:
        """When the sandbox clock starts (UTC)."""
        return datetime.combine(self.resolved_today(), time(9), tzinfo=UTC)
