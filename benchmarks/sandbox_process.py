"""Servers in separate processes, so their work does not share the benchmark's GIL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


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


@contextmanager
def sandbox_process(*args: str) -> Iterator[str]:
    """Serve ``python -m lib.sandbox`` on a free port with ``args``; yields its base URL."""
    port = free_port()
    with served([sys.executable, "-m", "lib.sandbox", "--port", str(port), *args], port):
        yield f"http://127.0.0.1:{port}/api/v1"


@contextmanager
def stock2shop_process(*args: str) -> Iterator[str]:
    """Serve ``python -m lib.sandbox.stock2shop`` on a free port with ``args``; yields its
    base URL (``…/v1``)."""
    port = free_port()
    command = [sys.executable, "-m", "lib.sandbox.stock2shop", "--port", str(port), *args]
    with served(command, port):
        yield f"http://127.0.0.1:{port}/v1"
