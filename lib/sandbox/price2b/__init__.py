"""A faithful local Price2B Inventory API (``price2b-inventory-api.txt``): seeded from the
PleasureStock sandbox's catalog, bearer tokens with scopes, the ``/api`` base, the list
with every filter and its 100-per-page cap, stock per warehouse with reservations under
the document's three names for one total, rate limit and faults. Its guesses are
``config.ASSUMPTIONS``."""

from lib.sandbox.price2b.app import create_app
from lib.sandbox.price2b.config import ASSUMPTIONS, Price2BSandboxConfig
from lib.sandbox.price2b.server import RunningPrice2BSandbox, start_in_thread

__all__ = [
    "ASSUMPTIONS",
    "Price2BSandboxConfig",
    "RunningPrice2BSandbox",
    "create_app",
    "start_in_thread",
]
