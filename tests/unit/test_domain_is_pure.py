"""The domain imports only the standard library and never reads the clock (STYLE.md rule 1).

This guards every module under ``src/infobank/domain``, not just the policy package.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "src" / "infobank" / "domain"
MODULES = sorted(DOMAIN.rglob("*.py"))

# Calls that read the wall clock or a timer; time must come in as an argument.
CLOCK_READS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    *(("time", f) for f in ("time", "time_ns", "monotonic", "monotonic_ns", "perf_counter")),
}


def imported_modules(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "infobank":
                names.extend(f"infobank.{alias.name}" for alias in node.names)
            else:
                names.append(node.module)
    return names


def is_allowed(module: str) -> bool:
    if module == "infobank.domain" or module.startswith("infobank.domain."):
        return True
    return module.split(".")[0] in sys.stdlib_module_names


def clock_reads(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name | ast.Attribute)
        ):
            owner = node.func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else owner.attr
            if (owner_name, node.func.attr) in CLOCK_READS:
                found.append(f"line {node.lineno}: {owner_name}.{node.func.attr}()")
    return found


def test_the_domain_has_modules_to_check() -> None:
    assert DOMAIN.is_dir()
    assert MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_module_imports_only_the_standard_library(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    outside = [name for name in imported_modules(tree) if not is_allowed(name)]

    assert outside == [], f"{path} imports outside the standard library: {outside}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_module_never_reads_the_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    assert clock_reads(tree) == [], f"{path} reads the clock; pass `at` in instead"


def test_the_checker_catches_a_third_party_and_an_adapter_import() -> None:
    tree = ast.parse(
        "import os\nfrom sqlalchemy import select\nfrom infobank import adapters\n"
        "from infobank.domain.policy import decide\nfrom . import facts\n"
    )

    outside = [name for name in imported_modules(tree) if not is_allowed(name)]

    assert outside == ["sqlalchemy", "infobank.adapters"]


def test_the_checker_catches_a_clock_read() -> None:
    tree = ast.parse("import datetime\nx = datetime.datetime.now()\ny = datetime.time(9, 0)\n")

    assert clock_reads(tree) == ["line 2: datetime.now()"]
