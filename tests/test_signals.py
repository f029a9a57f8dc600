"""Signals: SIGTERM and SIGHUP stop a job as the first Ctrl-C does; a second Ctrl-C stops at
once, even while the engine is busy; Ctrl-C during model conversion converts no more."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import NONET, REPO, SEED, TinyModels
from ringkas.errors import ExitCode
from ringkas.pipeline import GROUP_SIZE

ARTICLE = SEED.read_text(encoding="utf-8")


def _env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(NONET), str(REPO / "src")]),
        **extra,
    }


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ringkas", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env or _env(),
        # A child of a non-interactive parent may inherit SIGINT as ignored, and one run
        # under nohup SIGHUP (which ringkas then keeps ignored, as it should): restore
        # both, as a terminal would, so the test means the same on every machine.
        preexec_fn=_default_signals,
    )


def _default_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def folder_of(root: Path, count: int, copies: int = 1) -> Path:
    """Articles that differ from each other (the cleaner drops repeated paragraphs);
    ``copies`` makes each one longer."""
    folder = root / "berita"
    folder.mkdir()
    for number in range(count):
        parts = [
            ARTICLE.replace("Maluku", f"Maluku {number}-{part}").replace("2023", str(1900 + part))
            for part in range(copies)
        ]
        (folder / f"a{number:02}.txt").write_text("\n\n".join(parts), encoding="utf-8")
    return folder


def wait_for(condition, process: subprocess.Popen[bytes], what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


ARTICLES = 160


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["TERM", "HUP"]
)
def test_sigterm_and_sighup_stop_like_the_first_ctrl_c(
    signum: int, code: int, tiny: TinyModels, tmp_path: Path
) -> None:
    # Far more articles than can be done before the signal arrives, even on a busy machine.
    folder = folder_of(tmp_path, ARTICLES)
    out, report = tmp_path / "out", tmp_path / "laporan.json"
    process = start(
        "summarize", str(folder), "-t", str(tiny.marian), "-s", str(tiny.t5), "-O", str(out),
        "-f", "json", "--report", str(report), "--force-output-lengths", "1.0,60",
    )  # fmt: skip
    wait_for(lambda: any(out.glob("*.json")), process, "the first result")
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    text = stderr.decode()
    assert process.returncode == code == 128 + signum, text
    assert "Traceback" not in text
    assert f"interrupted ({signal.Signals(signum).name})" in text
    written = sorted(out.glob("*.json"))
    assert 1 <= len(written) < ARTICLES
    for path in written:
        assert json.loads(path.read_text(encoding="utf-8"))["summary"]  # whole
    assert not list(out.glob(".*.tmp"))
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["interrupted"] is True and data["exit_code"] == code
    assert data["counts"]["done"] == len(written)
    assert data["counts"]["not_started"] == ARTICLES - len(written)


def test_second_ctrl_c_stops_at_once_while_the_engine_works(
    tiny: TinyModels, tmp_path: Path
) -> None:
    """A first group of short articles, then a group of long ones at a wide beam, which
    needs far longer (about a minute) than the bound below: the two Ctrl-C come while the
    engine works on it, and the second must not wait for it."""
    folder = tmp_path / "berita"
    folder.mkdir()
    for number in range(GROUP_SIZE):
        short = ARTICLE.replace("Maluku", f"Maluku {number}")
        (folder / f"a{number:02}.txt").write_text(short, encoding="utf-8")
        long = [
            ARTICLE.replace("Maluku", f"Maluku {number}-{part}").replace("2023", str(1900 + part))
            for part in range(12)
        ]
        (folder / f"b{number:02}.txt").write_text("\n\n".join(long), encoding="utf-8")
    out = tmp_path / "out"
    process = start(
        "translate", str(folder), "-t", str(tiny.marian), "-O", str(out), "-f", "json",
        "--beam", "16", "--force-output-lengths", "1.0,60",
    )  # fmt: skip
    wait_for(lambda: len(list(out.glob("a*.json"))) == GROUP_SIZE, process, "the short group")
    time.sleep(2)  # reading and cleaning the long group: then the engine has it
    assert process.poll() is None
    process.send_signal(signal.SIGINT)
    time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    stopped = time.monotonic()
    _, stderr = process.communicate(timeout=300)
    took = time.monotonic() - stopped
    text = stderr.decode()
    assert process.returncode == ExitCode.INTERRUPTED, text
    assert took < 5, f"the second Ctrl-C took {took:.1f} s to stop the job"
    assert "stopped at once" in text and "Traceback" not in text
    assert not list(out.glob("b*.json"))
    assert not list(out.rglob(".*.tmp"))


def test_ctrl_c_during_model_conversion_converts_no_more(tiny: TinyModels, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    report = tmp_path / "laporan.json"
    env = _env(RINGKAS_CACHE_DIR=str(cache))
    process = start(
        "summarize", str(SEED), "-t", str(tiny.marian), "-s", str(tiny.bart),
        "--report", str(report), env=env,
    )  # fmt: skip
    assert process.stderr is not None
    lines: list[str] = []
    for raw in process.stderr:
        lines.append(raw.decode())
        if "converting" in lines[-1]:
            process.send_signal(signal.SIGINT)
            break
    rest = process.communicate(timeout=120)[1].decode()
    lines += rest.splitlines(keepends=True)
    text = "".join(lines)
    assert process.returncode == ExitCode.INTERRUPTED, text
    assert "Traceback" not in text
    told = next(n for n, line in enumerate(lines) if "interrupted" in line)
    assert not any("converting" in line for line in lines[told:]), text
    conversions = [line for line in lines if "converting" in line]
    assert len(conversions) == 1, text  # the one in progress, and no other
    models = cache / "models"
    assert not list(models.glob(".convert-*")) if models.exists() else True
    assert len([p for p in models.iterdir() if p.is_dir() and "--" in p.name]) <= 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["interrupted"] is True and data["counts"]["not_started"] == 1
