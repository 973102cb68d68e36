"""The layers of docs/architecture.md hold: the import contracts in pyproject.toml
(``[tool.importlinter]``, run with import-linter), storage importing only values, and
no page or ``lib/ui`` module opening a unit of work or writing an audit row (that is
a service function's job)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"an import contract is broken:\n{result.stdout}{result.stderr}"
    assert "0 broken" in result.stdout


def test_storage_imports_only_values_that_do_not_import_storage() -> None:
    # What import-linter cannot say as a list: lib.db may store a noun's value types
    # (pricing rules, roles, the client's payload models), never a module that itself
    # imports lib.db (a service function), so storage stays below every noun.
    graph = grimp.build_graph("lib", cache_dir=None)
    storage = {"lib.db", *graph.find_descendants("lib.db")}
    imported = {i for m in storage for i in graph.find_modules_directly_imported_by(m)} - storage
    cycles = [m for m in sorted(imported) if graph.chain_exists(m, "lib.db", as_packages=True)]
    assert not cycles, f"lib.db imports modules that import lib.db again: {cycles}"


def _units_of_work_and_audit_writes(path: Path) -> Iterator[tuple[int, str]]:
    """(line, what) for each ``UnitOfWork(…)`` and ``….audit.record(…)`` call in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        owner = func.value if isinstance(func, ast.Attribute) else None
        owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
        if name == "UnitOfWork":
            yield node.lineno, "opens UnitOfWork(…)"
        elif name == "record" and owner_name == "audit":
            yield node.lineno, "writes audit.record(…)"


def test_pages_and_ui_open_no_unit_of_work() -> None:
    files = sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "lib" / "ui").rglob("*.py")])
    assert files, "no pages found"
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in files
        for line, what in sorted(_units_of_work_and_audit_writes(path))
    ]
    assert not found, (
        "pages and lib/ui call one service function per action (lib/<noun>/…), which opens "
        "the unit of work and writes the audit row itself:\n" + "\n".join(found)
    )
