"""The Stock2Shop pull's cost (issue 17): requests, their ratio to the ideal, and seconds.

A Stock2Shop sandbox in its own process holds 10,000 variants and 50,000 orders over the
30 days before today, unevenly: a three-day sale brings 12,500, 10,800 and 4,200 orders
(two days above the 10,000-hit cap, so a day window fetched naively would be cut), the
other 27 days share the rest, weekends half as busy again as weekdays. The real client
reads it over HTTP: (a) the variant sync (``sync_source`` into SQLite), (b) the 30-day
order pull (``pull_channel_sales`` with the settings' defaults over 30 days).

Requests are counted at the client's transport. The ideal is the fewest requests that
read the data at the client's page size under the cap: one login plus ceil(records /
page size), where a record is a product (a search page holds products, each with all
its variants) or an order. Knowing where the orders lie, a reader could cut the windows
at multiples of the page size, so the cap itself forces no extra request; the client does
not know, and pays for each window it finds capped (the page it throws away) and for
each window's last, partly filled page.

Seconds: the pull runs with the pacer on a virtual clock (a wait moves the clock on
instead of sleeping), so it goes at full speed while pacing as it would. The table shows
the measured work (wall time on loopback, the sandbox's answers included; and the client
process's CPU time), the model at 1 request/s, max(requests x 1 s, work), and the time
the pacer itself would take (its window is 1.1 s: ``ratelimit.MARGIN_MS``). A short run
at the real 1 request/s pacer then shows that no second holds two requests.
"""

from __future__ import annotations

import logging
import math
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from benchmarks.paced import CountingTransport, RealRateCheck, VirtualWait, rate_check
from benchmarks.sandbox_process import stock2shop_process
from lib.db import make_engine, make_session_factory, upgrade_to_head
from lib.sales.channel_pull import ChannelRules, pull_channel_sales
from lib.sandbox.stock2shop.embedded import DEMO_USER
from lib.settings import Settings
from lib.sources.stock2shop import Stock2ShopSource
from lib.sources.sync import sync_source
from lib.stock2shop import Stock2ShopClient
from lib.stock2shop.client import PAGE_SIZE, RESULT_CAP, window_query

# A fixed day: the seeded data, and so every figure, do not depend on today's date.
TODAY = date(2025, 11, 10)
# The sandbox's clock starts at 09:00 UTC on its day; the pull runs then.
NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=UTC)
# Days counted from the oldest (0) of the 30: a three-day sale near the end.
SALE_DAYS = {23: 12_500, 24: 10_800, 25: 4_200}
REAL_RATE_REQUESTS = 20


def orders_by_day(total: int, days: int, sale: dict[int, int]) -> tuple[int, ...]:
    """Orders on each of ``days`` days, oldest first: ``sale``'s days as given, the rest
    of ``total`` shared by the other days, a weekend day (the 6th and 7th of each week)
    weighing 1.5 weekdays; the rounding remainder goes to the first of them."""
    rest = total - sum(sale.values())
    weights = [0.0 if d in sale else 1.5 if d % 7 in (5, 6) else 1.0 for d in range(days)]
    counts = [int(rest * w / sum(weights)) for w in weights]
    for d in [d for d in range(days) if d not in sale][: rest - sum(counts)]:
        counts[d] += 1
    return tuple(sale.get(d, n) for d, n in enumerate(counts))


@dataclass(frozen=True)
class Scenario:
    """What the sandbox holds and how the client pages it."""

    variants: int
    daily_orders: tuple[int, ...]
    page_size: int = PAGE_SIZE
    result_cap: int = RESULT_CAP
    repeat: int = 3  # runs of the variant sync (the order pull runs once: it is the long one)
    real_rate_requests: int = REAL_RATE_REQUESTS


FULL = Scenario(variants=10_000, daily_orders=orders_by_day(50_000, 30, SALE_DAYS))


class SplitCounter(logging.Handler):
    """Counts the client's window splits: each one a search page found capped, unread."""

    def __init__(self) -> None:
        super().__init__()
        self.splits = 0

    def emit(self, record: logging.LogRecord) -> None:
        """Count a split's log line."""
        if "cap: splitting it in two" in record.getMessage():
            self.splits += 1


@dataclass(frozen=True)
class PullCost:
    """One pull's figures: what it read, what it sent, how long it worked."""

    records: int  # products or orders read
    items: int  # what the pull yields: variants stored, or orders read
    requests: int
    ideal: int
    splits: int  # windows found capped (each one request whose page is thrown away)
    refused: int  # answers 429 or 5xx (retried)
    work_seconds: float  # median wall time with the pacer's waits taken out
    cpu_seconds: float  # median CPU time of this process over the same runs
    paced_seconds: float  # what the pacer's own waits add, plus the work

    @property
    def ratio(self) -> float:
        """Requests over the ideal."""
        return self.requests / self.ideal

    @property
    def modelled_seconds(self) -> float:
        """At 1 request/s: max(requests x 1 s, measured work)."""
        return max(self.requests * 1.0, self.work_seconds)


def ideal_requests(records: int, page_size: int) -> int:
    """One login plus ceil(records / page size)."""
    return 1 + math.ceil(records / page_size)


def _client(
    base_url: str, scenario: Scenario, transport: CountingTransport, wait: VirtualWait
) -> Stock2ShopClient:
    return Stock2ShopClient(
        base_url=base_url,
        username=DEMO_USER.username,
        password=DEMO_USER.password,
        transport=transport,
        page_size=scenario.page_size,
        result_cap=scenario.result_cap,
        clock=wait.clock,
        sleep=wait.sleep,
    )


def _measured(
    base_url: str, scenario: Scenario, runs: int, pull: Callable[[Stock2ShopClient], int]
) -> tuple[list[CountingTransport], list[int], list[float], list[float], list[float]]:
    """Run ``pull`` (which returns what it yields) ``runs`` times, each with a fresh
    client (so each logs in), noting requests, splits and seconds."""
    transports, yields, walls, cpus, waits = [], [], [], [], []
    for _ in range(runs):
        transport, wait = CountingTransport(), VirtualWait()
        with _client(base_url, scenario, transport, wait) as client:
            cpu, wall = time.process_time(), time.perf_counter()
            yields.append(pull(client))
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        transports.append(transport)
        waits.append(wait.waited)
    return transports, yields, walls, cpus, waits


def _cost(
    base_url: str,
    scenario: Scenario,
    runs: int,
    records: int,
    pull: Callable[[Stock2ShopClient], int],
) -> PullCost:
    counter = SplitCounter()
    logger = logging.getLogger("stockdesk.stock2shop")
    logger.addHandler(counter)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        transports, yields, walls, cpus, waits = _measured(base_url, scenario, runs, pull)
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    requests = {len(t.sent) for t in transports}
    assert len(requests) == 1, f"runs differ in requests: {sorted(requests)}"
    work = statistics.median(walls)
    return PullCost(
        records=records,
        items=yields[0],
        requests=requests.pop(),
        ideal=ideal_requests(records, scenario.page_size),
        splits=counter.splits // runs,
        refused=sum(1 for t in transports for _, _, s in t.sent if s == 429 or s >= 500),
        work_seconds=work,
        cpu_seconds=statistics.median(cpus),
        paced_seconds=work + statistics.median(waits),
    )


@contextmanager
def _database() -> Iterator[sessionmaker[Session]]:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade_to_head(engine)
        try:
            yield make_session_factory(engine)
        finally:
            engine.dispose()


def variant_sync(base_url: str, scenario: Scenario, products: int) -> PullCost:
    """The variant sync as the ``source_sync`` job runs it, into a fresh SQLite database."""
    with _database() as session_factory:

        def pull(client: Stock2ShopClient) -> int:
            source = Stock2ShopSource(client, currency="ZAR")
            return sync_source(source, session_factory, actor="benchmark")

        return _cost(base_url, scenario, scenario.repeat, products, pull)


def order_pull(base_url: str, scenario: Scenario) -> PullCost:
    """The channel-orders pull of the settings' defaults, reading 30 days."""
    defaults = ChannelRules.from_settings(Settings.model_construct())
    rules = replace(defaults, sales_days=len(scenario.daily_orders))
    with _database() as session_factory:

        def pull(client: Stock2ShopClient) -> int:
            return pull_channel_sales(client, session_factory, rules, now=NOW).orders

        return _cost(base_url, scenario, 1, sum(scenario.daily_orders), pull)


def real_rate_check(requests: int) -> RealRateCheck:
    """``requests`` requests (a login, then order pages) at the real 1 request/s pacer,
    against a sandbox enforcing 1 request/s with 429s on its own clock."""
    with stock2shop_process("--today", TODAY.isoformat(), "--rate-limit", "1") as base_url:
        transport = CountingTransport()
        with Stock2ShopClient(
            base_url=base_url,
            username=DEMO_USER.username,
            password=DEMO_USER.password,
            transport=transport,
        ) as client:
            window = window_query("created", NOW - timedelta(days=120), NOW)
            started = time.monotonic()
            client.authenticate()
            for page in range(requests - 1):
                client.search_orders(window, start=page * 10, size=10)
            seconds = time.monotonic() - started
    return rate_check(transport, seconds)


@dataclass(frozen=True)
class Report:
    """Everything the benchmark measured."""

    variants: PullCost
    orders: PullCost
    real_rate: RealRateCheck


def measure(scenario: Scenario) -> Report:
    """Serve the scenario's sandbox, run both pulls and the real-rate check."""
    options = [
        "--today",
        TODAY.isoformat(),
        "--rate-limit",
        "0",  # the client's pacer, on its virtual clock, is what keeps the pace here
        "--variants",
        str(scenario.variants),
        "--daily-orders",
        ",".join(map(str, scenario.daily_orders)),
        "--result-cap",
        str(scenario.result_cap),
    ]
    with stock2shop_process(*options) as base_url:
        products = _product_count(base_url, scenario)
        variants = variant_sync(base_url, scenario, products)
        orders = order_pull(base_url, scenario)
    return Report(variants, orders, real_rate_check(scenario.real_rate_requests))


def _product_count(base_url: str, scenario: Scenario) -> int:
    """How many products hold the variants (the sandbox groups one to three): one read of
    them all, uncounted, since a search's total stops at the cap."""
    with _client(base_url, scenario, CountingTransport(), VirtualWait()) as client:
        return sum(1 for _ in client.iter_products())


def print_report(scenario: Scenario, report: Report) -> None:
    """The table of both pulls and the real-rate line."""
    days = scenario.daily_orders
    above = sum(1 for n in days if n >= scenario.result_cap)
    print(
        f"  {scenario.variants:,} variants in {report.variants.records:,} products; "
        f"{sum(days):,} orders over {len(days)} days (quietest {min(days):,}, busiest "
        f"{max(days):,}; {above} day(s) at or above the {scenario.result_cap:,}-hit cap); "
        f"pages of {scenario.page_size}"
    )
    header = (
        f"  {'pull':<18}{'read':>8}{'requests':>10}{'ideal':>7}{'ratio':>8}{'capped':>8}"
        f"{'at 1 req/s':>12}{'as paced':>10}{'work':>9}{'CPU':>8}"
    )
    print(header)
    rows = (("variant sync", report.variants), (f"orders, {len(days)} days", report.orders))
    for name, cost in rows:
        print(
            f"  {name:<18}{cost.items:>8,}{cost.requests:>10,}{cost.ideal:>7,}"
            f"{cost.ratio:>7.3f}x{cost.splits:>8}{cost.modelled_seconds:>11,.0f}s"
            f"{cost.paced_seconds:>9,.0f}s{cost.work_seconds:>8.1f}s{cost.cpu_seconds:>7.1f}s"
        )
    print(
        "  read: variants stored / orders read; ideal: 1 login + ceil(records / page); "
        "capped: windows found at the cap (their page unread); at 1 req/s: max(requests x "
        "1 s, work); as paced: work + the pacer's 1.1 s windows; work: wall time without "
        f"the waits (median of {scenario.repeat} for the variant sync, one order pull), the "
        "sandbox's answers included; CPU: this process's; no answer was refused"
        if report.variants.refused + report.orders.refused == 0
        else f"  {report.variants.refused + report.orders.refused} answers were refused (429/5xx)"
    )
    for name, cost in rows:
        extra = cost.requests - cost.ideal
        if extra:
            print(
                f"  {name}: {extra} request(s) over the ideal: {cost.splits} page(s) of windows "
                f"found capped, thrown away; {extra - cost.splits} from the {cost.splits + 1} "
                "windows' part-filled last pages"
            )
    check = report.real_rate
    print(
        f"  real pacer: {check.requests} requests in {check.seconds:.1f} s, at most "
        f"{check.max_in_one_second} in any 1 s window, {check.refused} answered 429"
    )


def main() -> None:
    """Print the pull's cost for 10,000 variants and 30 days of 50,000 orders."""
    print_report(FULL, measure(FULL))
