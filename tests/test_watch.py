"""The drop folder (ringkas watch): files are taken once they have landed whole."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from ringkas.sources.drop import DropFolder

ARTICLE = "Pemerintah Kota Ambon menyalurkan bantuan modal usaha senilai Rp 300 juta.\n"


def _collect(folder: Path, act, *, settle: float = 0.3, seconds: float = 6.0) -> list[list[str]]:
    """Rounds of files (relative names, with their sizes) that ``act`` makes land."""
    stop = threading.Event()
    rounds: list[list[str]] = []
    with DropFolder(folder, matches=lambda p: p.suffix == ".txt", stop=stop, settle=settle) as drop:
        worker = threading.Thread(target=act)
        worker.start()
        timer = threading.Timer(seconds, stop.set)
        timer.start()
        try:
            for ready in drop.landed():
                rounds.append([f"{p.relative_to(folder)}:{p.stat().st_size}" for p in ready])
        finally:
            timer.cancel()
            worker.join()
    return rounds


def test_files_land_once_whole(tmp_path: Path) -> None:
    drop = tmp_path / "masuk"
    drop.mkdir()
    elsewhere = tmp_path / "luar"
    elsewhere.mkdir()

    def act() -> None:
        (drop / "a.txt").write_text(ARTICLE, "utf-8")
        with (drop / "pelan.txt").open("w", encoding="utf-8") as slow:
            for _ in range(6):  # written slowly, each pause shorter than the settle time
                slow.write(ARTICLE)
                slow.flush()
                time.sleep(0.1)
        (drop / ".tersembunyi.txt").write_text(ARTICLE, "utf-8")
        (drop / "foto.jpg").write_bytes(b"\xff\xd8\xff")
        (drop / "kosong.txt").touch()
        folder = elsewhere / "sub"
        folder.mkdir()
        (folder / "b.txt").write_text(ARTICLE, "utf-8")
        shutil.move(str(folder), drop / "sub")  # a folder moved in brings its files

    rounds = _collect(drop, act, seconds=3.0)
    landed = sorted(name for names in rounds for name in names)
    size = len(ARTICLE.encode())
    assert landed == [f"a.txt:{size}", f"pelan.txt:{6 * size}", f"sub/b.txt:{size}"]


def test_stops_when_asked(tmp_path: Path) -> None:
    stop = threading.Event()
    with DropFolder(tmp_path, matches=lambda p: True, stop=stop, settle=0.2) as drop:
        threading.Timer(0.3, stop.set).start()
        started = time.monotonic()
        assert list(drop.landed()) == []
    assert time.monotonic() - started < 3
