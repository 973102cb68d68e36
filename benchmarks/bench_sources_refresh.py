"""What a full refresh of Price2B and PSRESTful costs (issue 18): requests, their ratio to
the ideal, and seconds at the configured pace (``PRICE2B_REQUESTS_PER_SECOND`` and
``PSRESTFUL_REQUESTS_PER_SECOND``, both 2: neither platform documents a limit).

Each sandbox runs in its own process; the real client reads it over HTTP through the
source adapter the ``source_sync`` job runs (``fetch_catalog``), requests counted at the
client's transport, the pacer on a virtual clock (``benchmarks.paced``), so the seconds
at the configured pace are modelled without sleeping.

Price2B: 10,000 active products (``--products``), 2,000 of them linked. The sandbox's
SKU matches are fixed at 225 whatever its size, and which products are linked does not
change what a refresh costs, only how many are: ``stock_keys`` names 2,000 products
spread evenly over the list in id order. A full refresh is the product list (100 a page)
and one stock request per linked product; the adapter reads at most
``PRICE2B_STOCK_BUDGET`` (200) of them per sync, so the table shows the refresh at that
budget (run as many times as a rotation would need to cover the linked products,
showing how many of them ever have their stock read) and at a budget covering them all.

PSRESTful: the sandbox's five suppliers. A full refresh is, per supplier, the product
list, one detail (the only answer with the parts) and one price call per product, the
inventory and the part-id map. The ideal reads the same data at the sandbox's page
maxima (50, inventory 100); "prices for linked only" drops the price calls of products
no PleasureStock SKU links (NOTES-peers.md 2.5.8 and 4.5).
"""

from __future__ import annotations

import logging
import math
import statistics
import time
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TypeVar

from benchmarks.paced import CountingTransport, RealRateCheck, VirtualWait, rate_check
from benchmarks.sandbox_process import price2b_process, psrestful_process
from lib.jobs.schedules import SOURCE_SYNC_EVERY
from lib.price2b import Price2BClient
from lib.price2b.client import MAX_PER_PAGE
from lib.psrestful import PsRestfulClient
from lib.psrestful.client import PAGE_SIZE
from lib.sandbox.config import PRODUCT_COUNT
from lib.sandbox.price2b.config import DEFAULT_READ_TOKEN, INACTIVE_PRODUCTS
from lib.sandbox.psrestful.config import DEFAULT_API_KEY, SUPPLIERS, PsRestfulSandboxConfig
from lib.sandbox.stock2shop.seed import ps_catalog
from lib.settings import Settings
from lib.sources.matching import normalised
from lib.sources.price2b import Price2BSource
from lib.sources.psrestful import PsRestfulSource
from lib.sources.records import CatalogSnapshot

# A fixed day: the seeded data, and so every figure, do not depend on today's date.
TODAY = date(2025, 11, 10)
SEED = 42
REAL_RATE_REQUESTS = 6
# SanMar's catalog as the PSRESTful document counts it (NOTES-peers.md 2.5.8).
SANMAR_PRODUCTS = 5_420

C = TypeVar("C", Price2BClient, PsRestfulClient)


@dataclass(frozen=True)
class Scenario:
    """What the sandboxes hold and how the refresh is budgeted."""

    price2b_products: int = 10_000
    linked: int = 2_000  # spread evenly over the list in id order
    stock_budget: int = Settings.model_fields["price2b_stock_budget"].default
    price2b_per_second: float = Settings.model_fields["price2b_requests_per_second"].default
    psrestful_per_second: float = Settings.model_fields["psrestful_requests_per_second"].default
    repeat: int = 3
    real_rate_requests: int = REAL_RATE_REQUESTS


FULL = Scenario()


@dataclass(frozen=True)
class RefreshCost:
    """One refresh's figures: what it sent, what the fewest requests would be, how long."""

    requests: int
    ideal: int
    by_kind: dict[str, int]  # requests by what they asked for
    refused: int  # answers 429 or 5xx (retried)
    work_seconds: float  # median wall time, the pacer's waits taken out
    paced_seconds: float  # the work plus the pacer's own waits
    per_second: float

    @property
    def ratio(self) -> float:
        """Requests over the ideal."""
        return self.requests / self.ideal

    @property
    def modelled_seconds(self) -> float:
        """At the configured pace: max(requests / rate, measured work)."""
        return max(self.requests / self.per_second, self.work_seconds)


@dataclass(frozen=True)
class Coverage:
    """How many linked products a run of syncs at the budget ever reads stock for."""

    linked: int
    syncs: int
    read_once_or_more: int
    new_per_sync: tuple[int, ...]  # linked products read for the first time, per sync


def _kind(path: str) -> str:
    """What a request asked for, from its path."""
    for ending, kind in (("/stock", "stock"), ("/ppcs", "prices"), ("/products", "list")):
        if path.endswith(ending):
            return kind
    for word in ("part-id-mappings", "inventory", "suppliers"):
        if word in path:
            return word
    return "detail"


def _refused(transports: list[CountingTransport]) -> int:
    return sum(1 for t in transports for _, _, s in t.sent if s == 429 or s >= 500)


def _measured(
    runs: int,
    per_second: float,
    ideal: int,
    refresh: Callable[[CountingTransport, VirtualWait], object],
) -> tuple[RefreshCost, list[CountingTransport]]:
    """Run ``refresh`` ``runs`` times, each on a fresh transport and virtual clock."""
    transports, walls, waits = [], [], []
    for _ in range(runs):
        transport, wait = CountingTransport(), VirtualWait()
        started = time.perf_counter()
        refresh(transport, wait)
        walls.append(time.perf_counter() - started)
        transports.append(transport)
        waits.append(wait.waited)
    counts = {len(t.sent) for t in transports}
    assert len(counts) == 1, f"runs differ in requests: {sorted(counts)}"
    work = statistics.median(walls)
    cost = RefreshCost(
        requests=counts.pop(),
        ideal=ideal,
        by_kind=dict(Counter(_kind(path) for _, path, _ in transports[0].sent)),
        refused=_refused(transports),
        work_seconds=work,
        paced_seconds=work + statistics.median(waits),
        per_second=per_second,
    )
    return cost, transports


def _client(
    kind: Callable[..., C],
    base_url: str,
    per_second: float,
    transport: CountingTransport,
    wait: VirtualWait | None,
    **credentials: str,
) -> C:
    """A client of ``kind`` on ``transport``, its pacer on ``wait``'s virtual clock when
    given (else real time)."""
    paced = {"clock": wait.clock, "sleep": wait.sleep} if wait else {}
    return kind(
        base_url=base_url,
        transport=transport,
        requests_per_second=per_second,
        **paced,
        **credentials,
    )


_price2b_client = partial(_client, Price2BClient, token=DEFAULT_READ_TOKEN)
_psrestful_client = partial(_client, PsRestfulClient, api_key=DEFAULT_API_KEY)


# Price2B ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Price2BReport:
    """The Price2B refresh at the budget, at a budget covering every linked product,
    and what a run of syncs at the budget covers."""

    listed: int
    linked: int
    at_budget: RefreshCost
    all_linked: RefreshCost
    coverage: Coverage


def _price2b_refresh(
    base_url: str, scenario: Scenario, linked: Collection[str], budget: int, runs: int
) -> tuple[RefreshCost, list[CountingTransport]]:
    # The list with status=all holds the inactive products too.
    pages = math.ceil((scenario.price2b_products + INACTIVE_PRODUCTS) / MAX_PER_PAGE)
    ideal = pages + min(budget, len(linked))

    def refresh(transport: CountingTransport, wait: VirtualWait) -> object:
        with _price2b_client(base_url, scenario.price2b_per_second, transport, wait) as client:
            source = Price2BSource(client, stock_budget=budget, stock_keys=lambda: linked)
            return source.fetch_catalog()

    return _measured(runs, scenario.price2b_per_second, ideal, refresh)


def _stock_keys_read(transport: CountingTransport) -> set[str]:
    return {path.split("/")[-2] for _, path, _ in transport.sent if path.endswith("/stock")}


def measure_price2b(scenario: Scenario) -> Price2BReport:
    """Serve the Price2B sandbox at the scenario's size and refresh it."""
    options = ["--today", TODAY.isoformat(), "--seed", str(SEED), "--rate-limit", "0"]
    with price2b_process(*options, "--products", str(scenario.price2b_products)) as base_url:
        with _price2b_client(base_url, 1000.0, CountingTransport(), None) as client:
            ids = [p.id for p in client.iter_products()]
        linked = ids[:: len(ids) // scenario.linked][: scenario.linked]
        # As many syncs as reading the longest-unread first would need to cover them all.
        syncs = math.ceil(len(linked) / scenario.stock_budget)
        at_budget, transports = _price2b_refresh(
            base_url, scenario, linked, scenario.stock_budget, syncs
        )
        all_linked, _ = _price2b_refresh(base_url, scenario, linked, len(linked), 1)
    ever: set[str] = set()
    new = []
    for transport in transports:
        read = _stock_keys_read(transport)
        new.append(len(read - ever))
        ever |= read
    coverage = Coverage(len(linked), len(transports), len(ever & set(linked)), tuple(new))
    return Price2BReport(len(ids), len(linked), at_budget, all_linked, coverage)


# PSRESTful --------------------------------------------------------------------------


@dataclass(frozen=True)
class PsRestfulReport:
    """The PSRESTful refresh and what its per-product calls come to."""

    products: int
    parts: int
    linked_products: int  # products with a part whose SKU is exactly one PleasureStock SKU
    unjoined_rows: int  # inventory rows joining no part (the sandbox leaves some unmapped)
    refresh: RefreshCost

    @property
    def per_product(self) -> int:
        """The detail and price calls: two per product (the N+1)."""
        return self.refresh.by_kind.get("detail", 0) + self.refresh.by_kind.get("prices", 0)

    @property
    def linked_only_saves(self) -> int:
        """Price calls not sent if prices were read only for linked products."""
        return self.products - self.linked_products


def _psrestful_ideal(client: PsRestfulClient) -> tuple[int, int]:
    """(products, ideal requests): per supplier the list pages at 50, a detail and a
    price call per product, inventory pages at 100, map pages at 50."""
    limits = PsRestfulSandboxConfig()
    products = ideal = 0
    for code in SUPPLIERS:
        count = len(client.products(code))
        products += count
        ideal += math.ceil(count / limits.page_size_max) + 2 * count
        rows = len(client.inventory(code).rows)
        ideal += math.ceil(rows / limits.inventory_page_size_max)
        ideal += math.ceil(len(client.part_id_mappings(code)) / limits.page_size_max)
    return products, ideal


def _linked_products(snapshot: CatalogSnapshot) -> int:
    """Products holding a part whose SKU is one PleasureStock SKU (of the sandbox's
    catalog), carried by no other PSRESTful part: the links matching would propose."""
    ps_skus = {normalised(p.sku) for p in ps_catalog(SEED, TODAY, PRODUCT_COUNT)}
    carried = Counter(normalised(i.sku) for i in snapshot.items)
    return len(
        {
            i.parent_key
            for i in snapshot.items
            if normalised(i.sku) in ps_skus and carried[normalised(i.sku)] == 1
        }
    )


def measure_psrestful(scenario: Scenario) -> PsRestfulReport:
    """Serve the PSRESTful sandbox (five suppliers) and refresh it."""
    with psrestful_process("--today", TODAY.isoformat(), "--rate-limit", "0") as base_url:
        with _psrestful_client(base_url, 1000.0, CountingTransport(), None) as client:
            products, ideal = _psrestful_ideal(client)
        sources: list[tuple[PsRestfulSource, CatalogSnapshot]] = []

        def refresh(transport: CountingTransport, wait: VirtualWait) -> object:
            rate = scenario.psrestful_per_second
            with _psrestful_client(base_url, rate, transport, wait) as client:
                source = PsRestfulSource(client, supplier_codes=SUPPLIERS)
                sources.append((source, source.fetch_catalog()))
            return sources[-1]

        # The unjoined rows are counted in the report, not logged once per run.
        logger = logging.getLogger("stockdesk.psrestful")
        level = logger.level
        logger.setLevel(logging.ERROR)
        try:
            cost, _ = _measured(scenario.repeat, scenario.psrestful_per_second, ideal, refresh)
        finally:
            logger.setLevel(level)
    source, snapshot = sources[0]
    return PsRestfulReport(
        products, len(snapshot.items), _linked_products(snapshot), len(source.unjoined), cost
    )


# The real pacer ---------------------------------------------------------------------


def real_rate_checks(scenario: Scenario) -> tuple[RealRateCheck, RealRateCheck]:
    """``real_rate_requests`` requests to each sandbox at the real pacer, each sandbox
    answering 429 above the same rate on its own clock."""
    n = scenario.real_rate_requests
    p2b_rate, psr_rate = scenario.price2b_per_second, scenario.psrestful_per_second
    options = ["--today", TODAY.isoformat()]
    with price2b_process(*options, "--rate-limit", f"{p2b_rate:g}") as base_url:
        transport = CountingTransport()
        with _price2b_client(base_url, p2b_rate, transport, None) as client:
            started = time.monotonic()
            for page in range(1, n + 1):
                client.list_products(page=page, per_page=10)
            price2b = rate_check(transport, time.monotonic() - started)
    with psrestful_process(*options, "--rate-limit", f"{psr_rate:g}") as base_url:
        transport = CountingTransport()
        with _psrestful_client(base_url, psr_rate, transport, None) as client:
            started = time.monotonic()
            for _ in range(n):
                client.server_now()
            psrestful = rate_check(transport, time.monotonic() - started)
    return price2b, psrestful


# The report -------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """Everything the benchmark measured."""

    price2b: Price2BReport
    psrestful: PsRestfulReport
    real_rate: tuple[RealRateCheck, RealRateCheck]


def measure(scenario: Scenario) -> Report:
    """Both refreshes, then the real-rate checks."""
    return Report(
        measure_price2b(scenario), measure_psrestful(scenario), real_rate_checks(scenario)
    )


def _minutes(seconds: float) -> str:
    return f"{seconds:,.0f} s" if seconds < 120 else f"{seconds / 60:,.1f} min"


def print_report(scenario: Scenario, report: Report) -> None:
    """The table of the three refreshes, the findings and the real-rate lines."""
    p2b, psr = report.price2b, report.psrestful
    print(
        f"  Price2B: {p2b.listed:,} products listed (status all), {p2b.linked:,} linked; "
        f"PSRESTful: {len(SUPPLIERS)} suppliers, {psr.products:,} products, {psr.parts:,} parts, "
        f"{psr.linked_products:,} products linked, {psr.unjoined_rows} inventory rows join no part"
    )
    print(
        f"  {'refresh':<28}{'requests':>9}{'ideal':>7}{'ratio':>8}{'at rate':>11}"
        f"{'as paced':>11}{'work':>8}  requests by kind"
    )
    rows = (
        (f"Price2B, budget {scenario.stock_budget}", p2b.at_budget),
        (f"Price2B, budget {p2b.linked:,}", p2b.all_linked),
        ("PSRESTful, 5 suppliers", psr.refresh),
    )
    for name, cost in rows:
        kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(cost.by_kind.items()))
        print(
            f"  {name:<28}{cost.requests:>9,}{cost.ideal:>7,}{cost.ratio:>7.2f}x"
            f"{_minutes(cost.modelled_seconds):>11}{_minutes(cost.paced_seconds):>11}"
            f"{cost.work_seconds:>7.1f}s  {kinds}"
        )
    refused = sum(cost.refused for _, cost in rows)
    print(
        f"  at rate: max(requests / {scenario.price2b_per_second:g} per s, work) (both "
        "settings' default, neither documented); as paced: work + the pacer's waits (its "
        "window is 1.1 s); work: wall time without the waits on loopback, the sandbox's "
        f"answers included (median of the budget's syncs, of {scenario.repeat} PSRESTful "
        "refreshes; one run at the full budget); "
        + ("no answer was refused" if refused == 0 else f"{refused} answers refused (429/5xx)")
    )
    cover = p2b.coverage
    rotated = math.ceil(cover.linked / scenario.stock_budget)
    every = SOURCE_SYNC_EVERY.total_seconds() / 3600
    everything = _minutes(p2b.all_linked.modelled_seconds)
    print(
        f"  Price2B stock: {cover.syncs} syncs at budget {scenario.stock_budget} read "
        f"{cover.read_once_or_more:,} of the {cover.linked:,} linked products "
        f"(new per sync: {', '.join(map(str, cover.new_per_sync))}): every sync reads the "
        f"same lowest ids, so {cover.linked - cover.read_once_or_more:,} linked products "
        "never get warehouse stock. Reading the longest-unread first would cover them in "
        f"{rotated} syncs ({rotated * every:g} h at a source sync every {every:g} h), each "
        f"product's stock up to that old; one sync covering all costs {everything}."
    )
    print(
        f"  PSRESTful N+1: {psr.per_product:,} of {psr.refresh.requests:,} requests are "
        f"the detail and price call per product; prices for the {psr.linked_products:,} "
        f"linked products only would save {psr.linked_only_saves:,} requests "
        f"({psr.linked_only_saves / psr.refresh.requests:.0%}, "
        f"{_minutes(psr.linked_only_saves / scenario.psrestful_per_second)} at the rate). "
        f"At SanMar's {SANMAR_PRODUCTS:,} products (the document's count) the two calls "
        f"alone are {2 * SANMAR_PRODUCTS:,} requests: "
        f"{_minutes(2 * SANMAR_PRODUCTS / scenario.psrestful_per_second)} per full refresh."
    )
    extra = psr.refresh.requests - psr.refresh.ideal
    clock_reads = psr.refresh.by_kind.get("suppliers", 0)
    print(
        f"  PSRESTful over the ideal: {extra} requests: {clock_reads} reads of the server's "
        "clock (one per supplier, for the inventory's since-window) and "
        f"{extra - clock_reads} inventory pages, read at the client's {PAGE_SIZE} a page "
        "where the sandbox allows 100 (an assumption: the maxima are not documented)"
    )
    for name, check in zip(("Price2B", "PSRESTful"), report.real_rate, strict=True):
        print(
            f"  real pacer, {name}: {check.requests} requests in {check.seconds:.1f} s, at "
            f"most {check.max_in_one_second} in any 1 s window, {check.refused} answered 429"
        )


def main() -> None:
    """Print a full refresh's cost for 10,000 Price2B products and 5 PSRESTful suppliers."""
    print_report(FULL, measure(FULL))
