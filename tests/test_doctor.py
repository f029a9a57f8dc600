"""`ringkas doctor`: what a newsroom's IT person runs to see whether ringkas is ready."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TinyModels
from hub_repos import SUMMARIZER, TRANSLATOR
from hub_server import HubServer
from ringkas.cli import cli
from ringkas.errors import ExitCode
from ringkas.models import store
from ringkas.models.hub import fetch_model, parse_model_spec


def doctor(*args: str):
    return CliRunner().invoke(cli, ["doctor", *args])


def test_doctor_on_a_new_machine_names_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RINGKAS_CACHE_DIR", str(tmp_path / "cache"))
    result = doctor()
    assert result.exit_code == ExitCode.MODEL_UNAVAILABLE
    out = result.stdout
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert f"{TRANSLATOR}: not downloaded (run `ringkas models pull`" in lines["translator"]
    assert "ready" in out and "no: 2 model(s) not ready" in out
    assert "not checked (offline mode is on)" in out
    for heading in ("packages", "cpu", "cuda", "converted models", "downloads", "config"):
        assert any(line.startswith(heading) for line in out.splitlines()), heading
    assert "ctranslate2 " in out and "transformers " in out and "torch " in out

    report = json.loads(doctor("--json").stdout)
    assert report["ready"] is False
    assert [m["problem"] for m in report["models"]] == ["not downloaded", "not downloaded"]
    assert report["hub"] == {
        "endpoint": "https://huggingface.co",
        "checked": False,
        "reachable": None,
        "detail": "offline mode is on",
    }
    assert report["config"]["settings"]["engine"] == {"value": "ctranslate2", "from": "default"}
    assert report["cpu"]["threads"] == 1  # RINGKAS_THREADS=1 in the tests
    assert report["cpu"]["compute_types"]
    assert {c["name"] for c in report["caches"]} >= {"converted models", "downloads"}


def test_doctor_tells_each_model_its_thread_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RINGKAS_THREADS", "4")
    result = doctor("--json")
    cpu = json.loads(result.stdout)["cpu"]
    # The translator's batches on two workers side by side, the summarizer's on one.
    assert (cpu["threads"], cpu["workers"], cpu["threads_per_worker"]) == (4, 2, 2)
    assert cpu["summarizer_threads"] == 4
    assert "(translator 2 workers x 2; summarizer 1 x 4 for one article" in doctor().stdout


def test_doctor_after_a_pull_is_ready_and_generates(hub: HubServer) -> None:
    for name in (TRANSLATOR, SUMMARIZER):
        store.ensure(parse_model_spec(name), offline=False)
    result = doctor("--deep")
    assert result.exit_code == 0, result.output
    assert f"{hub.url}: reachable" in result.stdout
    report = json.loads(doctor("--json", "--deep").stdout)
    assert report["ready"] is True and report["hub"]["reachable"] is True
    translator, summarizer = report["models"]
    assert translator["revision"] == "refs/pr/1" and summarizer["revision"] == "refs/pr/13"
    assert all(m["converted"] and m["loads"] and m["generates"] for m in report["models"])
    caches = {c["name"]: c for c in report["caches"]}
    assert caches["downloads"]["bytes"] > 0 and caches["converted models"]["bytes"] > 0


def test_doctor_with_the_hub_unreachable(hub: HubServer) -> None:
    fetch_model(parse_model_spec(TRANSLATOR), offline=False)  # downloaded, not converted
    hub.stop()
    report = json.loads(doctor("--json").stdout)
    assert report["hub"]["checked"] and report["hub"]["reachable"] is False
    translator = report["models"][0]
    assert translator["downloaded"] and not translator["converted"]
    assert translator["fix"] == "run `ringkas models pull`"


def test_doctor_finds_a_broken_conversion(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RINGKAS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RINGKAS_TRANSLATOR", str(tiny.marian))
    monkeypatch.setenv("RINGKAS_SUMMARIZER", str(tiny.bart))
    for folder in (tiny.marian, tiny.bart):
        store.ensure(parse_model_spec(str(folder)))
    assert doctor().exit_code == 0
    stored = store.find(parse_model_spec(str(tiny.bart)))
    assert stored is not None
    (stored.path / "model.bin").write_bytes(b"not a model")
    result = doctor("--json")
    assert result.exit_code == ExitCode.MODEL_UNAVAILABLE
    translator, summarizer = json.loads(result.stdout)["models"]
    assert translator["loads"] and summarizer["loads"] is False
    assert summarizer["problem"].startswith("does not load")
    assert "ringkas models rm" in summarizer["fix"]
    assert json.loads(result.stdout)["config"]["settings"]["translator"]["from"] == (
        "env RINGKAS_TRANSLATOR"
    )


def test_doctor_refuses_a_bad_config_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('engine = "warp"\n')
    result = doctor("--config", str(config))
    assert result.exit_code == ExitCode.USAGE
    assert "engine must be one of" in result.stderr


@pytest.mark.parametrize("where", ["a-file", "a-file/below"], ids=["file", "under-a-file"])
def test_a_cache_that_cannot_be_a_folder_is_one_line_everywhere(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """RINGKAS_CACHE_DIR set to a file (a slip in a shell profile): summarize says so once,
    naming the cache and the setting (exit 3, no traceback, no 'internal error'), and
    doctor says it is not ready and why."""
    (tmp_path / "a-file").write_text("bukan folder\n", encoding="utf-8")
    cache = tmp_path / where
    monkeypatch.setenv("RINGKAS_CACHE_DIR", str(cache))
    article = tmp_path / "a.txt"
    article.write_text("Gubernur Maluku membuka rapat di Ambon.\n", encoding="utf-8")
    models = ["-t", str(tiny.marian), "-s", str(tiny.bart)]
    result = CliRunner().invoke(cli, ["summarize", str(article), *models])
    assert result.exit_code == ExitCode.MODEL_UNAVAILABLE, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"ringkas: error: the model cache {cache} (RINGKAS_CACHE_DIR)")
    assert "set RINGKAS_CACHE_DIR to a folder you can write" in lines[0]
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "bukan folder\n"

    checked = doctor()
    assert checked.exit_code == ExitCode.MODEL_UNAVAILABLE
    out = {line.split("  ")[0]: line for line in checked.stdout.splitlines()}
    assert f"cannot be used: {tmp_path / 'a-file'} is a file, not a folder" in out["downloads"]
    assert "no: the model cache cannot be used" in out["ready"]
    report = json.loads(doctor("--json").stdout)
    assert report["ready"] is False
    caches = {c["name"]: c for c in report["caches"]}
    assert caches["converted models"]["problem"] and caches["config folder"]["problem"] is None
