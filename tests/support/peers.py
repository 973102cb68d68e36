"""What the peer platforms' client tests share: a stand-in for ``time.sleep``, and
factories that start sandboxes or build clients for one test and close them after it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar


class SleepLog:
    """Stands in for ``time.sleep``: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


class _Stoppable(Protocol):
    def stop(self) -> None: ...


class _Closable(Protocol):
    def close(self) -> None: ...


S = TypeVar("S", bound=_Stoppable)
C = TypeVar("C", bound=_Closable)


@contextmanager
def sandbox_factory(start: Callable[..., S]) -> Iterator[Callable[..., S]]:
    """``make(**overrides)`` starts a sandbox with ``start(**overrides)``; all of them are
    stopped when the block ends."""
    started: list[S] = []

    def make(**overrides: Any) -> S:
        running = start(**overrides)
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()


@contextmanager
def client_factory(build: Callable[..., C], **defaults: Any) -> Iterator[Callable[..., C]]:
    """``make(base_url, **overrides)`` builds a client with ``defaults`` (a fresh
    ``SleepLog`` as ``sleep`` and a pace no test reaches unless overridden); all of them
    are closed when the block ends."""
    made: list[C] = []

    def make(base_url: str, **overrides: Any) -> C:
        options = {"requests_per_second": 10_000, "sleep": SleepLog(), **defaults, **overrides}
        client = build(base_url=base_url, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
