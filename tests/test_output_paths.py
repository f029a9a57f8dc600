"""Where outputs may go: never onto an input, never through a link, checked before any work.

Every refusal here is one ``ringkas: error:`` line, exit 2, before a model is loaded, and
leaves every file as it was.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED, TinyModels, run_ringkas
from namespaces import in_namespace, needs_mounts
from ringkas.cli import cli
from ringkas.errors import ExitCode

ARTICLE = SEED.read_text(encoding="utf-8")


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def models(tiny: TinyModels) -> list[str]:
    return ["-t", str(tiny.marian), "-s", str(tiny.t5), "-l", "short"]


def error_line(result) -> str:
    """The one line a refusal prints: no traceback, no usage block, nothing else."""
    stderr = result.stderr if isinstance(result.stderr, str) else result.stderr.decode()
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("ringkas: error: "), stderr
    return lines[0]


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file, folder and link under ``root`` with its content or target."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_dir():
            found[key] = "dir"
        else:
            found[key] = path.read_bytes()
    return found


def articles(folder: Path, *names: str) -> Path:
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(ARTICLE.replace("Maluku", f"Maluku {name}"), encoding="utf-8")
    return folder


# -- an output is never an input --------------------------------------------------------


@pytest.mark.parametrize("flag", ["-o", "--report"])
@pytest.mark.parametrize("found", ["in a folder", "by name", "in --files-from"])
def test_an_output_file_is_never_an_input(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: str, found: str
) -> None:
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "in", "a.txt", "b.txt")
    Path("list").write_text("in/b.txt\nin/a.txt\n")
    inputs = {"in a folder": ["in"], "by name": ["in/b.txt", "in/a.txt"]}.get(
        found, ["--files-from", "list"]
    )
    before = snapshot(tmp_path)
    result = invoke("summarize", *inputs, *models(tiny), flag, "in/a.txt", "-f", "json")
    assert result.exit_code == ExitCode.USAGE, result.stderr
    line = error_line(result)
    assert "in/a.txt" in line and "input" in line
    assert snapshot(tmp_path) == before


def test_an_output_file_that_a_rerun_would_read_is_refused_the_first_time(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o in/ringkasan.txt` does not exist yet, but the folder `in` would take it on the
    next run: refused now, so that no rerun ever reads its own output."""
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "in", "a.txt")
    for flag in ("-o", "--report"):
        result = invoke("summarize", "in", *models(tiny), flag, "in/ringkasan.txt")
        assert result.exit_code == ExitCode.USAGE, result.stderr
        assert "in/ringkasan.txt" in error_line(result)
        assert not Path("in/ringkasan.txt").exists()
    # Outside the globs it is no input, now or later: allowed.
    fine = invoke("summarize", "in", *models(tiny), "-o", "in/ringkasan.json")
    assert fine.exit_code == 0, fine.stderr
    again = invoke("summarize", "in", *models(tiny), "-o", "in/ringkasan.json", "-f", "json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(Path("in/ringkasan.json").read_text())["source"] == "in/a.txt"


@pytest.mark.parametrize(
    "args",
    [
        ["-o", "same.json", "--report", "same.json"],
        ["-o", "list", "--files-from", "list"],
        ["--report", "list", "--files-from", "list"],
        ["-O", "out", "--report", "out/.ringkas-state.jsonl"],
    ],
    ids=["output-is-report", "output-is-list", "report-is-list", "report-is-state"],
)
def test_outputs_that_are_each_other_or_the_path_list_are_refused(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "in", "a.txt")
    Path("list").write_text("in/a.txt\n")
    before = snapshot(tmp_path)
    paths = [] if "--files-from" in args else ["in/a.txt"]
    result = invoke("summarize", *paths, *models(tiny), *args)
    assert result.exit_code == ExitCode.USAGE, result.stderr
    error_line(result)
    assert snapshot(tmp_path) == before


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Redaksi</title>
<item><title>Kumkm</title><link>http://127.0.0.1:9/kumkm</link>
<pubDate>Mon, 30 Nov 2026 08:00:00 +0700</pubDate></item></channel></rss>"""


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["-o", "cfg/config.toml"], "the config file"),  # the default one, not named
        (["--config", "mine.toml", "-o", "mine.toml"], "the config file"),
        (["--config", "mine.toml", "--report", "mine.toml"], "the config file"),
        (["--config", "mine.toml", "-o", "link.toml"], "the config file"),  # through a link
        (["--prompt", "brief.toml", "-o", "brief.toml"], "the prompt template"),
        (["--style", "mine", "--report", "cfg/prompts/mine.toml"], "the prompt template"),
        (["--config", "out/a.txt", "-O", "out"], "the config file"),  # a result on it
        (["--feed", "feed.xml", "-o", "feed.xml"], "the --feed file"),
    ],
    ids=[
        "default-config",
        "config",
        "report-config",
        "link-to-config",
        "prompt",
        "user-style",
        "result-on-config",
        "feed-file",
    ],
)
def test_no_output_replaces_a_file_the_job_reads(
    tiny: TinyModels,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    what: str,
) -> None:
    """The config file, a prompt template and a feed file are read before any output is
    written: an output on one of them (a slip of the shell's completion) would replace the
    user's settings with a summary. Refused before any work, one line, nothing changed."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RINGKAS_CONFIG_DIR", str(tmp_path / "cfg"))
    articles(tmp_path / "in", "a.txt")
    settings = 'length = "short"\n'
    for name in ("cfg/config.toml", "mine.toml", "out/a.txt"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(settings, encoding="utf-8")
    os.symlink("mine.toml", "link.toml")
    template = (Path(__file__).parents[1] / "prompts" / "brief.toml").read_text("utf-8")
    Path("brief.toml").write_text(template, encoding="utf-8")
    Path("cfg/prompts").mkdir()
    Path("cfg/prompts/mine.toml").write_text(template, encoding="utf-8")
    Path("feed.xml").write_text(RSS, encoding="utf-8")
    before = snapshot(tmp_path)
    paths = [] if "--feed" in args else ["in/a.txt"]
    result = invoke("summarize", *paths, *models(tiny), *args)
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert what in error_line(result)
    assert snapshot(tmp_path) == before


def test_an_output_beside_the_settings_files_is_written(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check is on the files themselves: an output next to them, in their folder, with
    a name like theirs, is written as usual."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RINGKAS_CONFIG_DIR", str(tmp_path / "cfg"))
    articles(tmp_path / "in", "a.txt")
    Path("cfg").mkdir()
    Path("cfg/config.toml").write_text('length = "short"\n', encoding="utf-8")
    result = invoke(
        "summarize", "in/a.txt", *models(tiny), "-o", "cfg/config.json", "--report", "r.json"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(Path("cfg/config.json").read_text("utf-8"))["source"] == "in/a.txt"
    assert Path("cfg/config.toml").read_text("utf-8") == 'length = "short"\n'


def test_output_folder_inside_a_folder_from_files_from_is_refused(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "in", "a.txt")
    Path("list").write_text("in\n")
    before = snapshot(tmp_path)
    result = invoke("summarize", "--files-from", "list", *models(tiny), "-O", "in/out")
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert "inside the input folder" in error_line(result)
    assert snapshot(tmp_path) == before


def test_a_link_to_the_output_folder_inside_an_input_folder(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Followed, the link would make the outputs inputs: refused. Not followed (the
    default: it leads outside the folder), nothing is read through it."""
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "in", "a.txt")
    Path("out").mkdir()
    os.symlink("../out", "in/hasil")
    before = snapshot(tmp_path)
    followed = invoke("summarize", "in", "--follow-links", *models(tiny), "-O", "out")
    assert followed.exit_code == ExitCode.USAGE, followed.stderr
    assert "inside the input folder" in error_line(followed)
    assert snapshot(tmp_path) == before

    plain = invoke("summarize", "in", *models(tiny), "-O", "out", "-f", "json")
    assert plain.exit_code == 0, plain.stderr
    assert sorted(p.name for p in Path("out").iterdir()) == [".ringkas-state.jsonl", "a.json"]
    rerun = invoke("summarize", "in", *models(tiny), "-O", "out", "-f", "json")
    assert rerun.exit_code == 0, rerun.stderr
    assert sorted(p.name for p in Path("out").iterdir()) == [".ringkas-state.jsonl", "a.json"]


def test_a_result_that_would_overwrite_another_input_is_refused(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """g/in/sub/a.txt's result is g/out/sub/a.txt, which is itself an input."""
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "g" / "in", "sub/a.txt")
    articles(tmp_path / "g" / "out", "sub/a.txt")
    before = snapshot(tmp_path)
    result = invoke("summarize", "g/in", "g/out/sub/a.txt", *models(tiny), "-O", "g/out")
    assert result.exit_code == ExitCode.USAGE, result.stderr
    line = error_line(result)
    assert "g/out/sub/a.txt" in line and "overwrite" in line
    assert snapshot(tmp_path) == before


def test_a_result_that_a_rerun_would_read_is_refused(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-O g with the input folder g/in holding in/a.txt: its result g/in/a.txt would be
    inside g/in, and the next run would summarise the summary."""
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "g" / "in", "in/a.txt")
    before = snapshot(tmp_path)
    result = invoke("summarize", "g/in", *models(tiny), "-O", "g", "-f", "text")
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert "g/in/a.txt" in error_line(result)
    assert snapshot(tmp_path) == before


# -- nothing is written through a link in the output folder -----------------------------


@pytest.mark.parametrize(
    "link", ["sub", ".ringkas-state.jsonl", "sub/a.json"], ids=["folder", "state", "result"]
)
def test_links_inside_the_output_folder_are_refused(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link: str
) -> None:
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "in", "sub/a.txt", "b.txt")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.json").write_text("kept\n")
    (elsewhere / "victim").write_text("kept\n")
    Path("out/sub").mkdir(parents=True)
    if link == "sub":
        Path("out/sub").rmdir()
        target = "../elsewhere"
    else:
        target = str(elsewhere / "victim")
    os.symlink(target, Path("out") / link)
    before = snapshot(tmp_path)
    result = invoke("summarize", "in", *models(tiny), "-O", "out", "-f", "json")
    assert result.exit_code == ExitCode.USAGE, result.stderr
    line = error_line(result)
    assert "symbolic link" in line and link.split("/")[0] in line
    assert snapshot(tmp_path) == before


def test_an_existing_folder_where_a_result_goes_is_refused_before_work(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "in", "a.txt", "b.txt")
    Path("out/b.json").mkdir(parents=True)
    before = snapshot(tmp_path)
    result = invoke("summarize", "in", *models(tiny), "-O", "out", "-f", "json")
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert "out/b.json" in error_line(result)
    assert snapshot(tmp_path) == before


# -- where -o, --report and -O can go ---------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["-o", "plain/x.txt"],
        ["--report", "plain/r.json"],
        ["-O", "plain/out"],
        ["-O", "plain"],
        ["-o", "folder"],
        ["--report", "folder"],
    ],
    ids=["output-under-file", "report-under-file", "dir-under-file", "dir-is-file",
         "output-is-folder", "report-is-folder"],
)  # fmt: skip
def test_output_locations_are_checked_before_any_work(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "in", "a.txt")
    Path("plain").write_text("a regular file\n")
    Path("folder").mkdir()
    before = snapshot(tmp_path)
    result = invoke("summarize", "in/a.txt", *models(tiny), *args)
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert args[1].split("/")[0] in error_line(result)
    assert result.stdout == ""  # nothing was summarised
    assert snapshot(tmp_path) == before


def test_output_through_a_link_writes_where_it_points_and_keeps_the_link(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "in", "a.txt")
    Path("real").mkdir()
    os.symlink("real/hasil.json", "hasil.json")
    os.symlink("real/laporan.json", "laporan.json")
    result = invoke("summarize", "in/a.txt", *models(tiny), "-o", "hasil.json",
                    "--report", "laporan.json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert os.readlink("hasil.json") == "real/hasil.json"
    assert os.readlink("laporan.json") == "real/laporan.json"
    assert json.loads(Path("real/hasil.json").read_text())["source"] == "in/a.txt"
    assert json.loads(Path("real/laporan.json").read_text())["counts"]["done"] == 1


def test_output_to_a_link_to_stdout_writes_to_stdout(tiny: TinyModels, tmp_path: Path) -> None:
    """`-o /dev/stdout` (here a link to it, so that a regression cannot replace the real
    one) writes into the stream the process was given, and the link stays."""
    link = tmp_path / "keluar.txt"
    os.symlink("/dev/stdout", link)
    result = run_ringkas("summarize", str(SEED), *models(tiny), "-o", str(link), "-f", "json")
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["summary"]
    assert os.readlink(link) == "/dev/stdout"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keluar.txt"]


def test_a_broken_link_as_output_is_refused(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    articles(tmp_path / "in", "a.txt")
    os.symlink("hilang/hasil.txt", "hasil.txt")
    result = invoke("summarize", "in/a.txt", *models(tiny), "-o", "hasil.txt")
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert "hasil.txt" in error_line(result)
    assert os.readlink("hasil.txt") == "hilang/hasil.txt"


# -- a read-only filesystem (a tmpfs in a private mount namespace) ----------------------


@needs_mounts
@pytest.mark.parametrize("flag", ["-o", "--report", "-O"])
def test_a_read_only_filesystem_is_refused_before_any_work(
    tiny: TinyModels, tmp_path: Path, flag: str
) -> None:
    mount = tmp_path / "ro"
    mount.mkdir()
    target = mount / ("out" if flag == "-O" else "x.json")
    script = (
        f"mount -t tmpfs -o size=64k,ro tmpfs {mount} && "
        f'"$@" summarize {SEED} {" ".join(models(tiny))} {flag} {target}; '
        f"echo exit=$?; ls -A {mount}"
    )
    process = in_namespace(script)
    stdout = process.stdout.decode()
    assert f"exit={int(ExitCode.USAGE)}" in stdout, process.stderr.decode()
    line = error_line(process)
    assert "read-only" in line
    assert stdout.strip() == f"exit={int(ExitCode.USAGE)}"  # no result, no file left
