"""The Stock2Shop pace: at most one request per second by default, on a fake clock."""

from __future__ import annotations

from lib.stock2shop.ratelimit import RequestPacer


class FakeTime:
    """A clock that moves only when something sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def test_one_request_per_second_waits_a_second_between_requests() -> None:
    fake = FakeTime()
    pacer = RequestPacer(clock=lambda: fake.now, sleep=fake.sleep)
    for _ in range(4):
        pacer.acquire()
    pacer.close()
    assert len(fake.waits) == 3
    assert all(1.0 <= wait <= 1.2 for wait in fake.waits)


def test_a_slot_is_free_again_only_after_the_window() -> None:
    fake = FakeTime()
    pacer = RequestPacer(2, clock=lambda: fake.now, sleep=fake.sleep)
    assert pacer.try_acquire() and pacer.try_acquire()
    assert not pacer.try_acquire()
    fake.now += pacer.seconds_until_free()
    assert pacer.try_acquire()
    pacer.close()
