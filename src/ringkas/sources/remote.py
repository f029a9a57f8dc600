"""Files and folders on a filesystem that pyarrow knows: object stores (``s3://``, ``gs://``),
``abfs://``, ``hdfs://``; found and read like local ones, and written by
:mod:`ringkas.outputs.remote`.

A :class:`Uri` names one place there. Which filesystem, its credentials, region and endpoint
are pyarrow's (its :meth:`pyarrow.fs.FileSystem.from_uri`): the environment
(``AWS_ACCESS_KEY_ID``, ``AWS_PROFILE``, ``AWS_ENDPOINT_URL``...), config files, instance
metadata. pyarrow is imported only when a Uri is used; it comes with ``ringkas[ray]``.
``file://`` is not here: such a URI is a local path (:func:`location`), with every check of a
local one. An http(s) address is a web link (:mod:`ringkas.sources.urls`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from ringkas.errors import UsageError
from ringkas.sources.errors import SourceError, too_big

__all__ = [
    "EXTRA",
    "Uri",
    "is_remote",
    "location",
    "read",
    "reason",
    "walk",
]

EXTRA = "pip install 'ringkas[ray]'"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_WEB = ("http", "https")
_OBJECT_STORES = ("s3", "gcs")  # no folders: an object is written whole, at its key
_REQUEST_ID = re.compile(r"\s*\(Request ID: [^)]*\)")


def _scheme(text: str) -> str | None:
    match = _SCHEME.match(text)
    return match.group(1).lower() if match else None


def is_remote(text: str) -> bool:
    """Whether ``text`` names a place on a filesystem pyarrow knows (``s3://bucket/key``):
    a ``scheme://`` that is not a web link and not ``file://``."""
    scheme = _scheme(text)
    return scheme is not None and scheme not in (*_WEB, "file")


def location(text: str) -> Path | Uri:
    """Where an output option points: a :class:`Uri` on a remote filesystem, else a local
    path (a ``file://`` URI is one too)."""
    if is_remote(text):
        return Uri(text)
    if _scheme(text) == "file":
        return Path(file_path(text))
    return Path(text)


def file_path(text: str) -> str:
    """The local path of a ``file://`` URI (``file:///tmp/a b.txt`` -> ``/tmp/a b.txt``)."""
    parts = urlsplit(text)
    if parts.netloc not in ("", "localhost"):
        raise UsageError(
            f"{text}: a file:// URI names a file on this machine (file:///path)",
            hint="mount the other machine's folder, or use its filesystem's scheme",
        )
    return unquote(parts.path) or "/"


def reason(exc: BaseException) -> str:
    """What went wrong on a remote filesystem, in one line (no AWS request ids)."""
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return _REQUEST_ID.sub("", line)


def pyarrow_fs(uri: str) -> Any:
    """``pyarrow.fs``, or a UsageError (exit 2) naming the extra that brings it."""
    try:
        from pyarrow import fs
    except ImportError:
        scheme = _scheme(uri) or "a filesystem URI"
        raise UsageError(
            f"{uri}: {scheme}:// needs pyarrow, which is not installed ({EXTRA})"
        ) from None
    return fs


def arrow_failures() -> tuple[type[BaseException], ...]:
    """What pyarrow's filesystems raise besides OSError: ArrowInvalid (a ValueError), a
    missing feature (ArrowNotImplementedError) and the bare ArrowException of an "unknown
    error" (an Azure sign-in that fails, say)."""
    try:
        from pyarrow.lib import ArrowException
    except ImportError:
        return (ValueError,)
    return (ValueError, ArrowException)


@contextmanager
def os_errors() -> Iterator[None]:
    """Around a call to a pyarrow filesystem: whatever pyarrow raises is an OSError (with
    its one-line reason), so that callers handle one kind of failure."""
    try:
        yield
    except OSError:
        raise
    except arrow_failures() as exc:
        raise OSError(reason(exc)) from exc


@lru_cache(maxsize=64)
def _filesystem(root: str) -> tuple[Any, str]:
    """The pyarrow filesystem of ``scheme://authority/`` and the path of its root, made
    once (for S3 that asks for the bucket's region). Raises OSError when it cannot be."""
    fs = pyarrow_fs(root)
    with os_errors():
        return fs.FileSystem.from_uri(root)


def _no_filesystem(uri: str, exc: OSError) -> UsageError:
    why = reason(exc)
    if why.startswith("Unrecognized filesystem type"):
        return UsageError(
            f"{uri}: {_scheme(uri)}:// is not a filesystem that pyarrow knows",
            hint="s3://, gs://, abfs:// and hdfs:// are; or give a local path",
        )
    return UsageError(f"{uri}: its filesystem cannot be opened ({why})")


@dataclass(frozen=True)
class Uri:
    """A file or folder on a filesystem pyarrow knows, as the user wrote it."""

    text: str

    def __str__(self) -> str:
        return self.text

    def open(self) -> tuple[Any, str]:
        """Its pyarrow filesystem and its path there; raises a :class:`UsageError` (exit 2)
        when pyarrow is missing or knows no such filesystem."""
        try:
            parts = urlsplit(self.text)
        except ValueError as exc:  # "s3://[bucket/key": an unclosed IPv6 address
            raise UsageError(f"{self.text}: not a valid URI ({exc})") from None
        root = f"{parts.scheme}://{parts.netloc}/" + (f"?{parts.query}" if parts.query else "")
        try:
            filesystem, base = _filesystem(root)
        except OSError as exc:
            raise _no_filesystem(self.text, exc) from exc
        # Taken as written, as `aws s3` does: "s3://b/a b.txt" is the key "a b.txt".
        below = parts.path.strip("/")
        if not below:
            return filesystem, base
        if not base:  # a filesystem whose paths have no root (mock://)
            return filesystem, below
        return filesystem, f"{base.rstrip('/')}/{below}"

    @property
    def key(self) -> str:
        """The same place however it is spelt (a trailing slash, gs:// or gcs://): for
        telling whether two URIs name one file or one is inside the other."""
        filesystem, path = self.open()
        return f"{filesystem.type_name}:{path.rstrip('/')}"

    @property
    def object_store(self) -> bool:
        return bool(self.open()[0].type_name in _OBJECT_STORES)

    def join(self, relative: str) -> Uri:
        """The place ``relative`` (with "/") below this folder."""
        parts = urlsplit(self.text)
        path = parts.path.rstrip("/") + "/" + relative
        query = f"?{parts.query}" if parts.query else ""
        return Uri(f"{parts.scheme}://{parts.netloc}{path}{query}")

    @property
    def bucket(self) -> str | None:
        """The bucket of an object store's URI (its first part), else None."""
        if not self.object_store:
            return None
        return self.open()[1].split("/", 1)[0] or None


def missing(uri: Uri) -> str:
    """Why nothing is at ``uri``: its bucket does not exist, or no such file or folder."""
    bucket = uri.bucket
    if bucket is not None:
        fs = pyarrow_fs(uri.text)
        filesystem, _ = uri.open()
        try:
            with os_errors():
                found = filesystem.get_file_info(bucket).type != fs.FileType.NotFound
        except OSError:
            found = True  # not ours to list: say what was asked
        if not found:
            return f"the bucket {bucket} does not exist"
    return "no such file or folder"


def walk(uri: Uri, matches: Callable[[PurePosixPath], bool]) -> tuple[bool, list[str]]:
    """What ``uri`` names: (False, [its name]) for a file; for a folder (True, the paths
    below it, with "/") of the files ``matches`` takes, walked recursively in sorted order
    without hidden entries. Raises a :class:`SourceError` when it is not there or cannot be
    listed."""
    fs = pyarrow_fs(uri.text)
    shown = uri.text
    filesystem, path = uri.open()
    try:
        with os_errors():
            info = filesystem.get_file_info(path)
        if info.type == fs.FileType.NotFound:
            raise SourceError(shown, missing(uri))
        if info.type != fs.FileType.Directory:
            return False, [PurePosixPath(path).name]
        with os_errors():
            listing = filesystem.get_file_info(fs.FileSelector(path, recursive=True))
    except OSError as exc:
        raise SourceError(shown, f"cannot be read ({reason(exc)})") from exc
    base = PurePosixPath(path)
    found: set[str] = set()
    for entry in listing:
        if entry.type != fs.FileType.File:
            continue
        relative = PurePosixPath(entry.path).relative_to(base)
        if any(part.startswith(".") for part in relative.parts) or not matches(relative):
            continue
        found.add(relative.as_posix())
    return True, sorted(found)


def read(uri: Uri, source: str, max_bytes: int) -> bytes:
    """The bytes of one file, refused over ``max_bytes``; a :class:`SourceError` when it
    cannot be read."""
    filesystem, path = uri.open()
    try:
        with os_errors(), filesystem.open_input_file(path) as stream:
            size = stream.size()
            if size > max_bytes:
                raise too_big(source, max_bytes, size)
            data: bytes = stream.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise SourceError(source, "no such file") from exc
    except IsADirectoryError as exc:
        raise SourceError(source, "is a folder, not a file") from exc
    except OSError as exc:
        raise SourceError(source, f"cannot be read ({reason(exc)})") from exc
    if len(data) > max_bytes:
        raise too_big(source, max_bytes)
    return data
