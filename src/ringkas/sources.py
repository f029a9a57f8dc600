"""Find and read the articles a command names: files, folders, path lists, stdin, JSON lines.

:func:`discover` expands the command line into :class:`InputItem` s, :func:`read_item` reads
one into a :class:`~ringkas.pipeline.Document` (decoding it, extracting the article from a
saved web page), and :func:`read_jsonl` reads ``{"id": ..., "text": ...}`` lines. Every problem
with one input is a :class:`SourceError` (an :class:`~ringkas.errors.InputError`) naming it,
so a batch can report it and go on. HTML extraction (trafilatura) is imported only when an
HTML input is read.
"""

from __future__ import annotations

import codecs
import errno
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ringkas.decoding import (
    DROPPED_CONTROLS,
    LINE_BREAKS,
    MARKUP,
    STDIN,
    SourceError,
    declared_charset,
    decode,
    input_label,
    starts_like_html,
)
from ringkas.errors import InputError, UsageError
from ringkas.pipeline import Document

__all__ = [
    "DEFAULT_GLOBS",
    "DEFAULT_MAX_BYTES",
    "HTML_SUFFIXES",
    "STDIN",
    "InputItem",
    "SourceError",
    "decode",
    "discover",
    "document_from_bytes",
    "read_document",
    "read_item",
    "read_jsonl",
]

DEFAULT_GLOBS = ("*.txt", "*.md", "*.html", "*.htm")
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


@dataclass(frozen=True)
class InputItem:
    """One article to read, and where it was found."""

    source: str  # as the user sees it: "news/2024/a.txt", "a.txt", or "-" for stdin
    path: Path | None  # None for stdin
    root: Path | None  # the folder argument it was found under; None if named directly
    relative: Path  # below ``root`` ("2024/a.txt"), else the file name; "stdin" for stdin


STDIN_ITEM = InputItem(STDIN, None, None, Path("stdin"))


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
    them. Files named directly are taken whatever their suffix. A nonexistent path, an
    unreadable folder, a broken symbolic link or a symlink loop is an error in the second
    list, and the rest goes on. ``files_from`` is a file or "-" (stdin) with one path per
    line, or NUL-separated when ``null_separated``; blank entries are ignored. A file
    reached twice (by a folder and by name, or through a symlink) is listed once.
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
        self._stdin = False

    def add(self, given: str) -> None:
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
            self.errors.append(SourceError(given, _missing_reason(path, exc)))
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
            reason = _os_reason(exc)
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
                    reason = _missing_reason(folder / entry.name, exc)
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
        name, whole = relative.name.lower(), relative.as_posix().lower()
        return any(fnmatchcase(whole if "/" in glob else name, glob) for glob in self.globs)

    def _add_file(self, item: InputItem, info: os.stat_result) -> None:
        identity = _identity(info)
        if identity not in self._files:
            self._files.add(identity)
            self.items.append(item)


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
        errors.append(SourceError(label, _os_reason(exc)))
        return []
    data = data.removeprefix(codecs.BOM_UTF8)
    if null_separated:
        entries = data.split(b"\0")
    else:
        entries = [line.removesuffix(b"\r") for line in data.split(b"\n")]
    # Paths are bytes to the OS: undecodable names survive as surrogate escapes.
    return [os.fsdecode(entry) for entry in entries if entry.strip()]


def _missing_reason(path: Path, exc: OSError) -> str:
    """Why a path named on the command line, or found in a folder, cannot be opened."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if path.is_symlink():
            return f"broken symbolic link (to {os.readlink(path)}, which does not exist)"
        return "no such file or folder"
    return _os_reason(exc)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    return f"cannot be read ({exc.strerror or exc})"


# -- reading one input --------------------------------------------------------------------


def read_item(
    item: InputItem,
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Document:
    """Read and decode one input into a Document, or raise a :class:`SourceError`.

    The error is one line naming the input and the reason: missing or unreadable, a folder
    or other non-file, empty or whitespace only, binary, over ``max_bytes``, undecodable
    (with a hint to use --encoding), or a web page with no article in it. The Document's
    metadata says what reading learnt: "encoding" (e.g. "utf-8", "utf-8-sig", "utf-16",
    "cp1252"), "format" ("text" or "html") and, for a web page with one, "title".
    """
    if item.path is None:
        data = _read_stream(stdin if stdin is not None else sys.stdin.buffer, item, max_bytes)
        html = False
    else:
        data = _read_file(item.path, item.source, max_bytes, pipes=item.root is None)
        html = item.path.suffix.lower() in HTML_SUFFIXES
    return document_from_bytes(data, item.source, encoding=encoding, html=html)


def read_document(source: str, stdin: BinaryIO | None = None) -> Document:
    """Read one article from a path, or from stdin when ``source`` is "-"."""
    if source == STDIN:
        return read_item(STDIN_ITEM, stdin=stdin)
    path = Path(source)
    return read_item(InputItem(source, path, None, Path(path.name)), stdin=stdin)


def document_from_bytes(
    data: bytes, source: str, *, encoding: str | None = None, html: bool = False
) -> Document:
    """A Document from a file's bytes; ``html`` (or content that starts like a web page)
    extracts the article from the page."""
    if not data:
        raise SourceError(source, "the article is empty (0 bytes)")
    head = data[:1024].removeprefix(codecs.BOM_UTF8).decode("latin-1")
    declared = declared_charset(data) if html or starts_like_html(head) else None
    text, used = decode(data, source, encoding=encoding, declared=declared)
    if not text.strip():
        raise SourceError(source, "the article is empty (only whitespace)")
    metadata: dict[str, Any] = {"encoding": used, "format": "text"}
    # A .html file with no markup at all is plain text that was given the wrong name.
    if starts_like_html(text[:1024]) or (html and MARKUP.search(text)):
        text, title = _extract_article(text, source)
        metadata["format"] = "html"
        if title:
            metadata["title"] = title
    return Document(source=source, text=text, metadata=metadata)


def _read_file(path: Path, source: str, max_bytes: int, *, pipes: bool) -> bytes:
    """The bytes of a file; ``pipes`` also reads named pipes and devices (``<(cmd)``,
    /dev/stdin), which only a file named on the command line may be."""
    # O_NONBLOCK: opening a named pipe must not wait for a writer before it is looked at.
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError as exc:
        raise SourceError(source, "is a folder, not a file") from exc
    except OSError as exc:
        raise SourceError(source, _missing_reason(path, exc)) from exc
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(source, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            if not pipes:
                kind = _file_kind(info.st_mode)
                raise SourceError(source, f"is not a regular file ({kind}); name it to read it")
            os.close(descriptor)
            descriptor = -1
            descriptor = os.open(path, flags)  # now waiting for a writer is what was asked
        elif info.st_size > max_bytes:
            raise _too_big(source, max_bytes, info.st_size)
        chunks = []
        left = max_bytes + 1  # one byte more than allowed tells that there is more
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise SourceError(source, _os_reason(exc)) from exc
    finally:
        if descriptor >= 0:
            os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise _too_big(source, max_bytes)
    return data


def _read_stream(stream: BinaryIO, item: InputItem, max_bytes: int) -> bytes:
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError(item.source, _os_reason(exc)) from exc
    if isinstance(data, str):  # a text stream handed in by mistake: be forgiving
        data = data.encode("utf-8", "surrogateescape")
    if len(data) > max_bytes:
        raise _too_big(item.source, max_bytes)
    return data


def _too_big(source: str, max_bytes: int, size: int | None = None, what: str = "") -> SourceError:
    """ "is 3.1 MB, over the size limit of 2.0 MB (raise the limit with --max-size)"."""
    limit = _size(max_bytes)
    if size is None:
        reason = f"{what or 'is'} over the size limit of {limit}"
    elif _size(size) != limit:
        reason = f"is {_size(size)}, over the size limit of {limit}"
    else:
        reason = f"is {size:,} bytes, over the size limit of {max_bytes:,} bytes"
    return SourceError(source, reason, hint="raise the limit with --max-size")


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / (1024 * 1024):.1f} MB"


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a plain file"


# -- web pages ----------------------------------------------------------------------------


def _extract_article(html: str, source: str) -> tuple[str, str | None]:
    """The article body of a saved web page (paragraphs on their own lines) and its title."""
    import trafilatura  # slow to import (lxml, dateparser): only when a page is read

    _quiet_loggers()

    try:
        extracted = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
            with_metadata=True,
        )
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken pages
        raise SourceError(source, f"the web page cannot be parsed ({exc})") from exc
    text = getattr(extracted, "text", None) or ""
    title = _one_line(getattr(extracted, "title", None) or "") or None
    lines = [_one_line(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and title and lines[0].casefold() == title.casefold():
        lines = lines[1:]  # the headline: it is the title, not a paragraph of the body
    if not lines:
        raise SourceError(
            source,
            "no article text found in the web page",
            hint="pages that load their text with JavaScript are saved without it; "
            "copy the article into a .txt file",
        )
    return "\n".join(lines), title


def _quiet_loggers() -> None:
    """Keep the extractors' own log lines ("empty HTML tree") off stderr: a page that
    yields nothing is reported once, by us. An application that configures logging
    still gets them."""
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logger = logging.getLogger(name)
        if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
            logger.addHandler(logging.NullHandler())


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- JSON lines ---------------------------------------------------------------------------

_SKIP_CHUNK = 1 << 16
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_jsonl(
    stream: BinaryIO | TextIO, *, source: str = STDIN, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | InputError]:
    """Read one JSON object per line, ``{"id": ..., "text": ...}``, as Documents.

    ``id`` is optional; other keys are kept in the metadata under "input". A Document's
    source is its id (as a string) or else "SOURCE:LINE", and its metadata has "id" (the
    original value, None when absent) and "line". A bad line (not JSON, not an object, no
    or empty "text", too long) yields a :class:`SourceError` with its line number; blank
    lines are skipped, and reading never stops at a bad line.
    """
    number = 0
    first = True
    while True:
        try:
            line = stream.readline(max_bytes + 1)
        except (OSError, UnicodeDecodeError) as exc:
            yield SourceError(source, f"reading stopped: {exc}", line=number + 1)
            return
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not _ends_line(line):
            _skip_line(stream)
            error = _too_big(source, max_bytes, what="the line is")
            yield SourceError(source, error.reason, error.hint, line=number)
            continue
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if first else "utf-8")
            except UnicodeDecodeError as exc:
                first = False
                yield SourceError(source, f"not UTF-8 (byte {exc.start})", line=number)
                continue
        elif first:
            line = line.removeprefix("\ufeff")
        first = False
        if line.strip():
            yield _jsonl_document(line, source, number)


def _skip_line(stream: BinaryIO | TextIO) -> None:
    while True:
        rest = stream.readline(_SKIP_CHUNK)
        if not rest or _ends_line(rest):
            return


def _ends_line(line: bytes | str) -> bool:
    return line.endswith(b"\n") if isinstance(line, bytes) else line.endswith("\n")


def _jsonl_document(line: str, source: str, number: int) -> Document | SourceError:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return SourceError(source, f"not valid JSON ({exc.msg}, column {exc.colno})", line=number)
    except (ValueError, RecursionError) as exc:  # huge numbers, deep nesting
        return SourceError(source, f"not usable JSON ({exc})", line=number)
    if not isinstance(value, dict):
        return SourceError(
            source,
            f'expected an object like {{"id": ..., "text": ...}}, got {_json_type(value)}',
            line=number,
        )
    key = value.get("id")
    if "text" not in value:
        return SourceError(source, 'the object has no "text"', line=number, id=key)
    text = value["text"]
    if not isinstance(text, str):
        return SourceError(
            source, f'"text" must be a string, not {_json_type(text)}', line=number, id=key
        )
    if _SURROGATE.search(text):
        return SourceError(
            source, '"text" has an unpaired surrogate (broken UTF-16 escape)', line=number, id=key
        )
    text = LINE_BREAKS.sub("\n", text).translate(DROPPED_CONTROLS)
    if not text.strip():
        return SourceError(source, '"text" is empty', line=number, id=key)
    name = _id_string(key) or f"{source}:{number}"
    metadata: dict[str, Any] = {"id": key, "line": number}
    rest = {k: v for k, v in value.items() if k not in ("id", "text")}
    if rest:
        metadata["input"] = rest
    return Document(source=name, text=text, metadata=metadata)


def _id_string(key: Any) -> str:
    if key is None:
        return ""
    text = key if isinstance(key, str) else json.dumps(key, ensure_ascii=False)
    # An id is shown in messages and file names: no line breaks, no lone surrogates.
    return _one_line(text.encode("utf-8", "replace").decode("utf-8"))


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)
