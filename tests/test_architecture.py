"""The house: layers without cycles (import-linter's contracts in pyproject.toml), checked here
as CI checks them, and shown to fail when a cycle or a wrong arrow is added on purpose."""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytest.importorskip("importlinter", reason="import-linter is a dev dependency")
import grimp

SRC = REPO / "src"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with the project's contracts over the package in ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        # --config: the one spelling that import-linter 2.15 (Python 3.10) and 2.17 both take.
        [str(LINT_IMPORTS), "--config", str(REPO / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        env=env,
        cwd=src,
        timeout=300,
    )


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of src/ with ``line`` added to ``module`` (a path below src/ringkas)."""
    copy = tmp_path / "src"
    shutil.copytree(SRC / "ringkas", copy / "ringkas", ignore=shutil.ignore_patterns("*.pyc"))
    target = copy / "ringkas" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return copy


def test_contracts_hold() -> None:
    result = _lint_imports(SRC)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_import_cycle_anywhere_in_the_package() -> None:
    """Strongly connected components of the module graph (type-checking imports included)."""
    graph = grimp.build_graph("ringkas", cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's algorithm
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert cycles == []


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # A cycle: the converted-folder format importing the converter that writes it.
        ("models/converted.py", "import ringkas.models.convert", "No import cycles"),
        # Wrong arrows: a lower layer reaching up.
        ("text/clean.py", "import ringkas.cli", "never imports the CLI"),
        ("check/facts.py", "import ringkas.models.hub", "never import a model"),
        ("result.py", "import ringkas.pipeline", "Layers"),
    ],
)
def test_a_cycle_or_a_wrong_arrow_fails(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    result = _lint_imports(_copy_with(tmp_path, module, line))
    assert result.returncode != 0
    broken_lines = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(broken in line for line in broken_lines), result.stdout


def _readme_library_names() -> list[str]:
    """Every ``ringkas.NAME`` README's Library section mentions."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Library", 1)[1].split("\n## ", 1)[0]
    return sorted(set(re.findall(r"\bringkas(?:\.[A-Za-z_][A-Za-z0-9_]*)+", section)))


def test_every_public_name_in_readme_imports_from_where_readme_says() -> None:
    names = _readme_library_names()
    assert "ringkas.Pipeline" in names and "ringkas.text.split_sentences" in names
    for dotted in names:
        parts = dotted.split(".")
        # The longest importable module prefix, then attributes below it.
        for cut in range(len(parts), 0, -1):
            try:
                target = importlib.import_module(".".join(parts[:cut]))
                break
            except ModuleNotFoundError:
                continue
        for attribute in parts[cut:]:
            assert hasattr(target, attribute), f"README names {dotted}, which does not exist"
            target = getattr(target, attribute)
