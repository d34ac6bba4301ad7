"""The layout holds: modules stay small, imports never run in a circle, adapters are built only
in the composition root, no module is named after the order features were built in, and the
map in ARCHITECTURE.md names only files that exist (STYLE.md rule 9)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PACKAGE = SRC / "infobank"
# Migrations are history: a revision is never rewritten once it has run somewhere.
MIGRATIONS = PACKAGE / "adapters" / "db" / "migrations" / "versions"
MAX_LINES = 400

# Words that say when or in which batch of work something was written, not what it holds.
HISTORY_WORDS = ("loop", "ops", "operations", "misc", "utils", "helpers", "stuff", "new", "old")
HISTORY_AFFIXES = ("_ports", "_repos", "_repo", "models_", "rules_", "_cmd", "_pages", "_schemas")

# The concepts a newcomer looks for, each to be found in the map.
CONCEPTS = (
    "identity",
    "records",
    "offers",
    "consents",
    "deliveries",
    "benefits",
    "policy",
    "transparency log",
    "Mynaportal",
    "help desk",
    "incidents",
    "usage",
    "termination",
    "transfers",
    "web sessions",
)


def source_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if MIGRATIONS not in p.parents)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def top_level_imports(tree: ast.Module, known: Iterable[str]) -> set[str]:
    """The infobank modules a module imports when it is imported itself (not those imported
    inside functions, which run later and cannot make a cycle at import time)."""
    names = set(known)
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("infobank"))
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if not node.module.startswith("infobank"):
                    continue
                submodules = {f"{node.module}.{a.name}" for a in node.names} & names
                found.update(submodules)  # ``from package import module``
                if len(submodules) < len(node.names):  # something defined in the module itself
                    found.add(node.module)
            elif isinstance(node, ast.If) and not _is_type_checking(node.test):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)

    visit(tree.body)
    return found & names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_graph(modules: Mapping[str, ast.Module]) -> dict[str, set[str]]:
    return {name: top_level_imports(tree, modules) - {name} for name, tree in modules.items()}


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := walk(start)):
            return cycle
    return None


def history_names(paths: Iterable[Path]) -> list[str]:
    bad = []
    for path in paths:
        for part in path.relative_to(PACKAGE).with_suffix("").parts:
            words = part.split("_")
            if any(w in HISTORY_WORDS for w in words) or any(
                part.startswith(a) if a.endswith("_") else part.endswith(a) for a in HISTORY_AFFIXES
            ):
                bad.append(str(path.relative_to(PACKAGE)))
                break
    return bad


MODULES = {module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in source_modules()}


@pytest.mark.parametrize("path", source_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())

    assert lines <= MAX_LINES, f"{path.relative_to(SRC)} has {lines} lines; split it by concept"


def test_imports_never_run_in_a_circle() -> None:
    assert find_cycle(import_graph(MODULES)) is None


def test_the_cycle_finder_finds_a_cycle_through_a_package_import() -> None:
    modules = {
        "infobank.a": ast.parse("from infobank import b\n"),
        "infobank.b": ast.parse("from infobank.c import x\n"),
        "infobank.c": ast.parse("import infobank.a\n"),
        "infobank.d": ast.parse("def f():\n    from infobank import a\n"),
    }

    assert find_cycle(import_graph(modules)) == [
        "infobank.a",
        "infobank.b",
        "infobank.c",
        "infobank.a",
    ]


def test_only_the_composition_root_and_adapters_import_adapters() -> None:
    allowed = ("infobank.adapters", "infobank.bootstrap")
    importers = {
        name: sorted(d for d in deps if d.startswith("infobank.adapters"))
        for name, deps in import_graph_all_levels(MODULES).items()
        if not name.startswith(allowed)
    }

    assert {name: deps for name, deps in importers.items() if deps} == {}


def import_graph_all_levels(modules: Mapping[str, ast.Module]) -> dict[str, set[str]]:
    """Every infobank module each module imports, at any depth in its code."""
    graph: dict[str, set[str]] = {}
    for name, tree in modules.items():
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("infobank"))
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.startswith("infobank"):
                    found.add(node.module)
                    found.update(f"{node.module}.{a.name}" for a in node.names)
        graph[name] = found
    return graph


def test_no_module_or_folder_is_named_after_feature_history() -> None:
    assert history_names(source_modules()) == []


def test_the_name_check_catches_history_words() -> None:
    paths = [
        PACKAGE / "services" / "loop_ports.py",
        PACKAGE / "adapters" / "db" / "models_ops.py",
        PACKAGE / "entrypoints" / "web" / "person_pages.py",
        PACKAGE / "entrypoints" / "cli" / "operations_cmd.py",
        PACKAGE / "services" / "consents.py",
        PACKAGE / "services" / "consent_life.py",
    ]

    assert history_names(paths) == [
        "services/loop_ports.py",
        "adapters/db/models_ops.py",
        "entrypoints/web/person_pages.py",
        "entrypoints/cli/operations_cmd.py",
    ]


ARCHITECTURE = ROOT / "ARCHITECTURE.md"
PATH_IN_TICKS = re.compile(r"`([A-Za-z0-9_./-]+(?:\.py|\.md|/))`")
FILE_ANYWHERE = re.compile(r"(?<![\w./-])([A-Za-z0-9_./-]+\.py)\b")


def mapped_paths(text: str) -> list[str]:
    """Paths the map names, in backticks or in its pictures (any word ending in ``.py``),
    relative to ``src/infobank`` unless they start at the repository root (``src/``,
    ``tests/``, ``bench/``, ``docs/``)."""
    found = PATH_IN_TICKS.findall(text)
    return found + [p for p in FILE_ANYWHERE.findall(text) if p not in found]


def resolve(path: str) -> Path:
    if path.split("/")[0] in ("src", "tests", "bench", "docs", "examples"):
        return ROOT / path
    return PACKAGE / path


def test_the_map_names_only_files_that_exist() -> None:
    paths = mapped_paths(ARCHITECTURE.read_text(encoding="utf-8"))

    missing = [p for p in paths if not resolve(p).exists()]

    assert len(paths) > 40
    assert missing == []


def test_the_map_lists_every_concept_and_stays_short() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table_rows = [line for line in text.splitlines() if line.startswith("| ")]

    assert [c for c in CONCEPTS if not any(c in row for row in table_rows)] == []
    assert len(text.splitlines()) < 150


def test_the_map_check_reads_paths_from_backticks() -> None:
    text = "| consents | `services/consents.py` | `src/infobank/config.py` | `nowhere.py` |"

    paths = mapped_paths(text)

    assert paths == ["services/consents.py", "src/infobank/config.py", "nowhere.py"]
    assert [resolve(p).exists() for p in paths] == [True, True, False]
    assert mapped_paths("   cli/   worker.py\n") == ["worker.py"]  # pictures count too
    assert not resolve("worker.py").exists()
