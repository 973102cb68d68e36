"""Shared timing for benchmarks: medians of interleaved runs, printed as ratios."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def median_seconds(run: Callable[[], object], *, repeat: int) -> float:
    """Median wall time of ``repeat`` calls of ``run``, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def compare(candidates: dict[str, Callable[[], object]], *, repeat: int) -> dict[str, float]:
    """Median seconds of each candidate, measured interleaved so drift hits all alike."""
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(repeat):
        for name, run in candidates.items():
            started = time.perf_counter()
            run()
            samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in samples.items()}


def child_measurement(module: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run ``python -m <module> child <args>`` in a fresh process with ``env`` added to the
    environment; returns the JSON object it prints on its last line (a cold measurement)."""
    output = subprocess.run(
        [sys.executable, "-m", module, "child", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])
