"""Run StockDesk's benchmarks: ``python -m benchmarks [name ...]`` (``make bench``).

Every ``benchmarks/bench_<name>.py`` module with a ``main()`` is a benchmark; with no
names all of them run. Each prints its figures as ratios measured side by side in the
same run, with medians, because our 2-core machines are noisy.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    """Names of the benchmarks in this folder."""
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(HERE)])
        if m.name.startswith("bench_")
    )


def main(argv: list[str] | None = None) -> int:
    """Run the named benchmarks (all by default)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (from: {', '.join(available())})"
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(available()))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    for name in args.names or available():
        print(f"\n=== {name} ===", flush=True)
        importlib.import_module(f"benchmarks.bench_{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
