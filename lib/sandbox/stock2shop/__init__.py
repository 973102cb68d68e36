"""A faithful local Stock2Shop API (``stock2shop-api.txt``): seeded from the PleasureStock
sandbox's catalog, with expiring query-string tokens on an advanceable clock, both path
spellings, the Elasticsearch subset with its inferred cap, index lag, rate limit and faults.
Its guesses are ``config.ASSUMPTIONS``."""

from lib.sandbox.stock2shop.app import create_app
from lib.sandbox.stock2shop.config import ASSUMPTIONS, SandboxUser, Stock2ShopSandboxConfig
from lib.sandbox.stock2shop.server import RunningStock2ShopSandbox, start_in_thread

__all__ = [
    "ASSUMPTIONS",
    "RunningStock2ShopSandbox",
    "SandboxUser",
    "Stock2ShopSandboxConfig",
    "create_app",
    "start_in_thread",
]
