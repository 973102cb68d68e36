"""Run a sandbox (PleasureStock's, or another platform's app) with uvicorn in a daemon thread
on a free loopback port (tests, demo mode)."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING

import uvicorn
from starlette.applications import Starlette

from lib.sandbox.app import create_app
from lib.sandbox.config import SandboxConfig
from lib.sandbox.store import SandboxStore

if TYPE_CHECKING:
    from lib.sandbox.price2b.config import Price2BSandboxConfig
    from lib.sandbox.stock2shop.config import Stock2ShopSandboxConfig

_START_TIMEOUT_S = 15.0


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket on (host, port); port 0 picks a free port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this; without it Nagle + delayed ACK add ~40 ms per request.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


class RunningSandbox:
    """A sandbox served in a background thread; stop() or leave the `with` block to end it."""

    def __init__(
        self,
        config: SandboxConfig | Stock2ShopSandboxConfig | Price2BSandboxConfig,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        app: Starlette | None = None,
        api_path: str = "/api/v1",
        date_header: bool = True,
    ) -> None:
        """Serve ``app`` (default: a PleasureStock sandbox for ``config``), whose API lives
        under ``api_path``; ``date_header`` False leaves the Date header to the app (a
        sandbox whose clock is not the real one)."""
        self.config = config
        self.app = app or create_app(config)  # type: ignore[arg-type]
        self.store: SandboxStore = self.app.state.store
        # Binding the socket ourselves makes port=0 pick a free port we can read back.
        self._socket = bind_socket(host, port)
        bound_host, bound_port = self._socket.getsockname()[:2]
        self.root_url = f"http://{bound_host}:{bound_port}"
        self.base_url = f"{self.root_url}{api_path}"
        self._server = uvicorn.Server(
            uvicorn.Config(
                self.app,
                log_level="warning",
                lifespan="off",
                access_log=False,
                date_header=date_header,
            )
        )
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> RunningSandbox:
        """Start serving; returns once the server accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("sandbox server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Shut the server down and wait for its thread."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_in_thread(
    config: SandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> RunningSandbox:
    """Serve a sandbox for `config` in a daemon thread and return once it accepts connections."""
    return RunningSandbox(config or SandboxConfig(), host, port).start()
