"""Client-side rate limits: requests wait for their budget instead of meeting a 429."""

from __future__ import annotations

from lib.pleasurestock.ratelimit import (
    DOCUMENTED_LIMITS,
    RateLimitPolicy,
    SlidingWindowLimiter,
)


class FakeClock:
    """A clock that only moves when the limiter sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def limiter(policy: RateLimitPolicy) -> tuple[SlidingWindowLimiter, FakeClock]:
    clock = FakeClock()
    return SlidingWindowLimiter("standard", policy, clock=clock, sleep=clock.sleep), clock


def send(lim: SlidingWindowLimiter) -> float:
    """One request that takes no time: returns the seconds it waited for its slot."""
    with lim.slot() as waited:
        return waited


def test_documented_limits_per_class() -> None:
    assert DOCUMENTED_LIMITS["standard"] == RateLimitPolicy(10, 100, 1000)
    assert DOCUMENTED_LIMITS["external"] == RateLimitPolicy(20, 200, 5000)
    assert DOCUMENTED_LIMITS["smart_reordering"] == RateLimitPolicy(2, 10, 100)


def test_burst_is_free_then_the_next_request_waits_about_a_second() -> None:
    lim, _clock = limiter(RateLimitPolicy(10, 100, 1000))
    waits = [send(lim) for _ in range(10)]
    assert waits == [0.0] * 10
    waited = send(lim)
    assert 1.0 <= waited <= 1.5


def test_minute_window_holds_back_the_101st_request() -> None:
    lim, clock = limiter(RateLimitPolicy(10, 100, 1000))
    for _ in range(100):
        send(lim)
    start = clock.now
    send(lim)
    # 100 requests at 10/s take ~10 s; the 101st must wait for the first to leave the minute.
    assert clock.now - 1000.0 >= 60.0
    assert clock.now > start


def test_no_more_than_the_limit_in_any_second() -> None:
    lim, clock = limiter(RateLimitPolicy(2, 10, 100))
    times = []
    for _ in range(10):
        send(lim)
        times.append(clock.now)
    for t in times:
        assert sum(1 for u in times if t <= u < t + 1.0) <= 2


def test_usage_reports_each_window() -> None:
    lim, _ = limiter(RateLimitPolicy(10, 100, 1000))
    for _ in range(7):
        send(lim)
    usage = {u.window_seconds: (u.used, u.limit) for u in lim.usage()}
    assert usage == {1.0: (7, 10), 60.0: (7, 100), 3600.0: (7, 1000)}


def test_a_request_in_flight_counts_in_every_window_until_it_finishes() -> None:
    lim, clock = limiter(RateLimitPolicy(2, 100, 1000))
    first = lim.slot()
    first.__enter__()  # sent, answer not back yet
    clock.now += 5.0  # long after its second has passed…
    send(lim)
    # …it still holds a slot: its arrival at the server could be any moment until now.
    assert {u.window_seconds: u.used for u in lim.usage()}[1.0] == 2
    first.__exit__(None, None, None)
    # Finished now, so it is stamped now and keeps counting for the next second.
    assert {u.window_seconds: u.used for u in lim.usage()}[1.0] == 2
    clock.now += 1.5
    assert {u.window_seconds: u.used for u in lim.usage()}[1.0] == 0
