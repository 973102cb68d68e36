"""The Price2B + PSRESTful refresh benchmark runs end to end at a tiny size: each refresh
reads what it should, counts its requests against the ideal, the stock budget's coverage
is what users would see, and the real pacers keep their rate."""

from __future__ import annotations

from benchmarks.bench_sources_refresh import Scenario, measure, print_report
from lib.sandbox.price2b.config import INACTIVE_PRODUCTS, PRODUCT_TOTAL
from lib.sandbox.psrestful.config import SUPPLIERS


def test_the_benchmark_reports_each_refresh_and_the_budgets_coverage(capsys) -> None:
    scenario = Scenario(
        price2b_products=PRODUCT_TOTAL + 120,  # 600 active, 614 listed: 7 pages of 100
        linked=120,
        stock_budget=50,
        repeat=2,
        real_rate_requests=3,
    )
    report = measure(scenario)
    print_report(scenario, report)

    p2b, psr = report.price2b, report.psrestful
    assert p2b.listed == 600 + INACTIVE_PRODUCTS and p2b.linked == 120
    assert p2b.at_budget.by_kind == {"list": 7, "stock": 50}
    assert p2b.all_linked.by_kind == {"list": 7, "stock": 120}
    # Three syncs would cover 120 at 50 a sync, yet each reads the same 50: the other
    # linked products never get stock.
    assert p2b.coverage.read_once_or_more == 50
    assert p2b.coverage.new_per_sync == (50, 0, 0)
    refresh = psr.refresh
    assert refresh.by_kind["detail"] == refresh.by_kind["prices"] == psr.products
    assert refresh.by_kind["suppliers"] == len(SUPPLIERS)
    assert 0 < psr.linked_products < psr.products
    for cost in (p2b.at_budget, p2b.all_linked, refresh):
        assert cost.requests >= cost.ideal
        assert cost.refused == 0
        assert cost.modelled_seconds >= cost.requests / 2
    for check in report.real_rate:
        assert check.requests == 3 and check.max_in_one_second <= 2 and check.refused == 0
    out = capsys.readouterr().out
    assert "never get warehouse stock" in out and "PSRESTful N+1" in out
