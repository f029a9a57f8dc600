"""Resolving and downloading Hub models (ringkas.models.download/revisions), in process,
against the Hub stand-in with the real client."""

from __future__ import annotations

import io
import json
import pickle
import shutil
import threading
from collections import namedtuple
from pathlib import Path

import pytest

from hub_repos import SUMMARIZER, TRANSLATOR
from hub_server import HubServer
from ringkas.errors import ModelUnavailableError
from ringkas.models import download
from ringkas.models.registry import pinned_revision

WANTED_OPUS = {
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "source.spm",
    "target.spm",
    "tokenizer_config.json",
    "vocab.json",
}


def _fetch(name: str, **options):
    options.setdefault("offline", False)
    revision = options.pop("revision", pinned_revision(name))
    pinned = options.pop("pinned", revision is not None and revision == pinned_revision(name))
    return download.fetch(name, revision, pinned=pinned, **options)


def _served(hub: HubServer, name: str, revision: str, path: str) -> bytes:
    commit = hub.repo(name).resolve(revision)
    assert commit is not None
    return hub.repo(name).commits[commit].files[path]


def _cache_files() -> list[Path]:
    root = download.downloads_root()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_pinned_revision_is_downloaded_with_only_the_files_a_model_needs(hub: HubServer) -> None:
    said: list[str] = []
    got = _fetch(TRANSLATOR, report=said.append)
    assert got.info["revision"] == "refs/pr/1"
    assert got.info["commit"] == hub.repo(TRANSLATOR).resolve("refs/pr/1")
    assert set(got.info["files"]) == WANTED_OPUS
    for name in WANTED_OPUS:
        assert (got.folder / name).read_bytes() == _served(hub, TRANSLATOR, "refs/pr/1", name)
    for never in ("pytorch_model.bin", "tf_model.h5", "README.md", ".gitattributes"):
        assert not [r for r in hub.requests if never in r.path]
    assert any("refs/pr/1" in line and "downloading" in line for line in said)
    # Known now: found again without a single request, online or offline.
    before = len(hub.requests)
    assert _fetch(TRANSLATOR).folder == got.folder
    assert _fetch(TRANSLATOR, offline=True).folder == got.folder
    assert len(hub.requests) == before


def test_a_missing_pinned_ref_falls_to_the_newest_pull_request_with_safetensors(
    hub: HubServer,
) -> None:
    hub.faults.hide_revision(SUMMARIZER, "refs/pr/13")
    said: list[str] = []
    got = _fetch(SUMMARIZER, report=said.append)
    assert got.info["revision"] == "refs/pr/18"
    assert "refs/pr/13 does not exist" in got.info["reason"]
    assert "main has no safetensors" in got.info["reason"]
    assert any(line.startswith(f"{SUMMARIZER}: using refs/pr/18") for line in said)
    # The newer card-only pull requests were looked at and passed over; none was downloaded.
    assert (got.folder / "model.safetensors").is_file()
    assert not (got.folder / "README.md").exists()


def test_main_is_taken_when_the_pin_is_gone_and_main_has_safetensors(hub: HubServer) -> None:
    repo = hub.repo(SUMMARIZER)
    merged = _served(hub, SUMMARIZER, "refs/pr/13", "model.safetensors")
    repo.commit("main", "Merge safetensors", add={"model.safetensors": merged})
    repo.delete_ref("refs/pr/13")
    got = _fetch(SUMMARIZER)
    assert got.info["revision"] == "main"
    assert got.info["reason"] == "refs/pr/13 does not exist; main has them"


def test_without_safetensors_anywhere_the_pickle_is_converted_once_safely(
    hub: HubServer, hub_models: dict[str, Path]
) -> None:
    from safetensors.torch import load_file

    repo = hub.repo(SUMMARIZER)
    for number in (13, 18):
        repo.commit(f"refs/pr/{number}", "Revert", remove=["model.safetensors"])
    said: list[str] = []
    got = _fetch(SUMMARIZER, report=said.append)
    assert got.info["revision"] == "refs/pr/13"  # the pin exists: its pickle is used
    assert got.info["weights"].startswith("safetensors, converted from pytorch_model.bin")
    assert "no pull request has them" in got.info["reason"]
    assert any("safe loader" in line for line in said)
    assert not list(got.folder.glob("*.bin"))
    converted = load_file(got.folder / "model.safetensors")
    original = load_file(hub_models[SUMMARIZER] / "model.safetensors")
    for name, tensor in original.items():
        assert converted[name].equal(tensor), name
    # Tied embeddings are kept under each of their names.
    assert converted["model.encoder.embed_tokens.weight"].equal(converted["model.shared.weight"])


def test_safetensors_only_refuses_the_pickle_and_writes_nothing(hub: HubServer) -> None:
    repo = hub.repo(TRANSLATOR)
    for number in (1, 2):
        repo.delete_ref(f"refs/pr/{number}")
    with pytest.raises(ModelUnavailableError) as error:
        _fetch(TRANSLATOR, allow_pickle=False)
    assert "safetensors_only is set" in error.value.one_line()
    assert error.value.exit_code == 3
    assert _cache_files() == []
    assert not [r for r in hub.requests if "pytorch_model.bin" in r.path]


class _Payload:
    """A pickle that runs code when loaded without the safe loader."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "code ran"))


def test_a_pickle_that_holds_code_is_refused_and_never_run(hub: HubServer, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = io.BytesIO()
    pickle.dump({"model.shared.weight": _Payload(marker)}, evil, protocol=2)
    repo = hub.repo(SUMMARIZER)
    repo.commit("main", "Update pytorch_model.bin", add={"pytorch_model.bin": evil.getvalue()})
    for number in (13, 18):
        repo.delete_ref(f"refs/pr/{number}")
    with pytest.raises(ModelUnavailableError) as error:
        _fetch(SUMMARIZER)
    assert "safe loader refused" in error.value.one_line()
    assert not marker.exists()
    assert download.find_download(SUMMARIZER, "refs/pr/13") is None


def test_a_dropped_connection_resumes_where_it_stopped(
    hub: HubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(download, "_RETRY_WAIT", 0.01)
    data = _served(hub, TRANSLATOR, "refs/pr/1", "model.safetensors")
    hub.faults.cut("model.safetensors", at=0.5, times=None)  # the network stays down
    with pytest.raises(ModelUnavailableError) as error:
        _fetch(TRANSLATOR)
    assert "stopped at" in error.value.one_line() and "run the same command again" in (
        error.value.hint or ""
    )
    assert download.find_download(TRANSLATOR, "refs/pr/1") is None  # not taken for a model
    first_run = hub.bytes_sent("model.safetensors")
    assert first_run == len(data) // 2
    hub.faults.clear()
    got = _fetch(TRANSLATOR)
    assert (got.folder / "model.safetensors").read_bytes() == data
    rerun = hub.file_requests("model.safetensors")[-1]
    assert rerun.range == f"bytes={len(data) // 2}-"
    assert rerun.sent == len(data) - len(data) // 2  # less than the whole file
    assert not (got.folder / ".partial").exists()


def test_a_reset_within_a_run_is_resumed_in_the_same_run(hub: HubServer) -> None:
    data = _served(hub, SUMMARIZER, "refs/pr/13", "model.safetensors")
    hub.faults.cut("model.safetensors", at=0.3)
    got = _fetch(SUMMARIZER)
    assert (got.folder / "model.safetensors").read_bytes() == data
    assert hub.bytes_sent("model.safetensors") == len(data)


def test_a_corrupt_file_is_deleted_and_never_taken(hub: HubServer) -> None:
    hub.faults.corrupt("model.safetensors")
    with pytest.raises(ModelUnavailableError, match="corrupt"):
        _fetch(TRANSLATOR)
    assert download.find_download(TRANSLATOR, "refs/pr/1") is None
    assert not [p for p in _cache_files() if "model.safetensors" in p.name]


def test_too_little_disk_space_is_refused_before_anything_is_written(
    hub: HubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9, 10 << 20))
    with pytest.raises(ModelUnavailableError) as error:
        _fetch(TRANSLATOR)
    line = error.value.one_line()
    assert "not enough disk space" in line and "10 MB free" in line
    assert str(download.downloads_root()) in line
    assert not download.cache_root().joinpath("downloads").exists()


def test_two_fetches_at_once_download_once(hub: HubServer) -> None:
    hub.faults.slow("model.safetensors", bytes_per_second=200_000)
    results: list[Path] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(_fetch(TRANSLATOR).folder)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and len(set(results)) == 1 and len(results) == 2
    size = len(_served(hub, TRANSLATOR, "refs/pr/1", "model.safetensors"))
    assert hub.bytes_sent("model.safetensors") == size


def test_errors_are_one_line_with_the_fix(hub: HubServer) -> None:
    hub.faults.hide_repo(TRANSLATOR)
    with pytest.raises(ModelUnavailableError, match="was not found on the Hugging Face Hub"):
        _fetch(TRANSLATOR)
    hub.faults.clear()
    with pytest.raises(ModelUnavailableError, match="has no revision 'refs/pr/99'"):
        _fetch(TRANSLATOR, revision="refs/pr/99", pinned=False)
    hub.faults.fail("api/models", status=500)
    with pytest.raises(ModelUnavailableError) as error:
        _fetch(SUMMARIZER, hint="run `ringkas models pull` while online")
    assert "answered 500" in error.value.one_line()
    assert "\n" not in error.value.one_line()


def test_the_record_says_where_it_came_from(hub: HubServer) -> None:
    got = _fetch(SUMMARIZER)
    record = json.loads((got.folder / download.RECORD).read_text())
    assert record["endpoint"] == hub.url
    assert record["requested"] == "refs/pr/13" and record["revision"] == "refs/pr/13"
    assert set(record["files"]) == {
        "config.json",
        "merges.txt",
        "model.safetensors",
        "tokenizer_config.json",
        "vocab.json",
    }


def test_names_that_look_like_folders_are_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ringkas.models.hub import parse_model_spec

    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    for spec in ("models/marian-typo", "./x", "~/nope", "a/b/c", "C:\\\\models\\\\x", "x y/z"):
        assert parse_model_spec(spec).is_local, spec
    for spec in (TRANSLATOR, f"{SUMMARIZER}@refs/pr/18", "t5-small", "someone/model@main"):
        assert not parse_model_spec(spec).is_local, spec
    pinned = parse_model_spec(SUMMARIZER)
    assert (pinned.revision, pinned.pinned) == ("refs/pr/13", True)
    asked = parse_model_spec(f"{SUMMARIZER}@refs/pr/13")
    assert (asked.revision, asked.pinned) == ("refs/pr/13", False)


def test_pickled_weights_are_read_in_one_place_only() -> None:
    """``torch.load`` appears once in ringkas: in the safe conversion, with weights_only."""
    src = Path(download.__file__).resolve().parents[1]
    callers = [p for p in src.rglob("*.py") if "torch.load(" in p.read_text("utf-8")]
    assert [p.name for p in callers] == ["pickled.py"]
    import re

    calls = re.findall(r"torch\.load\([^)]*\)", callers[0].read_text("utf-8"))
    assert calls and all("weights_only=True" in call for call in calls)
