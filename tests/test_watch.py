"""The drop folder (ringkas watch): files are taken once they have landed whole."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from click.testing import CliRunner

from conftest import NONET, REPO, SEED, TinyModels
from ringkas.cli import cli
from ringkas.errors import ExitCode
from ringkas.sources.drop import DropFolder

ARTICLE = "Pemerintah Kota Ambon menyalurkan bantuan modal usaha senilai Rp 300 juta.\n"


def _collect(folder: Path, act, *, settle: float = 0.8, seconds: float = 6.0) -> list[list[str]]:
    """Rounds of files (relative names, with their sizes) that ``act`` makes land."""
    stop = threading.Event()
    rounds: list[list[str]] = []
    with DropFolder(folder, matches=lambda p: p.suffix == ".txt", stop=stop, settle=settle) as drop:
        worker = threading.Thread(target=act)
        worker.start()
        timer = threading.Timer(seconds, stop.set)
        timer.start()
        try:
            for ready in drop.landed():
                rounds.append([f"{p.relative_to(folder)}:{p.stat().st_size}" for p in ready])
        finally:
            timer.cancel()
            worker.join()
    return rounds


def test_files_land_once_whole(tmp_path: Path) -> None:
    drop = tmp_path / "masuk"
    drop.mkdir()
    elsewhere = tmp_path / "luar"
    elsewhere.mkdir()

    def act() -> None:
        (drop / "a.txt").write_text(ARTICLE, "utf-8")
        with (drop / "pelan.txt").open("w", encoding="utf-8") as slow:
            for _ in range(6):  # written slowly, each pause shorter than the settle time
                slow.write(ARTICLE)
                slow.flush()
                time.sleep(0.1)
        (drop / ".tersembunyi.txt").write_text(ARTICLE, "utf-8")
        (drop / "foto.jpg").write_bytes(b"\xff\xd8\xff")
        (drop / "kosong.txt").touch()
        folder = elsewhere / "sub"
        folder.mkdir()
        (folder / "b.txt").write_text(ARTICLE, "utf-8")
        shutil.move(str(folder), drop / "sub")  # a folder moved in brings its files

    rounds = _collect(drop, act, seconds=4.0)
    landed = sorted(name for names in rounds for name in names)
    size = len(ARTICLE.encode())
    assert landed == [f"a.txt:{size}", f"pelan.txt:{6 * size}", f"sub/b.txt:{size}"]


def test_stops_when_asked(tmp_path: Path) -> None:
    stop = threading.Event()
    with DropFolder(tmp_path, matches=lambda p: True, stop=stop, settle=0.2) as drop:
        threading.Timer(0.3, stop.set).start()
        started = time.monotonic()
        assert list(drop.landed()) == []
    assert time.monotonic() - started < 3


# -- ringkas watch, as a real process -------------------------------------------------------

SEED_TEXT = SEED.read_text(encoding="utf-8")


def _articles(count: int) -> list[str]:
    """Different articles (different text, so none is skipped as already done)."""
    return [SEED_TEXT.replace("Maluku", f"Maluku {i}") for i in range(count)]


def _wait(condition, process: subprocess.Popen, log: Path, what: str, seconds: float = 180):
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, f"ringkas watch ended: {log.read_text()}"
        assert time.monotonic() < deadline, f"{what} did not happen in time: {log.read_text()}"
        time.sleep(0.05)


def test_watch_does_what_lands_survives_a_bad_file_and_stops_on_ctrl_c(
    tiny: TinyModels, tmp_path: Path
) -> None:
    drop, out, report, log = (tmp_path / n for n in ("masuk", "ringkasan", "r.json", "log.txt"))
    drop.mkdir()
    texts = _articles(5)
    (drop / "sudah.txt").write_text(texts[0], "utf-8")
    models = ["-t", str(tiny.marian), "-s", str(tiny.t5), "-l", "short"]
    done_before = CliRunner().invoke(
        cli, ["summarize", str(drop), *models, "-O", str(out), "-f", "json"]
    )
    assert done_before.exit_code == 0, done_before.stderr
    (drop / "awal.txt").write_text(texts[1], "utf-8")  # there at the start, not done yet

    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "ringkas", "watch", str(drop), *models, "-O", str(out),
             "-f", "json", "--settle", "1", "--report", str(report)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "PYTHONPATH": f"{NONET}{os.pathsep}{REPO / 'src'}"},
            # A child of a non-interactive parent may inherit SIGINT as ignored: restore it,
            # as a terminal would, so the test means the same on every machine.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
        try:
            _wait(lambda: (out / "awal.json").exists(), process, log, "the file there at start")
            assert "watching" in log.read_text()

            (drop / "baru.txt").write_text(texts[2], "utf-8")  # lands after the start
            _wait(lambda: (out / "baru.json").exists(), process, log, "a file landing")

            words = texts[3].split()
            with (drop / "pelan.txt").open("w", encoding="utf-8") as slow:
                for start in range(0, len(words), 40):  # written slowly, in pieces
                    slow.write(" ".join(words[start : start + 40]) + " ")
                    slow.flush()
                    time.sleep(0.2)
            _wait(lambda: (out / "pelan.json").exists(), process, log, "a slowly written file")
            slow_result = json.loads((out / "pelan.json").read_text())
            # Read whole: the last piece ("... berkembang," harap Sekda. (MB-01). Sumber: ...")
            # is there, not only what had been written when the file first appeared.
            assert "harap Sekda" in slow_result["sentences"][-1]["source"]
            assert slow_result["metadata"].get("source_url", "").startswith("https://maluku")

            (drop / "rusak.txt").write_bytes(b"\x00\x01\x02 bukan teks \xff\xfe" * 50)
            (drop / "lagi.txt").write_text(texts[4], "utf-8")
            _wait(lambda: (out / "lagi.json").exists(), process, log, "a file after a bad one")
            _wait(lambda: "rusak.txt" in log.read_text(), process, log, "the bad file's error")

            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=60) == ExitCode.INTERRUPTED
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()

    stderr_text = log.read_text()
    errors = [line for line in stderr_text.splitlines() if line.startswith("ringkas: error:")]
    assert len(errors) == 1 and "rusak.txt" in errors[0] and "binary" in errors[0]
    assert "Traceback" not in stderr_text
    data = json.loads(report.read_text())
    assert data["interrupted"] is True and data["exit_code"] == ExitCode.INTERRUPTED
    statuses = {Path(item["source"]).name: item["status"] for item in data["items"]}
    assert statuses == {
        "sudah.txt": "skipped",
        "awal.txt": "done",
        "baru.txt": "done",
        "pelan.txt": "done",
        "rusak.txt": "failed",
        "lagi.txt": "done",
    }
    state = [json.loads(line) for line in (out / ".ringkas-state.jsonl").read_text().splitlines()]
    assert {entry["output"] for entry in state} == {
        "sudah.json",  # by the batch job before: the same state
        "awal.json",
        "baru.json",
        "pelan.json",
        "lagi.json",
    }
    assert not list(out.glob(".*.tmp"))


def test_watch_usage_errors(tiny: TinyModels, tmp_path: Path) -> None:
    models = ["-t", str(tiny.marian), "-s", str(tiny.t5)]
    runner = CliRunner()
    result = runner.invoke(cli, ["watch", str(tmp_path), *models])
    assert result.exit_code == ExitCode.USAGE and "give --output-dir" in result.stderr
    result = runner.invoke(cli, ["watch", str(tmp_path / "tidak-ada"), *models, "-O", "x"])
    assert result.exit_code == ExitCode.USAGE and "is not a folder" in result.stderr
    inside = tmp_path / "ringkasan"
    result = runner.invoke(cli, ["watch", str(tmp_path), *models, "-O", str(inside)])
    assert result.exit_code == ExitCode.USAGE and "inside the input folder" in result.stderr
    # A report on the config file would replace the user's settings: refused, file kept.
    config = tmp_path.parent / f"{tmp_path.name}-config.toml"
    config.write_text('length = "short"\n', encoding="utf-8")
    out = tmp_path.parent / f"{tmp_path.name}-out"
    args = ["--config", str(config), "--report", str(config), "-O", str(out)]
    result = runner.invoke(cli, ["watch", str(tmp_path), *models, *args])
    assert result.exit_code == ExitCode.USAGE and "the config file" in result.stderr
    assert config.read_text(encoding="utf-8") == 'length = "short"\n' and not out.exists()
