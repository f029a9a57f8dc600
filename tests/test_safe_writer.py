"""The one writer (ringkas.outputs.files): what it refuses when the output folder changes
under it after the job was planned, and what it leaves behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ringkas.outputs.files import Folder, NotARealFolder


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_folders_below_are_created_real(tmp_path: Path) -> None:
    with Folder.open(tmp_path / "out") as root, root.below(["a", "b"], create=True) as folder:
        folder.write("hasil.json", b"{}\n")
    assert (tmp_path / "out" / "a" / "b" / "hasil.json").read_bytes() == b"{}\n"
    assert files(tmp_path / "out") == ["a", "a/b", "a/b/hasil.json"]


def test_a_folder_swapped_for_a_link_is_refused(tmp_path: Path) -> None:
    """Planned when out/a was a real folder; by the time of writing it is a link."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with Folder.open(tmp_path / "out") as root:
        (tmp_path / "out" / "a").symlink_to(elsewhere)
        with pytest.raises(NotARealFolder, match="a symbolic link"):
            root.below(["a"], create=True)
        (tmp_path / "out" / "b").write_text("a file where a folder must go")
        with pytest.raises(NotARealFolder, match="a file"):
            root.below(["b", "c"], create=True)
    assert list(elsewhere.iterdir()) == []


def test_the_folder_held_open_is_written_even_if_renamed(tmp_path: Path) -> None:
    """Writes go to the folder that was checked, not to whatever its path names later."""
    with Folder.open(tmp_path / "out") as root, root.below(["a"], create=True) as folder:
        os.rename(tmp_path / "out" / "a", tmp_path / "out" / "moved")
        (tmp_path / "out" / "a").symlink_to(tmp_path)
        folder.write("hasil.txt", b"ok\n")
    assert (tmp_path / "out" / "moved" / "hasil.txt").read_bytes() == b"ok\n"
    assert not (tmp_path / "hasil.txt").exists()


@pytest.mark.parametrize("kind", ["link", "folder"])
def test_a_target_that_is_a_link_or_a_folder_is_not_replaced(tmp_path: Path, kind: str) -> None:
    victim = tmp_path / "victim"
    victim.write_text("kept\n")
    out = tmp_path / "out"
    out.mkdir()
    if kind == "link":
        (out / "hasil.txt").symlink_to(victim)
    else:
        (out / "hasil.txt").mkdir()
    with Folder.open(out) as root, pytest.raises(OSError):
        root.write("hasil.txt", b"new\n")
    assert victim.read_text() == "kept\n"
    assert files(out) == ["hasil.txt"]  # and no temporary file


def test_a_write_that_fails_leaves_no_temporary_file(tmp_path: Path) -> None:
    class Boom(Exception):
        pass

    out = tmp_path / "out"
    with Folder.open(out) as root:
        original = root.commit

        def failing_commit(*args: object) -> None:
            raise Boom

        root.commit = failing_commit  # type: ignore[method-assign]
        with pytest.raises(Boom):
            root.write("hasil.txt", b"x")
        root.commit = original  # type: ignore[method-assign]
    assert files(out) == []


def test_results_get_the_mode_a_plain_write_gives(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        with Folder.open(tmp_path) as root:
            root.write("hasil.txt", b"x")
    finally:
        os.umask(mask)
    assert (tmp_path / "hasil.txt").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("kind", ["link", "fifo", "folder"])
def test_the_state_is_never_read_or_appended_through_anything_but_a_file(
    tmp_path: Path, kind: str
) -> None:
    """Checked again when the state is opened, whatever the plan saw before."""
    from ringkas.errors import UsageError
    from ringkas.outputs.state import STATE_FILE, StateLog

    victim = tmp_path / "victim"
    victim.write_text("kept\n")
    out = tmp_path / "out"
    out.mkdir()
    state = out / STATE_FILE
    {"link": lambda: state.symlink_to(victim), "fifo": lambda: os.mkfifo(state),
     "folder": state.mkdir}[kind]()  # fmt: skip
    with Folder.open(out) as root, pytest.raises(UsageError, match=STATE_FILE):
        StateLog(root)
    assert victim.read_text() == "kept\n"


def test_a_result_behind_a_link_is_never_current(tmp_path: Path) -> None:
    import hashlib

    from ringkas.outputs.state import StateLog

    out = tmp_path / "out"
    with Folder.open(out) as root:
        state = StateLog(root)
        root.write("a.json", b"{}")
        state.record("a.json", "in/a.txt", "i", "s", b"{}")
        assert state.is_current("a.json", "i", "s")
        (out / "a.json").unlink()
        (tmp_path / "copy.json").write_bytes(b"{}")
        (out / "a.json").symlink_to(tmp_path / "copy.json")
        assert hashlib.sha256(b"{}").hexdigest() == state.entries["a.json"]["output_sha256"]
        assert not state.is_current("a.json", "i", "s")
        state.close()
