"""Symbolic links met while walking a folder: inside ones are followed, outside ones only
with --follow-links (as find -L and rsync do); by default they are reported as skipped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED, TinyModels
from ringkas.cli import cli
from ringkas.sources import discover

ARTICLE = SEED.read_text(encoding="utf-8")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def linked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """in/ with an article, links that stay inside it and links that lead outside."""
    monkeypatch.chdir(tmp_path)
    for name in ("in/a.txt", "in/sub/b.txt", "luar/x.txt", "luar/map/y.txt"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(ARTICLE.replace("Maluku", name), encoding="utf-8")
    os.symlink("sub/b.txt", "in/dalam.txt")  # inside: the same file as in/sub/b.txt
    os.symlink(str(tmp_path / "in" / "sub"), "in/sub-lagi")  # inside, by an absolute path
    os.symlink("../luar/x.txt", "in/keluar.txt")  # outside
    os.symlink("../luar/map", "in/peta")  # a folder outside
    return tmp_path


def sources(items) -> list[str]:
    return [item.source for item in items]


def test_links_leading_outside_are_not_followed_by_default(linked: Path) -> None:
    items, errors = discover(["in"])
    assert errors == []
    assert sources(items) == ["in/a.txt", "in/dalam.txt"]


def test_follow_links_follows_them(linked: Path) -> None:
    items, errors = discover(["in"], follow_links=True)
    assert errors == []
    assert sources(items) == ["in/a.txt", "in/dalam.txt", "in/keluar.txt", "in/peta/y.txt"]


def test_a_folder_named_through_a_link_is_walked(linked: Path) -> None:
    """Links on the command line are followed (find -H): the folder walked is the one the
    link leads to, and links inside it are judged against that folder."""
    os.symlink("in", "tautan")
    items, _ = discover(["tautan"])
    assert sources(items) == ["tautan/a.txt", "tautan/dalam.txt"]
    assert sources(discover(["in/keluar.txt"])[0]) == ["in/keluar.txt"]


def test_the_cli_reports_links_it_skipped(linked: Path, tiny: TinyModels) -> None:
    args = ["summarize", "in", "-t", str(tiny.marian), "-s", str(tiny.t5), "-l", "short"]
    result = invoke(*args, "-f", "jsonl", "--report", "report.json")
    assert result.exit_code == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "--follow-links" in line]
    assert len(notes) == 2
    assert any("in/keluar.txt" in note for note in notes)
    assert any("in/peta" in note for note in notes)
    items = json.loads(Path("report.json").read_text())["items"]
    statuses = {item["source"]: item["status"] for item in items}
    assert statuses == {
        "in/a.txt": "done",
        "in/dalam.txt": "done",
        "in/keluar.txt": "skipped",
        "in/peta": "skipped",
    }
    done = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert done == ["in/a.txt", "in/dalam.txt"]

    followed = invoke(*args, "-f", "jsonl", "--follow-links")
    assert followed.exit_code == 0, followed.stderr
    assert "--follow-links" not in followed.stderr
    done = [json.loads(line)["source"] for line in followed.stdout.splitlines()]
    assert done == ["in/a.txt", "in/dalam.txt", "in/keluar.txt", "in/peta/y.txt"]
