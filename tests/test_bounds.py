"""Bounds: every source of a setting (flag, RINGKAS_* variable, config file) gets the same
limits, and endless inputs are refused or cut, never read until memory runs out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NONET, REPO, SEED, TinyModels
from ringkas.errors import ExitCode


def ringkas(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None):
    """A real process (a value that gets through would start thousands of threads: the
    test must survive it), with a bound on time."""
    full = {**os.environ, **(env or {})}
    full["PYTHONPATH"] = os.pathsep.join([str(NONET), str(REPO / "src")])
    with open(stdin or os.devnull, "rb") as source:
        return subprocess.run(
            [sys.executable, "-m", "ringkas", *args],
            stdin=source,
            capture_output=True,
            text=True,
            env=full,
            cwd=cwd,
            timeout=120,
        )


def one_error(process: subprocess.CompletedProcess[str], *words: str) -> None:
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1, process.stderr
    assert lines[0].startswith("ringkas: error: ")
    for word in words:
        assert word in lines[0], process.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("threads", "100000"), ("threads", "5000"), ("beam", "100"), ("threads", "0")],
)
def test_flag_variable_and_config_file_share_bounds(
    name: str, value: str, tiny: TinyModels, tmp_path: Path
) -> None:
    flag = "--beam" if name == "beam" else "--threads"
    base = ["translate", str(SEED), "-t", str(tiny.marian)]
    variable = f"RINGKAS_{name.upper()}"
    config = tmp_path / "config.toml"
    config.write_text(f"{name} = {value}\n", encoding="utf-8")
    env = {"RINGKAS_THREADS": ""}
    by_flag = ringkas(*base, flag, value, cwd=tmp_path, env=env)
    by_env = ringkas(*base, cwd=tmp_path, env={**env, variable: value})
    by_file = ringkas(*base, "--config", str(config), cwd=tmp_path, env=env)
    for process, where in ((by_flag, flag), (by_env, variable), (by_file, str(config))):
        assert process.returncode == ExitCode.USAGE, process.stderr
        one_error(process, where, value)
        assert process.stdout == ""


def test_threads_up_to_the_bound_still_run(tiny: TinyModels, tmp_path: Path) -> None:
    process = ringkas(
        "translate", str(SEED), "-t", str(tiny.marian), "--threads", "2", cwd=tmp_path
    )
    assert process.returncode == 0, process.stderr


def test_huge_max_size_is_refused(tiny: TinyModels, tmp_path: Path) -> None:
    process = ringkas("translate", "-", "--max-size", "100GB", cwd=tmp_path, stdin="/dev/zero")
    assert process.returncode == ExitCode.USAGE
    one_error(process, "--max-size", "100GB")


@pytest.mark.parametrize("command", ["summarize", "watch"])
@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--encoding", "nope"),
        ("--encoding", "base64"),  # a codec, but bytes to bytes: no text comes out
        ("--encoding", ""),
        ("--max-size", "0"),
        ("--max-size", "0.0001KB"),
    ],
)
def test_a_value_that_would_fail_every_input_is_refused_once(
    tiny: TinyModels, tmp_path: Path, command: str, flag: str, value: str
) -> None:
    """Not one error per article of a folder of 500, after loading the models: one line,
    exit 2, before anything is read or written."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    models = ["-t", str(tiny.marian), "-s", str(tiny.bart)]
    process = ringkas(command, str(folder), *models, "-O", "out", flag, value, cwd=tmp_path)
    assert process.returncode == ExitCode.USAGE, process.stderr
    one_error(process, flag, repr(value) if flag == "--encoding" else value)
    assert not (tmp_path / "out").exists()


def test_endless_stdin_is_cut_at_max_size(tiny: TinyModels, tmp_path: Path) -> None:
    process = ringkas(
        "translate", "-", "-t", str(tiny.marian), "--max-size", "64MB", cwd=tmp_path,
        stdin="/dev/zero",
    )  # fmt: skip
    assert process.returncode == ExitCode.INPUT_FAILED
    one_error(process, "over the size limit")


@pytest.mark.parametrize("null", [False, True])
def test_endless_files_from_list_is_refused(null: bool, tmp_path: Path) -> None:
    args = ["translate", "--files-from", "/dev/zero", *(["-0"] if null else [])]
    process = ringkas(*args, cwd=tmp_path)
    assert process.returncode == ExitCode.USAGE
    one_error(process, "--files-from", "/dev/zero")


def test_endless_jsonl_line_is_cut(tiny: TinyModels, tmp_path: Path) -> None:
    process = ringkas(
        "translate", "--input-format", "jsonl", "-f", "jsonl", "-t", str(tiny.marian),
        cwd=tmp_path, stdin="/dev/zero",
    )  # fmt: skip
    assert process.returncode == ExitCode.INPUT_FAILED
    one_error(process, "stdin:1:")


def huge_file(path: Path) -> Path:
    """A sparse file of 8 GB of zero bytes: a regular file, endless for any reader."""
    with path.open("wb") as handle:
        handle.truncate(8 * 1024**3)
    return path


def test_huge_config_file_is_refused(tmp_path: Path) -> None:
    config = huge_file(tmp_path / "config.toml")
    process = ringkas("config", "show", "--config", str(config), cwd=tmp_path)
    assert process.returncode == ExitCode.USAGE
    one_error(process, str(config))


def test_huge_prompt_file_is_refused(tmp_path: Path) -> None:
    template = huge_file(tmp_path / "gaya.toml")
    process = ringkas("prompts", "show", str(template), cwd=tmp_path)
    assert process.returncode == ExitCode.USAGE
    one_error(process, str(template))


def test_huge_files_from_list_is_refused(tmp_path: Path) -> None:
    listing = huge_file(tmp_path / "daftar.txt")
    process = ringkas("translate", "--files-from", str(listing), "-0", cwd=tmp_path)
    assert process.returncode == ExitCode.USAGE
    one_error(process, "--files-from", str(listing))


@pytest.mark.parametrize(
    ("count", "decimal", "text"),
    [
        # Limits, in the units --max-size is given in (KB = 1024 bytes).
        (1023, False, "1023 bytes"),
        (1024, False, "1 KB"),
        (2 * 1024 * 1024, False, "2 MB"),
        (64 * 1024 * 1024, False, "64 MB"),
        (3 * 1024**3 // 2, False, "1.5 GB"),
        # Downloads, models, caches and free space, as the Hub and disk tools write them.
        (999, True, "999 bytes"),
        (1000, True, "1 KB"),
        (349_000, True, "349 KB"),
        (291_500_000, True, "292 MB"),
        (1_200_000_000, True, "1.2 GB"),
    ],
)
def test_sizes_in_each_units(count: int, decimal: bool, text: str) -> None:
    from ringkas.limits import size_text

    assert size_text(count, decimal=decimal) == text
    # The limits' messages can show a tenth of a megabyte ("3.1 MB over 2.0 MB").
    assert size_text(3_250_585, mb_decimals=1) == "3.1 MB"
