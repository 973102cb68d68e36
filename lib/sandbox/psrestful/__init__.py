"""A faithful local PSRESTful Extra API (``psrestful-extra-api.txt``): five suppliers
seeded from the PleasureStock sandbox's catalog, both auth headers, V2 paging with
unreliable ``next`` links, USD/CAD price breaks in V1 and V2 casings, cached inventory
filtered on an advanceable clock stated in the Date header, rate limit and faults.
Its guesses are ``config.ASSUMPTIONS``."""

from lib.sandbox.psrestful.app import create_app
from lib.sandbox.psrestful.config import ASSUMPTIONS, PsRestfulSandboxConfig
from lib.sandbox.psrestful.server import RunningPsRestfulSandbox, start_in_thread

__all__ = [
    "ASSUMPTIONS",
    "PsRestfulSandboxConfig",
    "RunningPsRestfulSandbox",
    "create_app",
    "start_in_thread",
]
