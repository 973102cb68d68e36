"""The Stock2Shop pull benchmark runs end to end at a tiny size: both pulls read all the
data, count their requests against the ideal, and the real pacer keeps 1 request/s."""

from __future__ import annotations

from benchmarks.bench_stock2shop_pull import Scenario, measure, orders_by_day, print_report


def test_the_benchmark_reads_everything_and_reports_its_cost(capsys) -> None:
    # A cap of 100 with pages of 10: the busy day (150 orders) must be split.
    scenario = Scenario(
        variants=700,
        daily_orders=orders_by_day(400, 5, {3: 150}),
        page_size=10,
        result_cap=100,
        repeat=1,
        real_rate_requests=2,
    )
    report = measure(scenario)
    print_report(scenario, report)

    assert report.variants.items == 700
    assert report.orders.items == 400
    assert report.orders.splits > 0
    for cost in (report.variants, report.orders):
        assert cost.requests >= cost.ideal
        assert cost.refused == 0
        assert cost.modelled_seconds >= cost.requests
    assert report.orders.ideal == 1 + 40
    assert report.real_rate.requests == 2
    assert report.real_rate.max_in_one_second == 1
    assert report.real_rate.refused == 0
    assert "orders, 5 days" in capsys.readouterr().out


def test_orders_by_day_keeps_the_total_and_the_sale_days() -> None:
    days = orders_by_day(50_000, 30, {23: 12_500, 24: 10_800})
    assert sum(days) == 50_000 and len(days) == 30
    assert (days[23], days[24]) == (12_500, 10_800)
    # Weekend days (the 6th and 7th of a week) are busier than its weekdays.
    assert min(days[5], days[6]) > max(days[0:5])
