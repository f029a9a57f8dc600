"""The real CLI over tiny models: formats, stdin, -o, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED, TinyModels, run_ringkas
from ringkas.cli import cli
from ringkas.errors import ExitCode
from ringkas.text import clean_article, split_sentences


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def models(tiny: TinyModels, summarizer: Path | None = None) -> list[str]:
    return ["-t", str(tiny.marian), "-s", str(summarizer or tiny.t5)]


def expected_sentences(text: str) -> list[str]:
    cleaned = clean_article(text).text
    return [s.strip() for line in cleaned.split("\n") for s in split_sentences(line) if s.strip()]


def test_summarize_file_prints_plain_summary_when_piped(tiny: TinyModels) -> None:
    result = invoke("summarize", str(SEED), *models(tiny))
    assert result.exit_code == 0, result.stderr
    summary = result.stdout.strip()
    assert summary
    assert "╭" not in result.stdout  # no rich panel when stdout is not a terminal
    # The same run as JSON gives the same summary text: text output is the summary only.
    as_json = json.loads(invoke("summarize", str(SEED), *models(tiny), "-f", "json").stdout)
    assert as_json["summary"] == summary


def test_summarize_stdin_json_schema(tiny: TinyModels) -> None:
    text = SEED.read_text(encoding="utf-8")
    result = invoke("summarize", "-", *models(tiny), "--format", "json", input=text)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert data["source"] == "-"
    assert data["summary"].strip()
    assert data["translation"].strip()
    assert data["models"] == {"translator": str(tiny.marian), "summarizer": str(tiny.t5)}
    stats = data["stats"]
    for stage in ("source", "translation", "summary"):
        assert stats[stage]["words"] > 0
        assert stats[stage]["tokens"] > 0
    assert stats["source"]["sentences"] == len(data["sentences"])
    assert stats["chunks"] >= 1 and stats["passes"] >= 1
    seconds = stats["seconds"]
    assert set(seconds) >= {"load", "read", "clean", "translate", "summarize", "total"}
    assert 0 <= seconds["read"] <= seconds["total"]  # rounded to milliseconds
    stages = sum(v for k, v in seconds.items() if k != "total")
    assert seconds["total"] == pytest.approx(stages, abs=0.01)
    assert isinstance(data["warnings"], list)
    assert data["settings"]["length"] == "medium"


def test_every_sentence_is_translated_and_paragraphs_survive(tiny: TinyModels) -> None:
    text = SEED.read_text(encoding="utf-8")
    result = invoke("translate", str(SEED), "-t", str(tiny.marian), "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert "summary" not in data
    sentences = data["sentences"]
    assert [s["source"] for s in sentences] == expected_sentences(text)
    assert all(s["translation"].strip() for s in sentences)
    paragraphs = data["translation"].split("\n\n")
    assert len(paragraphs) == data["stats"]["source"]["paragraphs"]
    assert len(paragraphs) == len({s["paragraph"] for s in sentences}) > 1


def test_translate_text_output_keeps_paragraphs(tiny: TinyModels) -> None:
    result = invoke("translate", str(SEED), "-t", str(tiny.marian))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n\n") >= 1


@pytest.mark.parametrize("engine", ["ctranslate2", "torch"])
def test_long_article_is_chunked_not_truncated(tiny: TinyModels, engine: str) -> None:
    # tiny BART accepts 256 tokens. Random weights stop early or late at whim, so the
    # translation's length is pinned (1 token per source token) to make it ~1000 tokens.
    text = SEED.read_text(encoding="utf-8")
    args = ["summarize", "-", *models(tiny, tiny.bart), "-f", "json", "--engine", engine]
    result = invoke(*args, "--force-output-lengths", "1.0,40", input=text)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["stats"]["summary"]["input_tokens"] > 256
    assert data["stats"]["chunks"] > 1
    assert data["stats"]["passes"] >= 2
    assert "chunked" in [w["code"] for w in data["warnings"]]
    assert "summarised in" in result.stderr  # and the user is told
    assert [s["source"] for s in data["sentences"]] == expected_sentences(text)
    assert all(s["translation"].strip() for s in data["sentences"])


def test_sentence_longer_than_translator_limit_is_translated_in_parts(
    tiny: TinyModels,
) -> None:
    clause = "pemerintah daerah memberikan dukungan berupa kegiatan peningkatan kualitas SDM"
    sentence = ", ".join([clause] * 30) + "."
    args = ["translate", "-", "-t", str(tiny.marian), "-f", "json"]
    # Output pinned to one token per source token, so lost parts would show in the count.
    result = invoke(*args, "--force-output-lengths", "1.0,1", input=sentence)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["stats"]["source"]["tokens"] > 256  # the tiny Marian's limit
    assert [w["code"] for w in data["warnings"]] == ["long_sentence"]
    assert len(data["sentences"]) == 1
    assert data["stats"]["translation"]["tokens"] >= data["stats"]["source"]["tokens"] - 2


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("text", lambda out: out.strip() and not out.lstrip().startswith(("#", "{"))),
        ("markdown", lambda out: out.startswith("# Summary: ") and "## Translation" in out),
        ("json", lambda out: json.loads(out)["summary"]),
    ],
)
def test_each_format(tiny: TinyModels, fmt: str, check) -> None:
    result = invoke("summarize", str(SEED), *models(tiny), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert check(result.stdout)


def test_output_file_format_from_suffix(tiny: TinyModels, tmp_path: Path) -> None:
    target = tmp_path / "out" / "summary.json"
    result = invoke("summarize", str(SEED), *models(tiny), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]
    assert [p.name for p in target.parent.iterdir()] == ["summary.json"]  # no temp files left

    markdown = tmp_path / "summary.md"
    assert invoke("summarize", str(SEED), *models(tiny), "-o", str(markdown)).exit_code == 0
    assert markdown.read_text(encoding="utf-8").startswith("# Summary: ")


def test_output_never_overwrites_an_input(tiny: TinyModels, tmp_path: Path) -> None:
    article = tmp_path / "artikel.txt"
    article.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    before = article.read_bytes()
    result = invoke("summarize", str(article), *models(tiny), "-o", str(article))
    assert result.exit_code == ExitCode.USAGE
    assert "also an input" in result.stderr
    assert article.read_bytes() == before


def test_length_option_bounds_the_summary(tiny: TinyModels) -> None:
    def summary_tokens(length: str) -> int:
        out = invoke("summarize", str(SEED), *models(tiny), "-l", length, "-f", "json")
        assert out.exit_code == 0, out.stderr
        return json.loads(out.stdout)["stats"]["summary"]["tokens"]

    short, long = summary_tokens("short"), summary_tokens("long")
    assert short <= 60 < long


def test_several_files_one_bad_the_rest_done(tiny: TinyModels, tmp_path: Path) -> None:
    empty = tmp_path / "kosong.txt"
    empty.write_text("  \n", encoding="utf-8")
    missing = tmp_path / "tidak-ada.txt"
    result = invoke("summarize", str(SEED), str(empty), str(missing), *models(tiny), "-f", "json")
    assert result.exit_code == ExitCode.INPUT_FAILED
    data = json.loads(result.stdout)
    assert [d["source"] for d in data] == [str(SEED)]  # several inputs: always a list
    errors = sorted(
        line for line in result.stderr.splitlines() if line.startswith("ringkas: error")
    )
    assert len(errors) == 2
    assert "kosong.txt: the article is empty" in errors[0]
    assert "tidak-ada.txt: no such file" in errors[1]
    assert "1 done, 2 failed" in result.stderr  # the closing summary


def test_models_load_once_for_many_files(tiny: TinyModels, tmp_path: Path) -> None:
    copies = []
    for i in range(3):
        path = tmp_path / f"a{i}.txt"
        path.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
        copies.append(str(path))
    result = invoke("summarize", *copies, *models(tiny), "-f", "json")
    assert result.exit_code == 0, result.stderr
    loads = [item["stats"]["seconds"]["load"] for item in json.loads(result.stdout)]
    assert loads[0] > 0
    assert loads[1:] == [0, 0]


def test_missing_model_folder_is_one_line_exit_3(tiny: TinyModels, tmp_path: Path) -> None:
    result = invoke("summarize", str(SEED), "-t", str(tmp_path / "nope"), "-s", str(tiny.t5))
    assert result.exit_code == ExitCode.MODEL_UNAVAILABLE
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(tmp_path / "nope") in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_pickle_only_model_is_refused(tiny: TinyModels, tmp_path: Path) -> None:
    folder = tmp_path / "pickled"
    folder.mkdir()
    for item in tiny.marian.iterdir():
        if item.suffix != ".safetensors":
            (folder / item.name).write_bytes(item.read_bytes())
    (folder / "pytorch_model.bin").write_bytes(b"not loaded")
    result = invoke("translate", str(SEED), "-t", str(folder))
    assert result.exit_code == ExitCode.MODEL_UNAVAILABLE
    assert "no safetensors weights" in result.stderr


def test_default_models_missing_offline(tmp_path: Path) -> None:
    result = invoke("summarize", str(SEED))
    assert result.exit_code == ExitCode.MODEL_UNAVAILABLE
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "Helsinki-NLP/opus-mt-id-en" in line
    assert "offline" in line
    assert "local folder" in line


def test_unknown_option_is_usage_error() -> None:
    result = invoke("summarize", str(SEED), "--length", "huge")
    assert result.exit_code == ExitCode.USAGE


# -- as a real process ------------------------------------------------------------------


def test_subprocess_default_models_missing_hub_unreachable() -> None:
    """Without offline mode the Hub is tried (and refused here): still one line, exit 3."""
    process = run_ringkas(
        "summarize", str(SEED), env={"HF_HUB_OFFLINE": "0"}, network_attempt_expected=True
    )
    assert process.returncode == ExitCode.MODEL_UNAVAILABLE
    stderr = process.stderr.decode()
    errors = [line for line in stderr.splitlines() if line.startswith("ringkas: error")]
    assert len(errors) == 1, stderr
    assert "Helsinki-NLP/opus-mt-id-en" in errors[0]
    assert "Traceback" not in stderr


def test_subprocess_pipeline_json(tiny: TinyModels) -> None:
    process = run_ringkas(
        "summarize", "-", *models(tiny), "--format", "json", input=SEED.read_bytes()
    )
    assert process.returncode == 0, process.stderr.decode()
    data = json.loads(process.stdout)
    assert data["summary"]
    assert data["metadata"] is not None


def test_subprocess_shell_pipe(tiny: TinyModels, tmp_path: Path) -> None:
    import shlex
    import subprocess
    import sys

    python = shlex.quote(sys.executable)
    check = "import json, sys; print(bool(json.load(sys.stdin)['summary']))"
    script = (
        f"cat {shlex.quote(str(SEED))} | {python} -m ringkas summarize - "
        f"-t {shlex.quote(str(tiny.marian))} -s {shlex.quote(str(tiny.t5))} --format json | "
        f"{python} -c {shlex.quote(check)}"
    )
    import os

    from conftest import NONET, REPO

    env = {**os.environ, "PYTHONPATH": f"{NONET}{os.pathsep}{REPO / 'src'}"}
    out = subprocess.run(["bash", "-o", "pipefail", "-c", script], capture_output=True, env=env)
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.decode().strip() == "True"


def test_help_and_usage_errors_import_no_torch() -> None:
    import subprocess
    import sys

    from conftest import REPO

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from ringkas.cli import cli\n"
        "runner = CliRunner()\n"
        "for args in (['--help'], ['summarize', '--help'], ['translate', '--help'],\n"
        "             ['summarize'], ['summarize', 'x.txt', '--length', 'huge']):\n"
        "    runner.invoke(cli, args)\n"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": ""},
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        result = invoke(name, "--help")
        assert result.exit_code == 0
        assert command.help and len(command.help.strip()) > 20, name


def test_seed_metadata_and_removed_text_in_json(tiny: TinyModels) -> None:
    result = invoke("translate", str(SEED), "-t", str(tiny.marian), "-f", "json")
    data = json.loads(result.stdout)
    assert data["metadata"]["dateline"] == "Ambon"
    assert data["metadata"]["outlet"] == "malukubersatu.com"
    assert data["metadata"]["codes"] == ["MB-01"]
    assert data["metadata"]["source_url"].startswith("https://malukubersatu.com/")
    kinds = {item["kind"] for item in data["removed"]}
    assert kinds == {"dateline", "editor_code", "source_line"}
    assert not any("Sumber" in s["source"] for s in data["sentences"])


def test_no_clean_keeps_the_article_as_is(tiny: TinyModels) -> None:
    result = invoke("translate", str(SEED), "-t", str(tiny.marian), "-f", "json", "--no-clean")
    data = json.loads(result.stdout)
    assert data["removed"] == []
    assert "dateline" not in data["metadata"] and "codes" not in data["metadata"]
    assert data["sentences"][0]["source"].startswith("AMBON,MALUKUBERSATU.COM")
    assert data["sentences"][-1]["source"].startswith("Sumber :")
    assert data["settings"]["clean"] is False


def test_output_file_gets_normal_permissions(tiny: TinyModels, tmp_path: Path) -> None:
    import os

    target = tmp_path / "summary.txt"
    assert invoke("translate", str(SEED), "-t", str(tiny.marian), "-o", str(target)).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


_LEAVE = """
import atexit, sys, threading, time
from pathlib import Path
from ringkas.cli.boundary import leave
mark = Path(sys.argv[1])
atexit.register(lambda: mark.with_suffix(".atexit").write_text("ran"))
class Model:  # like a loaded model: torn down object by object only in a normal exit
    def __del__(self) -> None:
        mark.with_suffix(".teardown").write_text("torn down")
model = Model()
if sys.argv[2] == "thread":
    def late() -> None:
        time.sleep(0.5)
        mark.with_suffix(".thread").write_text("finished")
    threading.Thread(target=late).start()
sys.stdout.write("buffered, no newline")
sys.stderr.write("half a line")
leave(3)
"""


@pytest.mark.parametrize("other", ["none", "thread"])
def test_the_command_leaves_with_everything_written(tmp_path: Path, other: str) -> None:
    """The console command's quick exit: buffered output and the exit handlers get out, the
    code is kept, objects are not torn down one by one; a thread of ours still running is
    waited for (a normal exit, with the teardown)."""
    import subprocess
    import sys

    mark = tmp_path / "mark"
    done = subprocess.run(
        [sys.executable, "-c", _LEAVE, str(mark), other],
        capture_output=True,
        timeout=60,
        env={"PYTHONPATH": str(Path(__file__).parents[1] / "src")},
    )
    assert done.returncode == 3
    assert done.stdout == b"buffered, no newline"
    assert done.stderr == b"half a line"
    assert mark.with_suffix(".atexit").read_text() == "ran"
    assert mark.with_suffix(".thread").exists() == (other == "thread")
    assert mark.with_suffix(".teardown").exists() == (other == "thread")


def test_a_real_run_leaves_its_files_whole(tiny: TinyModels, tmp_path: Path) -> None:
    """Through the real command (the quick exit included): the JSON file, the report and
    the state are complete and equal the in-process run's."""
    args = ["summarize", str(SEED), "-t", str(tiny.marian), "-s", str(tiny.bart)]
    out = tmp_path / "real.json"
    done = run_ringkas(
        *args, "--format", "json", "-o", str(out), "--report", str(tmp_path / "r.json")
    )
    assert done.returncode == 0, done.stderr.decode()
    inproc = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert inproc.exit_code == 0
    assert json.loads(out.read_text("utf-8"))["summary"] == json.loads(inproc.stdout)["summary"]
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [item["status"] for item in report["items"]] == ["done"]
