"""The sandbox's settings: one frozen dataclass shared by the app, the CLI and tests, and
the fault settings every platform's sandbox config carries (``FaultSettings``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The default catalog size; the existing tests rely on it.
PRODUCT_COUNT = 2650
# Seeded sales pick 800 distinct products; a little headroom above that.
MIN_PRODUCT_COUNT = 1000


@dataclass(frozen=True, kw_only=True)
class FaultSettings:
    """The injected faults a sandbox's config carries (``faults.FaultInjector`` reads
    them): the fraction 0..1 of requests that get each, and the seed of the draws."""

    fault_429: float = 0.0
    fault_500: float = 0.0
    fault_slow: float = 0.0
    slow_seconds: float = 3.0
    fault_drop: float = 0.0
    # 200 with a body the client cannot read, after storing: see faults.UNREADABLE_BODIES.
    fault_unreadable: float = 0.0
    fault_seed: int | None = None


@dataclass(frozen=True)
class SandboxConfig(FaultSettings):
    """Everything that changes how the sandbox behaves; the defaults mimic the documents."""

    # Secrets stay out of the repr: a config may be logged or shown in a traceback.
    api_key: str = field(default="pk_test_sandbox", repr=False)
    seed: int = 42
    today: date | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_retry_delays: tuple[float, ...] = (2, 4, 8)
    webhook_timeout: float = 10.0
    rate_limits_enabled: bool = True
    rate_limit_scale: float = 1.0
    product_count: int = PRODUCT_COUNT

    def __post_init__(self) -> None:
        if self.product_count < MIN_PRODUCT_COUNT:
            raise ValueError(
                f"product_count must be at least {MIN_PRODUCT_COUNT:,} (the seeded sales and "
                f"orders need that many products), got {self.product_count:,}"
            )

    def resolved_today(self) -> date:
        """The sandbox's notion of today: the configured date or the real one."""
        return self.today or date.today()
