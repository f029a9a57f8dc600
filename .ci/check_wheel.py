#!/usr/bin/env python3
"""Check what a user gets: the wheel holds the package and its prompt templates, and no
tests, benchmarks, CI or caches; with ``--installed``, the ringkas installed in this
interpreter is exactly that wheel (the same files).

    python .ci/check_wheel.py dist/ringkas-0.1.0-py3-none-any.whl [--installed]
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Nothing of these may reach a user's site-packages.
FORBIDDEN = ("tests/", "benchmarks/", ".ci/", "examples/", "prompts/", "src/")
FORBIDDEN_PARTS = ("__pycache__", ".pyc", ".venv", "conftest", "tiny_models")


def problems_in(names: list[str]) -> list[str]:
    """What is wrong with a wheel holding these files."""
    found = []
    for name in names:
        if name.startswith(FORBIDDEN) or any(part in name for part in FORBIDDEN_PARTS):
            found.append(f"does not belong in a wheel: {name}")
    templates = sorted(path.name for path in (REPO / "prompts").glob("*.toml"))
    if not templates:
        found.append(f"no prompt templates found in {REPO / 'prompts'} to compare with")
    for template in templates:
        if f"ringkas/prompt_templates/{template}" not in names:
            found.append(f"missing prompt template: ringkas/prompt_templates/{template}")
    package = sorted(
        path.relative_to(REPO / "src").as_posix() for path in (REPO / "src").rglob("*.py")
    )
    for module in package:
        if module not in names:
            found.append(f"missing module: {module}")
    return found


def installed_difference(names: list[str]) -> list[str]:
    """Files that differ between the wheel and the installed ringkas distribution."""
    from importlib.metadata import distribution

    dist = distribution("ringkas")
    installed = {
        str(file)
        for file in dist.files or []
        if not str(file).startswith(("../", "/"))
        and ".dist-info/" not in str(file)
        and "__pycache__" not in str(file)
    }
    wanted = {name for name in names if ".dist-info/" not in name}
    return [f"installed but not in the wheel: {name}" for name in sorted(installed - wanted)] + [
        f"in the wheel but not installed: {name}" for name in sorted(wanted - installed)
    ]


def main(argv: list[str]) -> int:
    paths = [arg for arg in argv if not arg.startswith("--")]
    if len(paths) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with zipfile.ZipFile(paths[0]) as wheel:
        names = wheel.namelist()
    found = problems_in(names)
    if "--installed" in argv:
        found += installed_difference(names)
    for problem in found:
        print(f"check_wheel: {problem}", file=sys.stderr)
    if not found:
        templates = sum(1 for name in names if name.startswith("ringkas/prompt_templates/"))
        print(f"check_wheel: {Path(paths[0]).name}: {len(names)} files, {templates} templates, ok")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
