"""Find the articles a command names: files, folders walked recursively, links, path lists,
stdin.

:func:`find_inputs` expands the command line into :class:`InputItem` s in a deterministic
order; every input that cannot even be found is a :class:`SourceError`, and the rest goes on.
The :class:`Inputs` it returns also knows every folder walked and file taken, so that the
outputs can be checked never to land on an input, now or on a rerun (:meth:`Inputs.takes`).
Symbolic links met in a folder are followed when they stay inside the folder being walked;
one that leads outside is followed only with ``follow_links`` (as ``find -L`` and ``rsync``
do), else it is listed in :attr:`Inputs.skipped`. Links named on the command line or in a
path list are always followed.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ringkas.errors import InputError, UsageError
from ringkas.limits import MAX_LIST_BYTES, TooLarge, read_bounded, read_stream_bounded
from ringkas.sources.errors import (
    STDIN,
    SourceError,
    input_label,
    missing_reason,
    os_reason,
    standard_input,
)
from ringkas.sources.remote import Uri, file_path, is_remote, pyarrow_fs, walk
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
    uri: Uri | None = None  # a file on a filesystem pyarrow knows ("s3://b/news/a.txt")


STDIN_ITEM = InputItem(STDIN, None, None, Path("stdin"))

Identity = tuple[int, int]  # (st_dev, st_ino): the same file or folder by whatever path


@dataclass(frozen=True)
class Skipped:
    """An entry of a walked folder that was deliberately not taken, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class Walked:
    """A folder that was walked: as shown, and its place below the folder argument."""

    shown: str
    relative: Path


@dataclass
class Inputs:
    """What :func:`find_inputs` found: the items, the errors, what was skipped on purpose,
    and every folder walked and file taken (by identity)."""

    items: list[InputItem] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    folders: dict[Identity, Walked] = field(default_factory=dict)
    files: dict[Identity, str] = field(default_factory=dict)
    globs: tuple[str, ...] = DEFAULT_GLOBS
    # The same on filesystems pyarrow knows, by Uri.key: folders named, files taken.
    remote_folders: dict[str, Walked] = field(default_factory=dict)
    remote_files: dict[str, str] = field(default_factory=dict)

    def matches(self, relative: Path) -> bool:
        """Whether a file at ``relative`` below a folder argument is taken by the globs."""
        return matches_globs(relative, self.globs)

    def takes(self, path: Path) -> bool:
        """Whether the same command would read ``path`` as an input, once it exists: it is
        below a folder that was walked, not hidden, and matches the globs."""
        missing = [path.name]
        folder = path.parent
        while True:
            try:
                info = folder.stat()
                break
            except FileNotFoundError:
                if folder.parent == folder:
                    return False
                missing.insert(0, folder.name)
                folder = folder.parent
            except OSError:
                return False
        walked = self.folders.get(identity(info))
        if walked is None or any(part.startswith(".") for part in missing):
            return False
        return self.matches(walked.relative.joinpath(*missing))

    def takes_remote(self, key: str) -> bool:
        """:meth:`takes` for a place on a filesystem pyarrow knows (its :attr:`Uri.key`)."""
        for folder in self.remote_folders:
            if key.startswith(folder.rstrip("/") + "/"):
                relative = PurePosixPath(key[len(folder.rstrip("/")) + 1 :])
                hidden = any(part.startswith(".") for part in relative.parts)
                if not hidden and self.matches(Path(relative)):
                    return True
        return False


def identity(info: os.stat_result) -> Identity:
    return info.st_dev, info.st_ino


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
    follow_links: bool = False,
) -> tuple[list[InputItem], list[InputError]]:
    """The items and errors of :func:`find_inputs`."""
    found = find_inputs(
        paths,
        globs=globs,
        files_from=files_from,
        null_separated=null_separated,
        stdin=stdin,
        follow_links=follow_links,
    )
    return found.items, found.errors


def find_inputs(
    paths: Sequence[str],
    *,
    globs: Sequence[str] | None = None,
    files_from: str | None = None,
    null_separated: bool = False,
    stdin: BinaryIO | None = None,
    follow_links: bool = False,
) -> Inputs:
    """Expand the command line's inputs into items to read, and the errors met on the way.

    Order is deterministic: command-line order, then the ``files_from`` list; folders are
    walked recursively in sorted order, hidden files and folders skipped, and only files
    matching ``globs`` (case-insensitively; default :data:`DEFAULT_GLOBS`) are taken from
    them. Files named directly are taken whatever their suffix; an http:// or https://
    argument (or list entry) is a link, read when its turn comes. A nonexistent path, an
    unreadable folder, a broken symbolic link or a symlink loop is an error, and the rest
    goes on. A symbolic link inside a folder that leads outside the folder being walked is
    skipped unless ``follow_links``. ``files_from`` is a file or "-" (stdin) with one path
    per line, or NUL-separated when ``null_separated``; blank entries are ignored. A file
    reached twice (by a folder and by name, or through a symlink) is listed once, and so
    is a link.
    """
    if files_from == STDIN and STDIN in paths:
        raise UsageError("stdin ('-') cannot be both an input and the --files-from list")
    patterns = tuple(globs) if globs else DEFAULT_GLOBS
    # Folders are walked recursively anyway: "**/*.txt" means "*.txt".
    found = Inputs(globs=tuple(_strip_prefix(pattern.lower(), "**/") for pattern in patterns))
    finder = _Finder(found, follow_links)
    for path in paths:
        finder.add(path)
    if files_from is not None:
        for entry in _read_path_list(files_from, null_separated, stdin, found.errors):
            if entry == STDIN:
                found.errors.append(
                    SourceError(
                        f"--files-from {files_from}",
                        "lists '-'; name stdin on the command line, not in the list",
                    )
                )
            else:
                finder.add(entry, listed=True)
    return found


class _Finder:
    """Fills an :class:`Inputs`; remembers files and folders already reached."""

    def __init__(self, found: Inputs, follow_links: bool) -> None:
        self.found = found
        self.follow_links = follow_links
        self._urls: set[str] = set()
        self._stdin = False

    def add(self, given: str, *, listed: bool = False) -> None:
        """Take one input as given on the command line, or as an entry of the
        --files-from list (``listed``)."""
        found = self.found
        if is_url(given):
            if given not in self._urls:
                self._urls.add(given)
                found.items.append(url_item(given))
            return
        if given == STDIN:
            if not self._stdin:
                self._stdin = True
                found.items.append(STDIN_ITEM)
            return
        if not given:
            found.errors.append(SourceError("''", "an empty path"))
            return
        if is_remote(given):
            self._add_remote(Uri(given), listed)
            return
        if given[:7].lower() == "file://":  # a local path, named and shown as one
            given = file_path(given)
        path = Path(given)
        shown = readable(given)
        try:
            info = path.stat()
        except OSError as exc:
            found.errors.append(SourceError(shown, missing_reason(path, exc)))
            return
        except ValueError:  # a NUL byte in a listed name (a list read without -0)
            found.errors.append(SourceError(shown, "not a file name (it has a NUL byte)"))
            return
        if stat.S_ISDIR(info.st_mode):
            folder = identity(info)
            if folder not in found.folders:  # else: already walked, its files are listed
                found.folders[folder] = Walked(shown, Path())
                inside = os.path.realpath(path)
                self._walk(shown, path, Path(), path, (folder,), inside)
        else:
            self._add_file(InputItem(shown, path, None, Path(path.name)), info)

    def _walk(
        self,
        given: str,
        root: Path,
        relative: Path,
        folder: Path,
        ancestors: tuple[Identity, ...],
        inside: str,
    ) -> None:
        found = self.found
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            reason = os_reason(exc)
            found.errors.append(
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
                if entry.is_symlink() and found.matches(below):
                    reason = missing_reason(folder / entry.name, exc)
                    found.errors.append(SourceError(_shown(given, below), reason))
                continue
            is_folder = stat.S_ISDIR(info.st_mode)
            if (
                entry.is_symlink()
                and not self.follow_links
                and (is_folder or found.matches(below))
                and not _within(os.path.realpath(folder / entry.name), inside)
            ):
                what = "folder" if is_folder else "file"
                found.skipped.append(
                    Skipped(
                        _shown(given, below),
                        f"a symbolic link to a {what} outside {given}, not followed "
                        "(--follow-links follows it)",
                    )
                )
                continue
            if is_folder:
                key = identity(info)
                if key in ancestors:
                    found.errors.append(
                        SourceError(
                            _shown(given, below),
                            "symbolic link loop: it leads back to a folder above it; skipped",
                        )
                    )
                elif key not in found.folders:
                    found.folders[key] = Walked(_shown(given, below), below)
                    self._walk(given, root, below, folder / entry.name, (*ancestors, key), inside)
            elif found.matches(below):
                item = InputItem(_shown(given, below), root / below, root, below)
                self._add_file(item, info)

    def _add_remote(self, uri: Uri, listed: bool) -> None:
        found = self.found
        pyarrow_fs(uri.text)  # no pyarrow: the run's usage error (exit 2), naming the extra
        try:
            folder, names = walk(uri, lambda relative: found.matches(Path(relative)))
        except SourceError as exc:
            found.errors.append(exc)
            return
        except UsageError as exc:  # not a URI, or not a filesystem pyarrow can open
            if not listed:
                raise  # typed on the command line: fixed before any work (exit 2)
            # One line of a list (often written by a program): that entry fails, as a
            # missing file would, and the rest goes on.
            found.errors.append(InputError(exc.message, exc.hint, source=uri.text))
            return
        if folder:
            found.remote_folders.setdefault(uri.key, Walked(uri.text, Path()))
        for name in names:
            file = uri.join(name) if folder else uri
            key = file.key
            if key not in found.remote_files:
                found.remote_files[key] = file.text
                found.items.append(InputItem(file.text, None, None, Path(name), uri=file))

    def _add_file(self, item: InputItem, info: os.stat_result) -> None:
        key = identity(info)
        if key not in self.found.files:
            self.found.files[key] = item.source
            self.found.items.append(item)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


_SURROGATES = re.compile("[\ud800-\udfff]")


def readable(name: str) -> str:
    """A path as text that can be written anywhere: bytes that are not UTF-8 (which Python
    keeps as surrogate escapes) are shown as ``\\xNN``."""
    if not _SURROGATES.search(name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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


def _shown(given: str, relative: Path) -> str:
    """How a file found below a folder argument is shown: "news/2024/a.txt"."""
    return readable(str(Path(given) / relative)) if relative.parts else given


def _read_path_list(
    name: str, null_separated: bool, stdin: BinaryIO | None, errors: list[InputError]
) -> list[str]:
    label = f"--files-from {input_label(name)}"
    try:
        if name == STDIN:
            stream = stdin if stdin is not None else standard_input()
            data = read_stream_bounded(stream, MAX_LIST_BYTES)
        else:
            data = read_bounded(Path(name), MAX_LIST_BYTES)
    except TooLarge as exc:  # an endless list (/dev/zero): refused before any work
        raise UsageError(
            f"{label}: {exc}, more than a list of paths can be",
            hint="split it into several runs, or name the folders instead",
        ) from None
    except SourceError as exc:
        errors.append(SourceError(label, exc.reason, exc.hint))
        return []
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
