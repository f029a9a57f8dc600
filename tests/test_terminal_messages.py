"""On a terminal, messages appear above the live progress bar, never glued to it."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from conftest import NONET, REPO, SEED, TinyModels

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run ringkas with stderr on a pseudo-terminal (progress is shown); stdout is piped."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "ringkas", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    screen = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done with it
                break
            if not chunk:
                break
            screen += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    process.communicate(timeout=60)
    return process.returncode, screen.decode("utf-8", "replace")


def test_messages_are_never_glued_to_the_progress_bar(tiny: TinyModels, tmp_path: Path) -> None:
    folder = tmp_path / "berita"
    folder.mkdir()
    article = SEED.read_text(encoding="utf-8")
    for number in range(3):
        (folder / f"a{number}.txt").write_text(article.replace("Maluku", f"Maluku {number}"))
    (folder / "kosong.txt").write_text("")  # an error while the bar is up
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(NONET), str(REPO / "src")]),
        "RINGKAS_CACHE_DIR": str(tmp_path / "cache"),  # converting: notes while the bar runs
        "COLUMNS": "120",
        "TERM": "xterm",
    }
    env.pop("NO_COLOR", None)
    code, screen = run_on_a_terminal(
        ["summarize", str(folder), "-t", str(tiny.marian), "-s", str(tiny.t5)], env
    )
    assert code == 1, screen
    assert "━" in screen, "no progress bar was shown"  # the test means something
    plain = _ANSI.sub("", screen)
    messages = [part for part in re.split(r"[\r\n]", plain) if "ringkas:" in part]
    assert any("converting" in part for part in messages), plain
    assert any("kosong.txt" in part for part in messages), plain
    for part in messages:
        assert part.lstrip().startswith("ringkas:"), f"glued to the bar: {part!r}"
