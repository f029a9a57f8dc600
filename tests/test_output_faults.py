"""Faults while results are written: each costs one input, never the batch, never debris.

A full disk is a small tmpfs mounted in a private mount namespace (tests/namespaces.py).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED, TinyModels
from namespaces import in_namespace, needs_mounts, ringkas_env
from ringkas.cli import cli
from ringkas.errors import ExitCode

ARTICLE = SEED.read_text(encoding="utf-8")


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def models(tiny: TinyModels) -> list[str]:
    return ["-t", str(tiny.marian), "-s", str(tiny.t5), "-l", "short"]


def temp_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.tmp"))


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("ringkas: error: ")]


def articles(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"a{i:02}.txt").write_text(ARTICLE.replace("Maluku", f"Maluku {i}"), "utf-8")
    return folder


# -- a full disk -------------------------------------------------------------------------


@needs_mounts
def test_a_full_disk_fails_the_inputs_it_hits_and_leaves_no_temp_file(
    tiny: TinyModels, tmp_path: Path
) -> None:
    folder = articles(tmp_path / "in", 4)
    disk = tmp_path / "disk"
    disk.mkdir()
    report = tmp_path / "report.json"
    # 64 KB, of which all but two pages are taken: the first result and the state file
    # fit, then the disk is full.
    script = (
        f"mount -t tmpfs -o size=64k tmpfs {disk} && "
        f"head -c 57344 /dev/zero > {disk}/isi; "
        f'"$@" summarize {folder} {" ".join(models(tiny))} -O {disk}/out -f json '
        f"--report {report}; echo exit=$?; "
        f"find {disk}/out -type f -name '*.json' -exec python3 -m json.tool {{}} + > /dev/null "
        f"&& echo whole; find {disk} -name '*.tmp'"
    )
    process = in_namespace(script)
    stdout, stderr = process.stdout.decode(), process.stderr.decode()
    assert "Traceback" not in stderr, stderr
    assert stdout.splitlines()[0] == f"exit={int(ExitCode.INPUT_FAILED)}", stderr
    assert "whole" in stdout.splitlines()  # every result that was written is complete
    assert ".tmp" not in stdout  # and no temporary file is left
    items = json.loads(report.read_text())["items"]
    failed = [item for item in items if item["status"] == "failed"]
    assert failed and all("no space left" in item["error"].lower() for item in failed)
    assert len(error_lines(stderr)) == len(failed)


@needs_mounts
def test_a_full_disk_under_one_output_file(tiny: TinyModels, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (
        f"mount -t tmpfs -o size=16k tmpfs {disk} && "
        f"head -c 16384 /dev/zero > {disk}/isi; "
        f'"$@" summarize {SEED} {SEED} {" ".join(models(tiny))} -o {disk}/hasil.json; '
        f"echo exit=$?; ls -A {disk}"
    )
    process = in_namespace(script)
    stdout, stderr = process.stdout.decode(), process.stderr.decode()
    assert stdout.split() == [f"exit={int(ExitCode.INPUT_FAILED)}", "isi"], stderr
    [line] = error_lines(stderr)
    assert "hasil.json" in line and "no space left" in line.lower()
    assert "Traceback" not in stderr


# -- names the filesystem or UTF-8 cannot take --------------------------------------------


def test_a_name_too_long_for_the_filesystem_costs_only_that_input(
    tiny: TinyModels, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    fits = "y" * 246 + ".txt"  # 250 characters: its .json result (251) fits, temp or not
    too_long = "z" * 251 + ".txt"  # 255: its .json result (256) does not
    for name in (fits, too_long, "pendek.txt"):
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("summarize", str(folder), *models(tiny), "-O", str(out), "-f", "json")
    assert result.exit_code == ExitCode.INPUT_FAILED, result.stderr
    [line] = error_lines(result.stderr)
    assert too_long in line and "too long" in line
    written = sorted(p.name for p in out.iterdir())
    assert written == [".ringkas-state.jsonl", "pendek.json", "y" * 246 + ".json"]
    assert not temp_files(out)


def test_a_file_name_that_is_not_utf8(tiny: TinyModels, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    odd = os.fsdecode(b"berita-\xff.txt")
    (folder / odd).write_text(ARTICLE, encoding="utf-8")
    (folder / "biasa.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("summarize", str(folder), *models(tiny), "-O", str(out), "-f", "json")
    assert result.exit_code == 0, result.stderr
    written = {os.fsencode(p.name) for p in out.iterdir()}
    assert written == {b".ringkas-state.jsonl", b"biasa.json", b"berita-\xff.json"}
    data = json.loads((out / os.fsdecode(b"berita-\xff.json")).read_bytes().decode("utf-8"))
    assert data["summary"] and data["source"].startswith(str(folder))
    report = tmp_path / "report.json"
    rerun = invoke("summarize", str(folder), *models(tiny), "-O", str(out), "-f", "json",
                   "--report", str(report))  # fmt: skip
    assert rerun.exit_code == 0 and "2 skipped" in rerun.stderr, rerun.stderr
    outputs = {Path(i["output"]).name for i in json.loads(report.read_bytes())["items"]}
    assert outputs == {"biasa.json", "berita-\\xff.json"}

    streamed = invoke("summarize", str(folder), *models(tiny), "-f", "jsonl")
    assert streamed.exit_code == 0, streamed.stderr
    assert [bool(json.loads(line)["summary"]) for line in streamed.stdout.splitlines()] == [
        True,
        True,
    ]


# -- a target that turned into a folder while the job ran -------------------------------


def _start_job(tiny: TinyModels, folder: Path, out: Path, *extra: str) -> subprocess.Popen:
    args = [
        sys.executable, "-m", "ringkas", "summarize", str(folder),
        "-t", str(tiny.marian), "-s", str(tiny.t5), "-O", str(out), "-f", "json",
        "--force-output-lengths", "1.0,60", *extra,
    ]  # fmt: skip
    return subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ringkas_env(),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for_outputs(out: Path, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while len(list(out.glob("*.json"))) < count:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "the job produced no output in time"
        time.sleep(0.05)


def test_a_target_that_turned_into_a_folder_costs_only_that_input(
    tiny: TinyModels, tmp_path: Path
) -> None:
    folder = articles(tmp_path / "in", 24)
    out = tmp_path / "out"
    process = _start_job(tiny, folder, out)
    _wait_for_outputs(out, 1, process)
    (out / "a23.json").mkdir()  # the last article is not written yet
    _, stderr_bytes = process.communicate(timeout=300)
    stderr = stderr_bytes.decode()
    assert process.returncode == ExitCode.INPUT_FAILED, stderr
    assert "Traceback" not in stderr
    [line] = error_lines(stderr)
    assert "a23" in line and "folder" in line
    assert len([p for p in out.glob("*.json") if p.is_file()]) == 23
    assert not temp_files(out)


# -- temporary files: removed, and swept after a kill -----------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_next_run_sweeps_temp_files_of_dead_runs_only(tiny: TinyModels, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    dead, alive = _dead_pid(), os.getpid()
    debris = [out / f".ringkas-{dead}-k3j2h1.tmp", out / "sub" / f".ringkas-{dead}-x9.tmp"]
    legacy = out / "sub" / ".a.json.k3j2h1.tmp"  # named the way older versions did
    busy = out / f".ringkas-{alive}-q7.tmp"  # another run, still going
    for path in (*debris, legacy, busy):
        path.write_text('{"schema_version": 1, "summ')
    result = invoke("summarize", str(folder), *models(tiny), "-O", str(out), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert temp_files(out) == [busy.name]
    assert json.loads((out / "sub" / "a.json").read_text())["summary"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_after_sigterm_or_sighup_no_temp_file_survives_the_next_run(
    tiny: TinyModels, tmp_path: Path, signum: int
) -> None:
    folder = articles(tmp_path / "in", 24)
    out = tmp_path / "out"
    process = _start_job(tiny, folder, out)
    _wait_for_outputs(out, 2, process)
    process.send_signal(signum)
    process.communicate(timeout=120)
    for path in out.glob("*.json"):
        assert json.loads(path.read_text())["summary"]  # every visible result is whole
    rerun = _start_job(tiny, folder, out)
    _, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr.decode()
    assert len(list(out.glob("*.json"))) == 24
    assert not temp_files(out)


# -- the resume state survives damage ----------------------------------------------------


def _statuses(report: Path) -> dict[str, str]:
    items = json.loads(report.read_text())["items"]
    return {Path(item["source"]).name: item["status"] for item in items}


def test_a_state_line_cut_inside_a_utf8_character_redoes_that_input(
    tiny: TinyModels, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "berita-é.txt"):
        (folder / name).write_text(ARTICLE.replace("Maluku", name), encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "report.json"
    args = ["summarize", str(folder), *models(tiny), "-O", str(out), "-f", "json"]
    assert invoke(*args).exit_code == 0
    state = out / ".ringkas-state.jsonl"
    # Older versions wrote names as raw UTF-8; cut that line in the middle of the "é".
    lines = [json.loads(line) for line in state.read_text().splitlines()]
    raw = [json.dumps(entry, ensure_ascii=False).encode() + b"\n" for entry in lines]
    [damaged] = [line for line in raw if "é".encode() in line]
    cut = damaged[: damaged.index("é".encode()) + 1]  # half of the two bytes of "é"
    state.write_bytes(b"".join(line for line in raw if line != damaged) + cut)

    again = invoke(*args, "--report", str(report))
    assert again.exit_code == 0, again.stderr
    assert _statuses(report) == {"a.txt": "skipped", "berita-é.txt": "done"}
    third = invoke(*args, "--report", str(report))  # the new line did not join the cut one
    assert third.exit_code == 0, third.stderr
    assert _statuses(report) == {"a.txt": "skipped", "berita-é.txt": "skipped"}


def test_garbage_in_the_state_redoes_everything_without_a_traceback(
    tiny: TinyModels, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".ringkas-state.jsonl").write_bytes(
        b'\x00\xff{"output": 5}\n[1, 2]\n{"output": "maluku-kumkm.json", "input_sha256": []}\n'
        + b"x" * 100_000
    )
    result = invoke("summarize", str(SEED), *models(tiny), "-O", str(out), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads((out / "maluku-kumkm.json").read_text())["summary"]


@pytest.mark.parametrize("kind", ["folder", "fifo", "huge"])
def test_a_state_path_that_is_no_state_is_refused_in_one_line(
    tiny: TinyModels, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    state = out / ".ringkas-state.jsonl"
    if kind == "folder":
        state.mkdir()
    elif kind == "fifo":
        os.mkfifo(state)  # reading it would wait for a writer forever
    else:
        with state.open("wb") as handle:
            handle.truncate(1 << 30)  # 1 GiB, sparse: far more than any job writes
    args = [sys.executable, "-m", "ringkas", "summarize", str(SEED), *models(tiny)]
    try:
        result = subprocess.run(
            [*args, "-O", str(out), "-f", "json"],
            capture_output=True,
            env=ringkas_env(),
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"ringkas still waits on a state file that is a {kind}")
    stderr = result.stderr.decode()
    assert result.returncode == ExitCode.USAGE, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("ringkas: error: "), stderr
    assert ".ringkas-state.jsonl" in lines[0]
    assert sorted(p.name for p in out.iterdir()) == [".ringkas-state.jsonl"]
