"""The first run on a new laptop, through the CLI, against the Hub stand-in: `models pull`,
`summarize` with the Hub gone, a first `summarize` that downloads both models, and every
fault of the way (exit code, one line, and the caches afterwards)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import NONET, REPO, SEED, run_ringkas
from hub_repos import SUMMARIZER, TRANSLATOR
from hub_server import HubServer

OPUS_WEIGHTS = "model.safetensors"


def _cache() -> Path:
    return Path(os.environ["RINGKAS_CACHE_DIR"])


def _records() -> list[dict]:
    return [
        json.loads(p.read_text())
        for p in sorted((_cache() / "downloads").glob("*/*/ringkas-download.json"))
    ]


def _converted() -> list[str]:
    store = _cache() / "models"
    if not store.is_dir():
        return []
    return sorted(p.name for p in store.iterdir() if p.is_dir() and not p.name.startswith("."))


def _cache_files() -> list[Path]:
    root = _cache()
    return sorted(p for p in root.rglob("*") if p.is_file() and "locks" not in p.parts)


def _error_line(stderr: bytes) -> str:
    """The one error line, checked to be the only thing wrong on stderr (no traceback)."""
    text = stderr.decode()
    assert "Traceback" not in text, text
    errors = [line for line in text.splitlines() if line.startswith("ringkas: error: ")]
    assert len(errors) == 1, text
    return errors[0]


def _served(hub: HubServer, name: str, revision: str, path: str) -> bytes:
    commit = hub.repo(name).resolve(revision)
    assert commit is not None
    return hub.repo(name).commits[commit].files[path]


def _start(*args: str, **env: str) -> subprocess.Popen[bytes]:
    """`python -m ringkas` in the background, with Ctrl-C delivered as in a terminal."""
    full_env = {**os.environ, **env}
    full_env["PYTHONPATH"] = os.pathsep.join([str(NONET), str(REPO / "src")])

    def default_sigint() -> None:  # see NOTES: a background child may inherit SIGINT ignored
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    return subprocess.Popen(
        [sys.executable, "-m", "ringkas", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=full_env,
        preexec_fn=default_sigint,
    )


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline
        time.sleep(0.005)


def _download_again(name: str) -> None:
    """The next run's download, in this process (no conversion: that is tested elsewhere)."""
    from ringkas.models.hub import fetch_model, parse_model_spec

    fetch_model(parse_model_spec(name), offline=False)


def _partial_size(name: str) -> int:
    sizes = [p.stat().st_size for p in _cache().glob(f"downloads/*/*/.partial/.{name}.*.part")]
    return max(sizes, default=0)


# -- the whole first run ----------------------------------------------------------------------


def test_pull_then_summarize_with_the_hub_gone(hub: HubServer) -> None:
    pulled = run_ringkas("models", "pull")
    assert pulled.returncode == 0, pulled.stderr.decode()
    lines = pulled.stdout.decode().splitlines()
    assert [line.split("\t")[0] for line in lines] == [TRANSLATOR, SUMMARIZER]  # stdout: results
    stderr = pulled.stderr.decode()
    assert f"downloading {TRANSLATOR} at refs/pr/1" in stderr
    assert f"downloading {SUMMARIZER} at refs/pr/13" in stderr
    assert f"{OPUS_WEIGHTS}: " in stderr  # a progress line per file
    for never in ("pytorch_model.bin", "tf_model.h5", "flax_model.msgpack", "rust_model.ot"):
        assert not [r for r in hub.requests if never in r.path], never
    assert {r["revision"] for r in _records()} == {"refs/pr/1", "refs/pr/13"}

    hub.stop()  # the Hub is gone: connections are refused
    result = run_ringkas("summarize", str(SEED), "--format", "json", "--threads", "1")
    assert result.returncode == 0, result.stderr.decode()
    summary = json.loads(result.stdout)
    assert summary["models"] == {"translator": TRANSLATOR, "summarizer": SUMMARIZER}
    assert "downloading" not in result.stderr.decode()

    listed = [
        json.loads(line) for line in run_ringkas("models", "list", "--json").stdout.splitlines()
    ]
    by_name = {row["name"]: row for row in listed}
    assert by_name[TRANSLATOR]["revision"] == "refs/pr/1" and by_name[TRANSLATOR]["cached"]
    assert by_name[SUMMARIZER]["commit"] == hub.repo(SUMMARIZER).resolve("refs/pr/13")


def test_a_first_summarize_downloads_both_models_itself(hub: HubServer) -> None:
    result = run_ringkas("summarize", str(SEED), "--threads", "1", "--format", "text")
    assert result.returncode == 0, result.stderr.decode()
    stderr = result.stderr.decode()
    assert f"downloading {TRANSLATOR}" in stderr and f"downloading {SUMMARIZER}" in stderr
    assert "converting" in stderr
    assert "downloading" not in result.stdout.decode()  # nothing but the summary on stdout
    assert result.stdout.strip()
    assert len(_converted()) == 2 and len(_records()) == 2


# -- revisions --------------------------------------------------------------------------------


def test_a_vanished_pin_is_replaced_told_and_recorded(hub: HubServer) -> None:
    hub.repo(SUMMARIZER).delete_ref("refs/pr/13")
    result = run_ringkas("models", "pull", SUMMARIZER)
    assert result.returncode == 0, result.stderr.decode()
    assert f"{SUMMARIZER}: using refs/pr/18 (refs/pr/13 does not exist" in result.stderr.decode()
    listed = [
        json.loads(line) for line in run_ringkas("models", "list", "--json").stdout.splitlines()
    ]
    row = next(r for r in listed if r["name"] == SUMMARIZER)
    assert (row["revision"], row["pinned"]) == ("refs/pr/18", "refs/pr/13")


def test_no_safetensors_anywhere_and_safetensors_only_is_refused(hub: HubServer) -> None:
    repo = hub.repo(TRANSLATOR)
    for number in (1, 2):
        repo.delete_ref(f"refs/pr/{number}")
    refused = run_ringkas("models", "pull", TRANSLATOR, env={"RINGKAS_SAFETENSORS_ONLY": "1"})
    assert refused.returncode == 3
    line = _error_line(refused.stderr)
    assert "has no safetensors weights" in line and "safetensors_only is set" in line
    assert _cache_files() == []

    # Allowed, the pickle is converted once (ringkas.models.pickled; see test_model_download).


def test_an_explicit_revision_that_does_not_exist(hub: HubServer) -> None:
    result = run_ringkas("models", "pull", f"{SUMMARIZER}@refs/pr/99")
    assert result.returncode == 3
    assert "has no revision 'refs/pr/99'" in _error_line(result.stderr)
    assert _cache_files() == []


# -- faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (lambda hub: hub.faults.fail("api/models", status=500), "answered 500"),
        (lambda hub: hub.faults.hide_repo(TRANSLATOR), "was not found on the Hugging Face Hub"),
        (lambda hub: hub.faults.fail(OPUS_WEIGHTS, status=500), "answered 500"),
        (lambda hub: hub.faults.corrupt(OPUS_WEIGHTS), "is corrupt"),
    ],
    ids=["api-500", "repo-404", "file-500", "corrupt"],
)
def test_hub_faults_are_one_line_and_leave_no_model(
    hub: HubServer, fault: Callable[[HubServer], None], message: str
) -> None:
    fault(hub)
    result = run_ringkas("models", "pull", TRANSLATOR)
    assert result.returncode == 3
    assert message in _error_line(result.stderr)
    assert result.stdout == b""
    assert _records() == [] and _converted() == []
    assert not [p for p in _cache_files() if p.name == OPUS_WEIGHTS]


def test_the_hub_unreachable_on_a_first_run(hub: HubServer) -> None:
    hub.stop()
    result = run_ringkas("summarize", str(SEED))
    assert result.returncode == 3
    line = _error_line(result.stderr)
    assert "could not be reached" in line and "ringkas models pull" in line
    assert _cache_files() == []


def test_a_dropped_connection_resumes_on_the_next_run(hub: HubServer) -> None:
    data = _served(hub, TRANSLATOR, "refs/pr/1", OPUS_WEIGHTS)
    hub.faults.cut(OPUS_WEIGHTS, at=0.5, times=None)
    first = run_ringkas("models", "pull", TRANSLATOR)
    assert first.returncode == 3
    line = _error_line(first.stderr)
    assert "stopped at" in line and "run the same command again" in line
    assert _records() == [] and _converted() == []
    assert _partial_size(OPUS_WEIGHTS) == len(data) // 2

    hub.faults.clear()
    before = len(hub.requests)
    _download_again(TRANSLATOR)
    [rerun] = [r for r in hub.requests[before:] if r.file == OPUS_WEIGHTS and r.method == "GET"]
    assert rerun.range == f"bytes={len(data) // 2}-"
    assert rerun.sent == len(data) - len(data) // 2 < len(data)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_an_interrupted_download_resumes_on_the_next_run(hub: HubServer, how: int) -> None:
    data = _served(hub, TRANSLATOR, "refs/pr/1", OPUS_WEIGHTS)
    hub.faults.slow(OPUS_WEIGHTS, bytes_per_second=len(data) / 4)
    process = _start("models", "pull", TRANSLATOR)
    _wait_for(lambda: _partial_size(OPUS_WEIGHTS) > len(data) // 8, process)
    process.send_signal(how)
    _, stderr = process.communicate(timeout=60)
    if how == signal.SIGINT:
        assert process.returncode == 130
        assert _error_line(stderr) == "ringkas: error: interrupted"
    else:
        assert process.returncode == -signal.SIGKILL
    kept = _partial_size(OPUS_WEIGHTS)
    assert 0 < kept < len(data)
    assert _records() == [] and _converted() == []

    hub.faults.clear()
    before = len(hub.requests)
    _download_again(TRANSLATOR)
    rerun = [r for r in hub.requests[before:] if r.file == OPUS_WEIGHTS and r.method == "GET"]
    assert sum(r.sent for r in rerun) == len(data) - kept < len(data)
    assert rerun[0].range == f"bytes={kept}-"


def test_a_killed_conversion_leaves_nothing_half_made(hub: HubServer) -> None:
    store_root = _cache() / "models"
    process = _start("models", "pull", TRANSLATOR)
    _wait_for(lambda: store_root.is_dir() and any(store_root.glob(".convert-*")), process)
    process.kill()
    process.communicate(timeout=60)
    assert _converted() == []  # nothing that passes for a model
    listed = [
        json.loads(line) for line in run_ringkas("models", "list", "--json").stdout.splitlines()
    ]
    assert not next(r for r in listed if r["name"] == TRANSLATOR)["cached"]

    from ringkas.models import store
    from ringkas.models.hub import parse_model_spec

    store.ensure(parse_model_spec(TRANSLATOR))  # the next run, in this process
    assert len(_converted()) == 1
    assert not list(store_root.glob(".convert-*"))  # the leftovers are gone


def test_too_little_disk_space_is_one_line_and_changes_nothing(hub: HubServer) -> None:
    result = run_ringkas("models", "pull", env={"RINGKAS_TEST_FREE_BYTES": "20000000"})
    assert result.returncode == 3
    line = _error_line(result.stderr)
    assert "not enough disk space to download" in line
    assert str(_cache() / "downloads") in line and "20 MB free" in line
    assert not _cache().exists() or _cache_files() == []
    assert not [r for r in hub.requests if r.file]  # not a byte was fetched


def test_too_little_disk_space_to_convert(hub: HubServer) -> None:
    _download_again(TRANSLATOR)  # downloaded, not converted
    downloads = _cache_files()
    result = run_ringkas("models", "pull", TRANSLATOR, env={"RINGKAS_TEST_FREE_BYTES": "1000"})
    assert result.returncode == 3
    line = _error_line(result.stderr)
    assert f"not enough disk space to convert {TRANSLATOR}" in line
    assert str(_cache() / "models") in line
    assert _converted() == [] and _cache_files() == downloads


def test_two_pulls_at_once_both_succeed_with_one_copy(hub: HubServer) -> None:
    data = _served(hub, TRANSLATOR, "refs/pr/1", OPUS_WEIGHTS)
    hub.faults.slow(OPUS_WEIGHTS, bytes_per_second=len(data) / 2)
    processes = [_start("models", "pull", TRANSLATOR) for _ in range(2)]
    outputs = [process.communicate(timeout=300) for process in processes]
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr.decode()
    assert outputs[0][0] == outputs[1][0]  # the same converted folder
    assert any(b"waiting for another ringkas process" in err for _, err in outputs)
    assert hub.bytes_sent(OPUS_WEIGHTS) == len(data)  # downloaded once
    assert len(_converted()) == 1 and len(_records()) == 1


def test_a_missing_folder_is_never_a_hub_lookup(hub: HubServer, tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    for spec in ("models/marian-typo", "./x"):
        result = subprocess.run(
            [sys.executable, "-m", "ringkas", "translate", "-", "-t", spec],
            input=b"Rapat berlangsung dua hari.",
            capture_output=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(NONET), str(REPO / "src")])},
            timeout=300,
        )
        assert result.returncode == 3
        assert f"model folder '{spec}' does not exist" in _error_line(result.stderr)
    assert hub.requests == []


def test_a_terminal_shows_a_bar_per_file_with_bytes_speed_and_time_left(hub: HubServer) -> None:
    import pty
    import threading

    data = _served(hub, TRANSLATOR, "refs/pr/1", OPUS_WEIGHTS)
    hub.faults.slow(OPUS_WEIGHTS, bytes_per_second=len(data) / 2)
    master, slave = pty.openpty()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(NONET), str(REPO / "src")]),
        "COLUMNS": "120",
        "TERM": "xterm",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "ringkas", "models", "pull", TRANSLATOR],
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    screen = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            screen.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    stdout, _ = process.communicate(timeout=600)
    reader.join(timeout=30)
    os.close(master)
    assert process.returncode == 0, screen.decode(errors="replace")
    text = screen.decode(errors="replace")
    assert OPUS_WEIGHTS in text
    assert re.search(r"\d+(\.\d+)?/\d+(\.\d+)? [kM]B", text), text  # bytes done of total
    assert re.search(r"\d+(\.\d+)? [kM]B/s", text), text  # speed
    assert re.search(r"\d:\d\d:\d\d", text), text  # time left
    assert stdout.decode().startswith(TRANSLATOR + "\t")  # stdout: the result only
