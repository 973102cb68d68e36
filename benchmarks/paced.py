"""What the request-cost benchmarks share: requests counted at the client's transport,
the pacer on a virtual clock (a wait moves the clock on instead of sleeping), and the
busiest second of a real-rate run."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx


class CountingTransport(httpx.BaseTransport):
    """httpx's own HTTP transport, noting when each request left and how it was answered."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.sent: list[tuple[float, str, int]] = []  # (monotonic s, path, status)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` and note it."""
        at = time.monotonic()
        response = self._inner.handle_request(request)
        self.sent.append((at, request.url.path, response.status_code))
        return response

    def close(self) -> None:
        """Close the connection pool."""
        self._inner.close()


class VirtualWait:
    """The pacer's clock and sleep: a wait moves the clock on instead of sleeping."""

    def __init__(self) -> None:
        self.waited = 0.0

    def clock(self) -> float:
        """Real monotonic seconds plus every wait so far."""
        return time.monotonic() + self.waited

    def sleep(self, seconds: float) -> None:
        """Count the wait; return at once."""
        self.waited += seconds


def max_in_one_second(moments: list[float]) -> int:
    """The most of ``moments`` (seconds, sorted) inside any window of 1 s."""
    return max(
        (sum(1 for m in moments[i:] if m < start + 1.0) for i, start in enumerate(moments)),
        default=0,
    )


@dataclass(frozen=True)
class RealRateCheck:
    """A short run at the real pacer against a sandbox enforcing the same rate."""

    requests: int
    seconds: float
    max_in_one_second: int
    refused: int


def rate_check(transport: CountingTransport, seconds: float) -> RealRateCheck:
    """What ``transport`` sent in a real-rate run that took ``seconds``."""
    moments = [at for at, _, _ in transport.sent]
    return RealRateCheck(
        requests=len(moments),
        seconds=seconds,
        max_in_one_second=max_in_one_second(moments),
        refused=sum(1 for _, _, s in transport.sent if s == 429),
    )
