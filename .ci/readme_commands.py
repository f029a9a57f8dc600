#!/usr/bin/env python3
"""Print the commands of a ``console`` block of README.md, one per line, for CI to run.

    python3 .ci/readme_commands.py "## Install"            # every block under the heading
    python3 .ci/readme_commands.py "## The two commands" 2  # only its second block

CI runs what README tells a user to type, read from README itself, so the two cannot drift
apart. A command is a line starting with ``$ ``; a trailing ``# comment`` is dropped.
Exits 1 (naming the heading) when the heading or the block is missing or has no command.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
_COMMENT = re.compile(r"\s+#\s.*$")


def blocks_under(heading: str, text: str) -> list[list[str]]:
    """The commands of each console block between ``heading`` and the next heading of the
    same or a higher level."""
    lines = text.splitlines()
    try:
        start = lines.index(heading)
    except ValueError:
        raise SystemExit(f"readme_commands: no heading {heading!r} in {README}") from None
    level = len(heading) - len(heading.lstrip("#"))
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in lines[start + 1 :]:
        if current is None:
            hashes = len(line) - len(line.lstrip("#"))
            if 0 < hashes <= level and line[hashes : hashes + 1] == " ":
                break
            if line.strip() == "```console":
                current = []
        elif line.strip() == "```":
            blocks.append(current)
            current = None
        elif line.startswith("$ "):
            current.append(_COMMENT.sub("", line[2:]).strip())
    return blocks


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    blocks = blocks_under(argv[0], README.read_text(encoding="utf-8"))
    if len(argv) == 2:
        number = int(argv[1])
        if not 1 <= number <= len(blocks):
            raise SystemExit(f"readme_commands: {argv[0]!r} has no console block {number}")
        blocks = [blocks[number - 1]]
    commands = [command for block in blocks for command in block]
    if not commands:
        raise SystemExit(f"readme_commands: no command under {argv[0]!r}")
    print("\n".join(commands))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
