"""Standard streams that are full, closed or go away: a clear exit, one line where stderr
exists, never a traceback; results that do have somewhere to go are still written."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import NONET, REPO, SEED, TinyModels
from ringkas.errors import ExitCode

ARTICLE = SEED.read_text(encoding="utf-8")


def shell(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a bash script in which ``$RINGKAS`` is this checkout's ringkas, as a real process
    (redirections such as ``>&-`` need a shell)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(NONET), str(REPO / "src")]),
        "RINGKAS": f"{shlex.quote(sys.executable)} -m ringkas",
    }
    return subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


def one_error(stderr: str, *words: str) -> str:
    # The first test to use a tiny model converts it: that note is not part of the error.
    lines = [line for line in stderr.strip().splitlines() if " for CTranslate2 " not in line]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("ringkas: error: "), stderr
    for word in words:
        assert word in lines[0], stderr
    return lines[0]


@pytest.fixture
def work(tmp_path: Path, tiny: TinyModels, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "berita"
    folder.mkdir()
    for number in range(20):
        text = ARTICLE.replace("Maluku", f"Maluku {number}")
        (folder / f"a{number:02}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setenv("RINGKAS_TRANSLATOR", str(tiny.marian))
    monkeypatch.setenv("RINGKAS_SUMMARIZER", str(tiny.t5))
    return tmp_path


def test_stdout_on_a_full_disk(work: Path) -> None:
    process = shell("$RINGKAS translate a.txt > /dev/full", work)
    assert process.returncode == ExitCode.OUTPUT_FAILED == 74
    one_error(process.stderr, "stdout", "No space left on device")


def test_stdout_closed(work: Path) -> None:
    process = shell("$RINGKAS summarize a.txt >&-", work)
    assert process.returncode == ExitCode.OUTPUT_FAILED
    one_error(process.stderr, "stdout is closed")
    # Results that go to a file don't need stdout.
    written = shell("$RINGKAS summarize a.txt -o ringkasan.json >&-", work)
    assert written.returncode == 0, written.stderr
    assert json.loads((work / "ringkasan.json").read_text(encoding="utf-8"))["summary"]
    # Nor does a command that prints nothing.
    assert shell("$RINGKAS models list >&- 2>/dev/null", work).returncode == 74


def test_stderr_closed(work: Path) -> None:
    """Messages have nowhere to go, and nothing else may take their place: the exit code
    still tells, results are whole (fd 2 is never handed to an output file)."""
    process = shell("$RINGKAS summarize a.txt hilang.txt -f json 2>&-", work)
    assert process.returncode == ExitCode.INPUT_FAILED
    assert [item["source"] for item in json.loads(process.stdout)] == ["a.txt"]
    written = shell("$RINGKAS summarize a.txt berita/a01.txt -o keluaran.json 2>&-", work)
    assert written.returncode == 0
    assert len(json.loads((work / "keluaran.json").read_text(encoding="utf-8"))) == 2


def test_stdin_closed(work: Path) -> None:
    process = shell("$RINGKAS summarize - <&-", work)
    assert process.returncode == ExitCode.INPUT_FAILED
    one_error(process.stderr, "stdin", "closed")
    assert process.stdout == ""
    listed = shell("$RINGKAS summarize --files-from - <&-", work)
    assert listed.returncode == ExitCode.INPUT_FAILED
    assert (
        "stdin" in listed.stderr and "closed" in listed.stderr and "Traceback" not in listed.stderr
    )


def test_the_reader_goes_away(work: Path) -> None:
    script = (
        "$RINGKAS translate berita -f jsonl --report laporan.json 2> err.txt | head -c 10 "
        "> head.txt; echo ${PIPESTATUS[0]} > rc.txt"
    )
    process = shell(script, work)
    assert process.returncode == 0, process.stderr
    assert int((work / "rc.txt").read_text()) == ExitCode.READER_GONE == 141
    one_error((work / "err.txt").read_text(), "stdout", "closed by its reader")
    assert len((work / "head.txt").read_text()) == 10
    report = json.loads((work / "laporan.json").read_text(encoding="utf-8"))
    assert report["exit_code"] == 141
    assert report["stopped"] == "stdout was closed by its reader"
    counts = report["counts"]
    assert counts["done"] >= 1 and counts["not_started"] >= 1
    assert sum(counts.values()) == 20


JSONL = json.dumps({"id": "maluku", "text": ARTICLE}) + "\n"


@contextlib.contextmanager
def at_a_terminal(args: list[str], cwd: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``ringkas summarize ARGS`` with a real terminal (a pty) as its stdin; yields the
    process and the terminal's other end, where the test types."""
    import termios

    main, terminal = os.openpty()
    try:
        attributes = termios.tcgetattr(terminal)
        attributes[3] &= ~termios.ECHO  # what is typed is not echoed back (nobody reads it)
        termios.tcsetattr(terminal, termios.TCSANOW, attributes)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(NONET), str(REPO / "src")])}
        process = subprocess.Popen(
            [sys.executable, "-m", "ringkas", "summarize", *args],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
        )
        os.close(terminal)
        terminal = -1
        try:
            yield process, main
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    finally:
        os.close(main)
        if terminal >= 0:
            os.close(terminal)


@pytest.mark.parametrize(
    ("args", "typed", "what", "source"),
    [
        (["-", "-f", "json"], ARTICLE.rstrip("\n") + "\n", "the article (paste it)", "-"),
        (["--files-from", "-", "-f", "json"], "a.txt\n", "the input paths, one per line,", "a.txt"),
        (["--input-format", "jsonl", "-f", "jsonl"], JSONL, "JSON Lines", "maluku"),
    ],
    ids=["dash", "files-from", "jsonl"],
)
def test_stdin_from_a_terminal_says_how_to_end_the_text(
    work: Path, args: list[str], typed: str, what: str, source: str
) -> None:
    """`ringkas summarize -` typed at a prompt waits for the article: a note says so and how
    to end it, or ringkas would seem to hang. Through a real terminal (a pty), ended with
    one Ctrl-D as a person would (a buffered read used to swallow it: two were needed)."""
    with at_a_terminal(args, work) as (process, main):
        for line in typed.splitlines(keepends=True):  # a line at a time, as typed or pasted
            os.write(main, line.encode("utf-8"))
        os.write(main, b"\x04")  # Ctrl-D on an empty line: the end of the text
        stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr.decode()
    assert f"ringkas: reading {what} from the terminal: end with Ctrl-D" in stderr.decode()
    result = json.loads(stdout)
    assert result["summary"] and result["source"] == source


def _reading_stdin(pid: int) -> bool:
    """Whether a thread of process ``pid`` waits in read() on its stdin (Linux: the
    syscall number 0 with fd 0, x86-64)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            call = (task / "syscall").read_text().split()
        except PermissionError:
            pytest.skip("/proc/PID/syscall cannot be read here (ptrace is not permitted)")
        except OSError:  # the thread ended
            continue
        if call[:2] == ["0", "0x0"]:
            return True
    return False


@pytest.mark.skipif(
    sys.platform != "linux" or os.uname().machine != "x86_64",
    reason="looks for the read syscall in /proc (Linux, x86-64 numbers)",
)
def test_one_ctrl_c_while_waiting_for_the_terminal_stops(work: Path) -> None:
    """Nothing is in progress while ringkas waits for someone to type: the first Ctrl-C
    stops (exit 130, no traceback), instead of waiting for the text to end first."""
    import signal
    import time

    with at_a_terminal(["-", "-f", "json"], work) as (process, main):
        os.write(main, ARTICLE.splitlines(keepends=True)[0].encode("utf-8"))  # half typed
        # Once the models are loaded and a thread of ringkas waits in read(0, ...), that is,
        # well after the start, when Ctrl-C is graceful: the case that needed two.
        deadline = time.monotonic() + 60
        while not _reading_stdin(process.pid):
            assert process.poll() is None and time.monotonic() < deadline, "never read stdin"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == ExitCode.INTERRUPTED == 130, stderr.decode()
    assert b"Traceback" not in stderr and stdout == b"", stderr.decode()
    assert b"finishing what is in progress" not in stderr


def test_stdin_that_is_not_a_terminal_gets_no_note(work: Path) -> None:
    process = shell("$RINGKAS summarize - -f json < a.txt", work)
    assert process.returncode == 0, process.stderr
    assert "terminal" not in process.stderr
