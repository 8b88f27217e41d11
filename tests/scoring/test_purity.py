"""scoring imports the standard library only (import-linter checks our own packages;
this checks every third-party name, including ones nobody thought to list)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import scoring

ROOT = Path(scoring.__file__).parent


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_scoring_imports_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"scoring", "__future__"}
    offenders = {path.name: sorted(_imported_roots(path) - allowed) for path in ROOT.rglob("*.py")}
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_the_check_would_notice_a_third_party_import(tmp_path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import sqlalchemy\nfrom cryptography import x509\n", encoding="utf-8")
    assert _imported_roots(module) == {"sqlalchemy", "cryptography"}
