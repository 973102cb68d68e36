"""Servers in separate processes, so their work does not share the benchmark's GIL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(command: list[str], port: int, *, env: dict[str, str] | None = None) -> Iterator[None]:
    """Run ``command`` (a server that listens on ``port``) for the ``with`` block.

    Returns once the port accepts connections: a TCP connect, not a request, so the
    probe spends no rate-limit budget the benchmarked client does not know about.
    """
    environment = {**os.environ, **(env or {})}
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{command[2]} did not start on port {port}") from None
                time.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def sandbox_process(*args: str) -> AbstractContextManager[str]:
    """Serve ``python -m lib.sandbox`` on a free port with ``args``; yields its base URL."""
    return platform_process("lib.sandbox", "/api/v1", *args)


@contextmanager
def platform_process(module: str, api_path: str, *args: str) -> Iterator[str]:
    """Serve ``python -m <module>`` (a platform's sandbox) on a free port with ``args``;
    yields its base URL, the root followed by ``api_path``."""
    port = free_port()
    with served([sys.executable, "-m", module, "--port", str(port), *args], port):
        yield f"http://127.0.0.1:{port}{api_path}"


def stock2shop_process(*args: str) -> AbstractContextManager[str]:
    """The Stock2Shop sandbox in its own process; its base URL is ``…/v1``."""
    return platform_process("lib.sandbox.stock2shop", "/v1", *args)


def price2b_process(*args: str) -> AbstractContextManager[str]:
    """The Price2B sandbox in its own process; its base URL is ``…/api``."""
    return platform_process("lib.sandbox.price2b", "/api", *args)


def psrestful_process(*args: str) -> AbstractContextManager[str]:
    """The PSRESTful sandbox in its own process; its base URL is the root."""
    return platform_process("lib.sandbox.psrestful", "", *args)
