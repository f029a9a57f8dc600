"""A drop folder: the files that land in a folder, each once it has stopped growing.

:class:`DropFolder` watches a folder (watchfiles: inotify, FSEvents or polling) in a
background thread and :meth:`DropFolder.landed` yields, in rounds, the files that appeared
or changed and then stayed the same (size and modification time) for ``settle`` seconds, so
that a file still being copied or written slowly is read only once it is whole. A folder
moved in brings its files; hidden files and folders are ignored, and so are empty files
until something is written into them.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from queue import Empty, Queue
from typing import Any

__all__ = ["DropFolder"]

Signature = tuple[int, int]  # size, modification time (ns)


class _Either:
    """Stops the watcher when the job stops or the drop folder is closed."""

    def __init__(self, *events: threading.Event) -> None:
        self.events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)


class DropFolder:
    """Watches ``folder``; ``matches(relative_path)`` says which files are articles."""

    def __init__(
        self,
        folder: Path,
        *,
        matches: Callable[[Path], bool],
        stop: threading.Event,
        settle: float = 2.0,
        tick: float = 0.2,
    ) -> None:
        self.folder = folder
        self.matches = matches
        self.stop = stop
        self.settle = settle
        self.tick = tick
        self._closed = threading.Event()
        self._changes: Queue[Any] = Queue()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    def __enter__(self) -> DropFolder:
        self._thread = threading.Thread(target=self._watch, name="ringkas-watch", daemon=True)
        self._thread.start()
        # Changes are seen from here on: files that land while the folder's present
        # content is being listed are not missed.
        self._ready.wait(timeout=5)
        return self

    def __exit__(self, *exc: object) -> None:
        self._closed.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _watch(self) -> None:
        import watchfiles

        try:
            watcher = watchfiles.watch(
                self.folder,
                watch_filter=None,
                stop_event=_Either(self.stop, self._closed),
                debounce=400,
                step=50,
                rust_timeout=int(self.tick * 1000),
                yield_on_timeout=True,
                raise_interrupt=False,
            )
            first = True
            for changes in watcher:
                if first:
                    first = False
                    self._ready.set()
                if changes:
                    self._changes.put([path for _, path in changes])
        except Exception as exc:  # the folder went away, too many watches...
            self._changes.put(exc)
        finally:
            self._ready.set()

    def landed(self) -> Iterator[list[Path]]:
        """Rounds of files that have landed whole (sorted), until the job stops."""
        pending: dict[Path, tuple[Signature | None, float]] = {}
        while not self.stop.is_set():
            try:
                changed = self._changes.get(timeout=self.tick)
            except Empty:
                changed = []
            if isinstance(changed, Exception):
                raise OSError(f"watching {self.folder} stopped: {changed}") from changed
            now = time.monotonic()
            for name in changed:
                for path in self._files(Path(name)):
                    pending[path] = (None, now)
            ready = self._settled(pending, now)
            if ready:
                yield sorted(ready)

    def _files(self, path: Path) -> Iterator[Path]:
        """The article files a change is about: the file, or those of a folder moved in."""
        try:
            relative = path.relative_to(self.folder)
        except ValueError:
            return
        if any(part.startswith(".") for part in relative.parts):
            return
        if path.is_dir():
            for root, folders, files in os.walk(path):
                folders[:] = sorted(f for f in folders if not f.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield from self._files(Path(root) / name)
        elif self.matches(relative):
            yield path

    def _settled(
        self, pending: dict[Path, tuple[Signature | None, float]], now: float
    ) -> list[Path]:
        ready = []
        for path, (seen, since) in list(pending.items()):
            try:
                info = path.stat()
            except OSError:
                del pending[path]  # gone again (a temporary file renamed away)
                continue
            signature = (info.st_size, info.st_mtime_ns)
            if signature != seen:
                pending[path] = (signature, now)
            elif info.st_size and now - since >= self.settle:
                del pending[path]
                ready.append(path)
        return ready
