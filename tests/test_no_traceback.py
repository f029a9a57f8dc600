"""No traceback ever: an unexpected failure is one line, inside an input it is that input's
failure, usage errors are one line, and what is printed about files cannot forge lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import NONET, REPO, SEED, TinyModels
from ringkas.cli import cli
from ringkas.errors import ExitCode

ARTICLE = SEED.read_text(encoding="utf-8")
MARK = "MELEDAK"  # the article that trips the injected fault carries this word
ENGLISH = (
    "The regional secretary opened a coordination meeting on cooperatives in Ambon. "
    "Officials from the ministry and the provincial government attended the two-day "
    f"event on Wednesday. The government supports training and business capital. {MARK}\n"
)


def invoke(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), input=input, env=env)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("ringkas: ")]


def injected(stage: str) -> RuntimeError:
    return RuntimeError(f"injected fault in {stage}")


def _read(monkeypatch: pytest.MonkeyPatch) -> None:
    import ringkas.batch

    original = ringkas.batch.read_item

    def read_item(item: Any, **options: Any) -> Any:
        if item.source.endswith("b.txt"):
            raise injected("read")
        return original(item, **options)

    monkeypatch.setattr(ringkas.batch, "read_item", read_item)


def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    import ringkas.pipeline.document

    original = ringkas.pipeline.document.clean_article

    def clean_article(text: str, *args: Any, **kwargs: Any) -> Any:
        if MARK in text:
            raise injected("clean")
        return original(text, *args, **kwargs)

    monkeypatch.setattr(ringkas.pipeline.document, "clean_article", clean_article)


def _translate(monkeypatch: pytest.MonkeyPatch) -> None:
    from ringkas.models.translator import Translator

    original = Translator.translate

    def translate(self: Translator, sentences: list[str], *args: Any, **kwargs: Any) -> Any:
        if any(MARK in sentence for sentence in sentences):
            raise injected("translate")
        return original(self, sentences, *args, **kwargs)

    monkeypatch.setattr(Translator, "translate", translate)


def _summarize(monkeypatch: pytest.MonkeyPatch) -> None:
    # The marked article is English: it reaches the summarizer as written.
    from ringkas.models.summarizer import Summarizer

    original = Summarizer.summarize_many

    def summarize_many(self: Summarizer, texts: list[list[str]], *args: Any, **kw: Any) -> Any:
        if any(MARK in sentence for text in texts for sentence in text):
            raise injected("summarize")
        return original(self, texts, *args, **kw)

    monkeypatch.setattr(Summarizer, "summarize_many", summarize_many)


def _check(monkeypatch: pytest.MonkeyPatch) -> None:
    import ringkas.pipeline.chain

    original = ringkas.pipeline.chain.check_summary

    def check_summary(summary: str, sources: list[str], *args: Any, **kwargs: Any) -> Any:
        if any(MARK in sentence for sentence in sources):
            raise injected("check")
        return original(summary, sources, *args, **kwargs)

    monkeypatch.setattr(ringkas.pipeline.chain, "check_summary", check_summary)


def _write(monkeypatch: pytest.MonkeyPatch) -> None:
    from ringkas.outputs.files import Folder

    original = Folder.write

    def write(self: Folder, name: str, data: bytes, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("b."):
            raise injected("write")
        return original(self, name, data, *args, **kwargs)

    monkeypatch.setattr(Folder, "write", write)


STAGES: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "read": _read,
    "clean": _clean,
    "translate": _translate,
    "summarize": _summarize,
    "check": _check,
    "write": _write,
}


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_a_fault_inside_one_input_fails_only_that_input(
    stage: str, tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "berita"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    marked = (
        ENGLISH
        if stage == "summarize"
        else f"{ARTICLE}\n\nWarga mendengar suara {MARK} di pasar.\n"
    )
    (folder / "b.txt").write_text(marked, encoding="utf-8")
    (folder / "c.txt").write_text(ARTICLE.replace("Maluku", "Papua"), encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "laporan.json"
    STAGES[stage](monkeypatch)
    result = invoke(
        "summarize", str(folder), "-t", str(tiny.marian), "-s", str(tiny.t5), "-O", str(out),
        "-f", "json", "--report", str(report),
    )  # fmt: skip
    assert result.exit_code == ExitCode.INPUT_FAILED, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    failures = [line for line in lines if line.startswith("ringkas: error: ")]
    assert len(failures) == 1, result.stderr  # (the closing summary lists it again)
    assert f"b.txt: internal error: RuntimeError: injected fault in {stage}" in failures[0]
    assert failures[0].startswith("ringkas: error: ")
    assert sorted(path.name for path in out.glob("*.json")) == ["a.json", "c.json"]
    assert not list(out.glob(".*.tmp"))
    items = {Path(item["source"]).name: item for item in json.loads(report.read_text())["items"]}
    assert {name: item["status"] for name, item in items.items()} == {
        "a.txt": "done",
        "b.txt": "failed",
        "c.txt": "done",
    }
    assert "internal error" in items["b.txt"]["error"]


def _broken_load(monkeypatch: pytest.MonkeyPatch) -> None:
    from ringkas.pipeline import Pipeline

    def load_models(self: Pipeline) -> None:
        raise injected("loading")

    monkeypatch.setattr(Pipeline, "load_models", load_models)


def test_a_fault_outside_any_input_is_one_line_exit_70(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _broken_load(monkeypatch)
    report = tmp_path / "laporan.json"
    args = ["summarize", str(SEED), "-t", str(tiny.marian), "-s", str(tiny.t5)]
    result = invoke(*args, "--report", str(report))
    assert result.exit_code == ExitCode.INTERNAL == 70
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ringkas: internal error: RuntimeError: injected fault in loading")
    assert "--debug" in lines[0] and "RINGKAS_DEBUG=1" in lines[0]
    # --debug (anywhere on the line) or RINGKAS_DEBUG=1: the traceback, same exit code.
    for debug_args, env in ((["--debug"], None), ([], {"RINGKAS_DEBUG": "1"})):
        shown = invoke(*args, *debug_args, env=env)
        assert shown.exit_code == ExitCode.INTERNAL
        assert "Traceback (most recent call last)" in shown.stderr
        assert "injected fault in loading" in shown.stderr
    assert invoke("--debug", *args).exit_code == ExitCode.INTERNAL


def test_internal_error_as_a_real_process() -> None:
    """The console entry point itself: the guard is in main(), not only in the tests'
    runner. A stage fails in a real process and the user sees one line, exit 70."""
    code = (
        "import sys\n"
        "from ringkas.config import resolve as real\n"
        "import ringkas.config\n"
        "def broken(*args, **kwargs):\n"
        "    raise ValueError('injected fault in settings')\n"
        "ringkas.config.resolve = broken\n"
        "from ringkas.cli import main\n"
        "sys.argv = ['ringkas', 'config', 'show']\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(NONET), str(REPO / "src")])}
    process = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert process.returncode == 70, process.stderr
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1, process.stderr
    assert lines[0].startswith("ringkas: internal error: ValueError: injected fault in settings")


@pytest.mark.parametrize(
    "args",
    [
        ["summarize", "x.txt", "--beam", "0"],
        ["summarize", "x.txt", "--length", "huge"],
        ["summarize", "x.txt", "--no-such-option"],
        ["summarize", "x.txt", "--max-size", "lots"],
        ["summarize", "x.txt", "--fast", "--beam", "3"],
        ["summarize"],
        ["summarise", "x.txt"],
        ["check", "only-one.txt"],
        ["models", "path"],
        ["config", "show", "--json", "extra"],
    ],
    ids=lambda args: " ".join(args),
)
def test_usage_errors_are_one_line_exit_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == ExitCode.USAGE, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ringkas: error: ")
    assert "--help" in lines[0]  # where to look, instead of click's usage block
    assert result.stdout == ""


def test_control_characters_in_file_names_are_escaped(tiny: TinyModels, tmp_path: Path) -> None:
    folder = tmp_path / "berita"
    folder.mkdir()
    (folder / "baik.txt").write_text(ARTICLE, encoding="utf-8")
    forged = "a\nringkas: error: palsu\x1b[2J\r.txt"
    (folder / forged).write_bytes(b"")  # empty: reported by name
    undecodable = os.fsdecode(b"b\xff\x07.txt")
    (folder / undecodable).write_bytes(b"")
    result = invoke("translate", str(folder), "-t", str(tiny.marian), "-f", "json")
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr and "\r" not in result.stderr and "\x07" not in result.stderr
    assert "ringkas: error: palsu" not in result.stderr.splitlines()
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("ringkas: error: ")]
    assert len(errors) == 2, result.stderr
    assert any("a\\nringkas: error: palsu\\x1b[2J\\r.txt" in line for line in errors)
    assert any("b\\xff\\x07.txt" in line for line in errors)


def test_zero_inputs_says_so(tiny: TinyModels, tmp_path: Path) -> None:
    folder = tmp_path / "kosong"
    folder.mkdir()
    (folder / "catatan.csv").write_text("a,b\n", encoding="utf-8")
    result = invoke("summarize", str(folder), "-t", str(tiny.marian), "-s", str(tiny.t5))
    assert result.exit_code == ExitCode.INPUT_FAILED
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ringkas: error: no inputs matched")
    assert str(folder) in lines[0] and "*.txt" in lines[0]
    listed = invoke("translate", "--files-from", "-", "-t", str(tiny.marian), input="\n\n")
    assert listed.exit_code == ExitCode.INPUT_FAILED
    assert listed.stderr.strip().startswith("ringkas: error: no inputs matched")
    assert len(listed.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion(shell: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(NONET), str(REPO / "src")])}
    script = subprocess.run(
        [sys.executable, "-m", "ringkas"],
        env={**env, "_RINGKAS_COMPLETE": f"{shell}_source"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert script.returncode == 0, script.stderr
    assert "_RINGKAS_COMPLETE" in script.stdout
    complete = {"COMP_WORDS": "ringkas summ", "COMP_CWORD": "1"}
    if shell == "fish":
        complete = {"COMP_WORDS": "ringkas summ", "COMP_CWORD": "summ"}
    answer = subprocess.run(
        [sys.executable, "-m", "ringkas"],
        env={**env, "_RINGKAS_COMPLETE": f"{shell}_complete", **complete},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert answer.returncode == 0, answer.stderr
    assert "summarize" in answer.stdout


def test_every_exit_code_is_in_readme() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    cells = [row.split("|")[1].strip() for row in section.splitlines() if row.startswith("| ")]
    documented = {int(cell) for cell in cells if cell.isdigit()}
    assert documented == {int(code) for code in ExitCode}
