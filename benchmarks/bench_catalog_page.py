"""Time to a rendered Catalog page with 2,500 and 50,000 products: first ever, cold and warm.

For each size a sandbox seeded with that many products (``--products N``) serves the
API in its own process, and the app talks to it in live mode. Each cold measurement is
a fresh Python process rendering the real ``app.py`` on the Catalog page with
Streamlit's AppTest (imports, loading the stored snapshot, margins, TRY prices, quality
flags); warm measurements rerun the page in that process with its caches filled, once
on the Table tab (the default) and once on the Charts tab.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.sandbox_process import sandbox_process
from benchmarks.timing import PROJECT_ROOT, child_measurement
from lib.sandbox.embedded import DEMO_API_KEY

SIZES = (2_500, 50_000)
COLD_RUNS = 3
WARM_RUNS = 10
WARM_BUDGET_S = 1.0


def _render_times(warm_runs: int) -> dict[str, object]:
    """In a child process: seconds for the first render and for reruns on each tab."""
    from streamlit.testing.v1 import AppTest

    started = time.perf_counter()
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=600)
    app.switch_page("pages/catalog.py").run()
    first = time.perf_counter() - started
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    rows = len(app.dataframe[0].value)
    grid_bytes = len(app.dataframe[0].proto.arrow_data.data)
    times: dict[str, list[float]] = {"table": [], "charts": []}
    for tab, label in (("table", "Table"), ("charts", "Charts")):
        app.session_state["catalog_tab"] = label
        app.run()  # the first run on a tab builds its figures once
        for _ in range(warm_runs):
            started = time.perf_counter()
            app.run()
            times[tab].append(time.perf_counter() - started)
        assert not app.exception, [e.value for e in app.exception]
    return {"first": first, "rows": rows, "grid_bytes": grid_bytes, **times}


def _child_run(base_url: str, database: Path, warm_runs: int) -> dict[str, Any]:
    env = {
        "PLEASURESTOCK_API_KEY": DEMO_API_KEY,
        "PLEASURESTOCK_BASE_URL": base_url,
        "STOCKDESK_DATABASE_URL": f"sqlite:///{database}",
        # Live mode without [auth] serves pages only when anonymous use is allowed.
        "STOCKDESK_ALLOW_ANONYMOUS": "true",
    }
    return child_measurement("benchmarks.bench_catalog_page", env, str(warm_runs))


def _measure(products: int) -> dict[str, float]:
    """First-ever, cold and warm seconds for a catalog of ``products``; prints them."""
    with (
        sandbox_process("--products", str(products)) as base_url,
        tempfile.TemporaryDirectory() as folder,
    ):
        database = Path(folder) / "stockdesk.db"
        first_ever = _child_run(base_url, database, WARM_RUNS)
        colds = [float(_child_run(base_url, database, 0)["first"]) for _ in range(COLD_RUNS)]
    assert first_ever["rows"] == products, first_ever["rows"]
    figures = {
        "first": float(first_ever["first"]),  # type: ignore[arg-type]
        "cold": statistics.median(colds),
        "table": statistics.median(first_ever["table"]),  # type: ignore[arg-type]
        "charts": statistics.median(first_ever["charts"]),  # type: ignore[arg-type]
    }
    grid_mb = int(first_ever["grid_bytes"]) / 1e6  # type: ignore[call-overload]
    verdict = "within" if figures["table"] < WARM_BUDGET_S else "OVER"
    print(
        f"  {products:,} products (grid payload {grid_mb:.1f} MB):\n"
        f"    first ever (empty database, sync included): {figures['first']:.2f} s\n"
        f"    cold (fresh process, snapshot stored): median {figures['cold']:.2f} s "
        f"of {COLD_RUNS}\n"
        f"    warm, Table tab: median {figures['table'] * 1000:.0f} ms of {WARM_RUNS} "
        f"({verdict} the {WARM_BUDGET_S:g} s budget)\n"
        f"    warm, Charts tab: median {figures['charts'] * 1000:.0f} ms of {WARM_RUNS}\n"
        f"    cold / warm = {figures['cold'] / figures['table']:.1f}x",
        flush=True,
    )
    return figures


def main() -> None:
    """Print the Catalog page's render times for each catalog size and the ratios."""
    small, large = (_measure(size) for size in SIZES)
    print(
        f"  {SIZES[1]:,} / {SIZES[0]:,} products: cold {large['cold'] / small['cold']:.1f}x, "
        f"warm Table {large['table'] / small['table']:.1f}x, "
        f"warm Charts {large['charts'] / small['charts']:.1f}x"
    )


if __name__ == "__main__" and sys.argv[1:2] == ["child"]:
    print(json.dumps(_render_times(int(sys.argv[2]))))
