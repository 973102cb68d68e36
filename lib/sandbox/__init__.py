"""StockDesk's sandbox: a Starlette app that behaves like the PleasureStock B2B API.

It serves seeded, deterministic data (catalog, 120 days of sales, orders) in the documented
shape variants, enforces auth and rate limits, and can inject faults and send webhooks.
"""

from lib.sandbox.app import create_app
from lib.sandbox.config import SandboxConfig
from lib.sandbox.server import RunningSandbox, start_in_thread

__all__ = ["RunningSandbox", "SandboxConfig", "create_app", "start_in_thread"]
