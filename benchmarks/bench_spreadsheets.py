"""Hostile and honest uploads: time and peak memory of reading each, in a fresh process.

Four files, made here and never committed: the 1.5 KB workbook that declares (and holds
one value at) XFD1048576; a 1 MB zip bomb of whitespace (about 1 GB unpacked), once with
true sizes and once with its central directory understating them; an honest workbook of
1,000,000 sales rows as Excel writes it (shared strings, date-formatted serials); and a
50 MB semicolon CSV. Each is read by ``read_sales_file`` in a child process, so its peak
resident memory (``ru_maxrss``) is its own; the child's address space is capped at 8 GB,
so a regression ends in a MemoryError rather than the machine swapping. Goals: hostile
files refused in under 1 s and 100 MB above the process's start; the honest 1M-row
workbook read in under 10 s.
"""

from __future__ import annotations

import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.timing import PROJECT_ROOT, child_measurement
from tests.support.xlsx import rows_xml, sheet_xml, understate_size, workbook_bytes

TODAY = "2025-11-10"
ROWS = 1_000_000
PRODUCTS = 2650
CSV_BYTES = 50 * 10**6
BOMB_UNPACKED = 2**30
CHILD_ADDRESS_SPACE = 8 * 2**30
WAREHOUSES = ["Kadıköy", "Beşiktaş", "Üsküdar"]


def far_cell() -> bytes:
    """A header, one sales row and one value in the sheet's very last cell."""
    rows = rows_xml([["Ürün Kodu", "Tarih", "Adet"], ["SKU-1", "2025-11-03", 5]])
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return workbook_bytes(sheet_xml(rows + far, dimension="A1:XFD1048576"), level=9)


def zip_bomb() -> bytes:
    """A header row, then a gigabyte of spaces before the end of the sheet data."""
    whole = sheet_xml(rows_xml([["Ürün Kodu", "Tarih", "Adet"]]))
    cut = whole.index(b"</sheetData>")
    spaces = b" " * 2**24
    chunks = itertools.chain([whole[:cut]], itertools.repeat(spaces, BOMB_UNPACKED // len(spaces)))
    return workbook_bytes(itertools.chain(chunks, [whole[cut:]]), level=9)


def million_rows() -> bytes:
    """1,000,000 rows as Excel writes them: texts shared, dates as serials with a date style."""
    import numpy as np
    import pandas as pd

    i = np.arange(ROWS)
    serials = (pd.Timestamp(TODAY) - pd.Timestamp("1899-12-30")).days - (i // PRODUCTS) % 300
    strings = ["Ürün Kodu", "Tarih", "Adet", "Stok", "Depo", *WAREHOUSES]
    strings += [f"SKU-{n}" for n in range(PRODUCTS)]
    sku = (i % PRODUCTS + 5 + len(WAREHOUSES)).astype(str)
    warehouse = (5 + i // (PRODUCTS * 300) % len(WAREHOUSES)).astype(str)
    quantity, stock, day = (i % 9).astype(str), (i % 70).astype(str), serials.astype(str)
    number = (i + 2).astype(str)
    header = '<row r="1">' + "".join(
        f'<c r="{c}1" t="s"><v>{n}</v></c>' for n, c in enumerate("ABCDE")
    )
    body = [header + "</row>"]
    body += [
        f'<row r="{r}"><c r="A{r}" t="s"><v>{s}</v></c><c r="B{r}" s="1"><v>{d}</v></c>'
        f'<c r="C{r}"><v>{q}</v></c><c r="D{r}"><v>{k}</v></c>'
        f'<c r="E{r}" t="s"><v>{w}</v></c></row>'
        for r, s, d, q, k, w in zip(number, sku, day, quantity, stock, warehouse, strict=True)
    ]
    return workbook_bytes(
        sheet_xml("".join(body), dimension=f"A1:E{ROWS + 1}"), shared_strings=strings
    )


def big_csv() -> bytes:
    """A Turkish POS export (semicolons, DD.MM.YYYY, decimal commas) of about 50 MB."""
    import numpy as np
    import pandas as pd

    rows = CSV_BYTES // 37  # about 37 bytes a line
    i = np.arange(rows)
    days = pd.date_range(end=TODAY, periods=300).strftime("%d.%m.%Y").to_numpy(dtype=object)
    frame = pd.DataFrame(
        {
            "Ürün Kodu": np.array([f"SKU-{n}" for n in range(PRODUCTS)], dtype=object)[
                i % PRODUCTS
            ],
            "Tarih": days[(i // PRODUCTS) % 300],
            "Adet": (i % 9).astype(str),
            "Stok": (i % 70).astype(str),
            "Depo": np.array(WAREHOUSES, dtype=object)[i // (PRODUCTS * 300) % 3],
        }
    )
    return frame.to_csv(sep=";", index=False).encode("utf-8-sig")


CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "far_cell": ("far-cell workbook (XFD1048576)", far_cell),
    "zip_bomb": ("zip bomb, 1 GB of spaces", zip_bomb),
    "zip_bomb_lying": ("zip bomb, sizes understated", lambda: understate_size(zip_bomb())),
    "million_rows": (f"honest workbook, {ROWS:,} rows", million_rows),
    "csv_50mb": ("honest CSV, 50 MB", big_csv),
}
SUFFIX = {"csv_50mb": ".csv"}


def child(path: Path) -> dict[str, object]:
    """In a fresh process: read ``path`` as an upload; seconds (wall and CPU), memory and the
    outcome. The parent stays small, since Linux carries ``ru_maxrss`` over fork and exec."""
    from lib.sales.reading import SalesFileError, read_sales_file

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))
    data = path.read_bytes()
    start_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    try:
        sales = read_sales_file(path.name, data)
        outcome = f"read {sales.data_rows:,} rows"
    except SalesFileError as error:
        outcome = f"refused: {str(error)[:110]}…"
    except MemoryError:
        outcome = "MemoryError (past the 8 GB cap)"
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "cpu": cpu, "start_mb": start_kb / 1024,
            "peak_mb": peak_kb / 1024, "outcome": outcome}  # fmt: skip


def main() -> None:
    """Print, per file: its size, seconds to read or refuse it, peak memory and the outcome."""
    with tempfile.TemporaryDirectory() as folder:
        for name, (label, _) in CASES.items():
            path = Path(folder) / f"{name}{SUFFIX.get(name, '.xlsx')}"
            subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_spreadsheets", "make", name, str(path)],
                cwd=PROJECT_ROOT,
                check=True,
            )
            measured = child_measurement("benchmarks.bench_spreadsheets", {}, str(path))
            growth = float(measured["peak_mb"]) - float(measured["start_mb"])  # type: ignore[arg-type]
            print(
                f"  {label}: {path.stat().st_size / 1e6:,.3f} MB file, "
                f"{measured['seconds']:.2f} s ({measured['cpu']:.2f} s CPU), "
                f"peak RSS {measured['peak_mb']:,.0f} MB "
                f"(+{growth:,.0f} MB over the process's start)\n    {measured['outcome']}",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__" and sys.argv[1:2] == ["child"]:
    print(json.dumps(child(Path(sys.argv[2]))))
elif __name__ == "__main__" and sys.argv[1:2] == ["make"]:
    Path(sys.argv[3]).write_bytes(CASES[sys.argv[2]][1]())
