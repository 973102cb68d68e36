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


def test_documented_limits_per_class() -> None:
    assert DOCUMENTED_LIMITS["standard"] == RateLimitPolicy(10, 100, 1000)
    assert DOCUMENTED_LIMITS["external"] == RateLimitPolicy(20, 200, 5000)
    assert DOCUMENTED_LIMITS["smart_reordering"] == RateLimitPolicy(2, 10, 100)


def test_burst_is_free_then_the_next_request_waits_about_a_second() -> None:
    lim, _clock = limiter(RateLimitPolicy(10, 100, 1000))
    waits = [lim.acquire() for _ in range(10)]
    assert waits == [0.0] * 10
    waited = lim.acquire()
    assert 1.0 <= waited <= 1.5


def test_minute_window_holds_back_the_101st_request() -> None:
    lim, clock = limiter(RateLimitPolicy(10, 100, 1000))
    for _ in range(100):
        lim.acquire()
    start = clock.now
    lim.acquire()
    # 100 requests at 10/s take ~10 s; the 101st must wait for the first to leave the minute.
    assert clock.now - 1000.0 >= 60.0
    assert clock.now > start


def test_no_more_than_the_limit_in_any_second() -> None:
    lim, clock = limiter(RateLimitPolicy(2, 10, 100))
    times = []
    for _ in range(10):
        lim.acquire()
        times.append(clock.now)
    for t in times:
        assert sum(1 for u in times if t <= u < t + 1.0) <= 2


def test_usage_reports_each_window() -> None:
    lim, _ = limiter(RateLimitPolicy(10, 100, 1000))
    for _ in range(7):
        lim.acquire()
    usage = {u.window_seconds: (u.used, u.limit) for u in lim.usage()}
    assert usage == {1.0: (7, 10), 60.0: (7, 100), 3600.0: (7, 1000)}
