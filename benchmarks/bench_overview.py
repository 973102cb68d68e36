"""Time to a rendered Overview page in demo mode: first ever, cold process, warm reruns.

Each cold measurement is a fresh Python process (imports, database check, sandbox
start, API calls), rendering the real ``app.py`` with Streamlit's AppTest; warm
measurements rerun the same app in that process, with its caches filled.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.timing import PROJECT_ROOT, child_measurement

COLD_RUNS = 5
WARM_RUNS = 10


def _render_times(warm_runs: int) -> dict[str, object]:
    """In a child process: seconds for the first render and for ``warm_runs`` reruns."""
    from streamlit.testing.v1 import AppTest

    started = time.perf_counter()
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    app.run()
    first = time.perf_counter() - started
    assert not app.exception, [e.value for e in app.exception]
    warm = []
    for _ in range(warm_runs):
        started = time.perf_counter()
        app.run()
        warm.append(time.perf_counter() - started)
    return {"first": first, "warm": warm}


def _child_run(database: Path, warm_runs: int) -> dict[str, Any]:
    env = {"PLEASURESTOCK_API_KEY": "", "STOCKDESK_DATABASE_URL": f"sqlite:///{database}"}
    return child_measurement("benchmarks.bench_overview", env, str(warm_runs))


def main() -> None:
    """Print first-ever, cold and warm render times of the Overview and their ratios."""
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "stockdesk.db"
        first_ever = _child_run(database, WARM_RUNS)
        colds = [float(_child_run(database, 0)["first"]) for _ in range(COLD_RUNS)]
    cold = statistics.median(colds)
    warm = statistics.median(first_ever["warm"])  # type: ignore[arg-type]
    print(
        f"  first ever (empty database, catalog sync included): {first_ever['first']:.2f} s\n"
        f"  cold (fresh process, catalog stored): median {cold:.2f} s of {COLD_RUNS}\n"
        f"  warm (rerun, caches filled): median {warm * 1000:.0f} ms of {WARM_RUNS}\n"
        f"  cold / warm = {cold / warm:.1f}x"
    )


if __name__ == "__main__" and sys.argv[1:2] == ["child"]:
    print(json.dumps(_render_times(int(sys.argv[2]))))
