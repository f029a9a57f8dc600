"""Find the articles a command names: files, folders walked recursively, path lists, stdin.

:func:`discover` expands the command line into :class:`InputItem` s in a deterministic order;
every input that cannot even be found is a :class:`SourceError` in a second list, and the
rest goes on.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import BinaryIO

from ringkas.errors import InputError, UsageError
from ringkas.sources.errors import STDIN, SourceError, input_label, missing_reason, os_reason
from ringkas.sources.urls import is_url, url_relative

DEFAULT_GLOBS = ("*.txt", "*.md", "*.html", "*.htm")


@dataclass(frozen=True)
class InputItem:
    """One article to read, and where it was found."""

    source: str  # as the user sees it: "news/2024/a.txt", "a.txt", "-" for stdin, a URL
    path: Path | None  # None for stdin and links
    root: Path | None  # the folder argument it was found under; None if named directly
    relative: Path  # below ``root`` ("2024/a.txt"), else the file name; "stdin" for stdin;
    # for a link, host and path ("news.detik.com/berita/d-7970439/gempa")
    url: str | None = None  # a link (http:// or https://) to fetch
    feed: str | None = None  # the feed a link came from


STDIN_ITEM = InputItem(STDIN, None, None, Path("stdin"))


def url_item(url: str, feed: str | None = None) -> InputItem:
    """A link to read; its result goes to host/path below an output folder."""
    return InputItem(url, None, None, Path(url_relative(url)), url=url, feed=feed)


# -- finding inputs ----------------------------------------------------------------------


def discover(
    paths: Sequence[str],
    *,
    globs: Sequence[str] | None = None,
    files_from: str | None = None,
    null_separated: bool = False,
    stdin: BinaryIO | None = None,
) -> tuple[list[InputItem], list[InputError]]:
    """Expand the command line's inputs into items to read, and the errors met on the way.

    Order is deterministic: command-line order, then the ``files_from`` list; folders are
    walked recursively in sorted order, hidden files and folders skipped, and only files
    matching ``globs`` (case-insensitively; default :data:`DEFAULT_GLOBS`) are taken from
    them. Files named directly are taken whatever their suffix; an http:// or https://
    argument (or list entry) is a link, read when its turn comes. A nonexistent path, an
    unreadable folder, a broken symbolic link or a symlink loop is an error in the second
    list, and the rest goes on. ``files_from`` is a file or "-" (stdin) with one path per
    line, or NUL-separated when ``null_separated``; blank entries are ignored. A file
    reached twice (by a folder and by name, or through a symlink) is listed once, and so
    is a link.
    """
    if files_from == STDIN and STDIN in paths:
        raise UsageError("stdin ('-') cannot be both an input and the --files-from list")
    finder = _Finder(tuple(globs) if globs else DEFAULT_GLOBS)
    for path in paths:
        finder.add(path)
    if files_from is not None:
        for entry in _read_path_list(files_from, null_separated, stdin, finder.errors):
            if entry == STDIN:
                finder.errors.append(
                    SourceError(
                        f"--files-from {files_from}",
                        "lists '-'; name stdin on the command line, not in the list",
                    )
                )
            else:
                finder.add(entry)
    return finder.items, finder.errors


class _Finder:
    """Collects items and errors; remembers files and folders already reached."""

    def __init__(self, globs: Sequence[str]) -> None:
        # Folders are walked recursively anyway: "**/*.txt" means "*.txt".
        self.globs = [_strip_prefix(pattern.lower(), "**/") for pattern in globs]
        self.items: list[InputItem] = []
        self.errors: list[InputError] = []
        self._files: set[tuple[int, int]] = set()
        self._folders: set[tuple[int, int]] = set()
        self._urls: set[str] = set()
        self._stdin = False

    def add(self, given: str) -> None:
        if is_url(given):
            if given not in self._urls:
                self._urls.add(given)
                self.items.append(url_item(given))
            return
        if given == STDIN:
            if not self._stdin:
                self._stdin = True
                self.items.append(STDIN_ITEM)
            return
        if not given:
            self.errors.append(SourceError("''", "an empty path"))
            return
        path = Path(given)
        try:
            info = path.stat()
        except OSError as exc:
            self.errors.append(SourceError(given, missing_reason(path, exc)))
            return
        if stat.S_ISDIR(info.st_mode):
            folder = _identity(info)
            if folder not in self._folders:  # else: already walked, its files are listed
                self._folders.add(folder)
                self._walk(given, path, Path(), path, (folder,))
        else:
            self._add_file(InputItem(given, path, None, Path(path.name)), info)

    def _walk(
        self,
        given: str,
        root: Path,
        relative: Path,
        folder: Path,
        ancestors: tuple[tuple[int, int], ...],
    ) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            reason = os_reason(exc)
            self.errors.append(
                SourceError(_shown(given, relative), f"cannot read folder: {reason}")
            )
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            below = relative / entry.name
            try:
                info = entry.stat()  # follows symbolic links
            except OSError as exc:
                if entry.is_symlink() and self._matches(below):
                    reason = missing_reason(folder / entry.name, exc)
                    self.errors.append(SourceError(_shown(given, below), reason))
                continue
            if stat.S_ISDIR(info.st_mode):
                identity = _identity(info)
                if identity in ancestors:
                    self.errors.append(
                        SourceError(
                            _shown(given, below),
                            "symbolic link loop: it leads back to a folder above it; skipped",
                        )
                    )
                elif identity not in self._folders:
                    self._folders.add(identity)
                    self._walk(given, root, below, folder / entry.name, (*ancestors, identity))
            elif self._matches(below):
                self._add_file(InputItem(_shown(given, below), root / below, root, below), info)

    def _matches(self, relative: Path) -> bool:
        return matches_globs(relative, self.globs)

    def _add_file(self, item: InputItem, info: os.stat_result) -> None:
        identity = _identity(info)
        if identity not in self._files:
            self._files.add(identity)
            self.items.append(item)


def glob_matcher(globs: Sequence[str] | None = None) -> Callable[[Path], bool]:
    """Whether a file found below a folder (its path relative to the folder) is taken."""
    patterns = [_strip_prefix(pattern.lower(), "**/") for pattern in globs or DEFAULT_GLOBS]
    return lambda relative: matches_globs(relative, patterns)


def matches_globs(relative: Path, globs: Sequence[str]) -> bool:
    name, whole = relative.name.lower(), relative.as_posix().lower()
    return any(fnmatchcase(whole if "/" in glob else name, glob) for glob in globs)


def _strip_prefix(text: str, prefix: str) -> str:
    while text.startswith(prefix):
        text = text[len(prefix) :]
    return text


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _shown(given: str, relative: Path) -> str:
    """How a file found below a folder argument is shown: "news/2024/a.txt"."""
    return str(Path(given) / relative) if relative.parts else given


def _read_path_list(
    name: str, null_separated: bool, stdin: BinaryIO | None, errors: list[InputError]
) -> list[str]:
    label = f"--files-from {input_label(name)}"
    try:
        if name == STDIN:
            data = (stdin if stdin is not None else sys.stdin.buffer).read()
        else:
            data = Path(name).read_bytes()
    except OSError as exc:
        errors.append(SourceError(label, os_reason(exc)))
        return []
    data = data.removeprefix(codecs.BOM_UTF8)
    if null_separated:
        entries = data.split(b"\0")
    else:
        entries = [line.removesuffix(b"\r") for line in data.split(b"\n")]
    # Paths are bytes to the OS: undecodable names survive as surrogate escapes.
    return [os.fsdecode(entry) for entry in entries if entry.strip()]
