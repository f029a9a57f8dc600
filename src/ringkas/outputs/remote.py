"""Outputs on a filesystem that pyarrow knows (``s3://``, ``gs://``...): the writer and the
resume state of an output folder there, and the target of ``-o`` or ``--report``.

On an object store an object appears whole when its upload ends, or not at all, so a result
is written at its key; elsewhere (``hdfs://``, ``abfs://``) it is written to a temporary file
beside it and moved over the target, as locally. Object stores cannot append: the resume
state (the same ``.ringkas-state.jsonl`` as locally) is kept in memory and the object is
rewritten whole, holding every entry read at the start and every one since, at most every
few seconds while results come and at the end (:class:`RemoteState`). A job killed between
two saves loses no result: the ones not yet in the state are done again on the next run.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ringkas.errors import UsageError
from ringkas.limits import size_text
from ringkas.outputs.files import temp_name
from ringkas.outputs.state import (
    RESULT_LIMIT,
    STATE_FILE,
    STATE_LIMIT,
    LoggedResults,
    entry_line,
    make_entry,
    read_entries,
)
from ringkas.sources.remote import Uri, missing, os_errors, pyarrow_fs, reason

# Objects read (or hashed) at once when a job starts on an output folder that has results.
READERS = 16
# The state is saved at most this often while results come (and at the end), and never so
# often that saving it takes more than a tenth of the job (it grows with the job).
SAVE_INTERVAL = 5.0
SAVE_SHARE = 10


def _info(uri: Uri, what: str) -> tuple[Any, str, Any]:
    """The filesystem, path and file info of ``uri``, or a UsageError saying why not."""
    filesystem, path = uri.open()
    try:
        with os_errors():
            info = filesystem.get_file_info(path)
    except OSError as exc:
        raise UsageError(f"{what} {uri} cannot be used: {reason(exc)}") from exc
    fs = pyarrow_fs(uri.text)
    if info.type == fs.FileType.NotFound:
        why = missing(uri)
        if why != "no such file or folder":  # a missing bucket is never made
            raise UsageError(f"{what} {uri} cannot be used: {why}")
    return filesystem, path, info


@dataclass(frozen=True)
class RemoteFile:
    """Where ``-o`` or ``--report`` writes on a remote filesystem: a file written whole."""

    uri: Uri
    kind: str = "remote"

    @property
    def shown(self) -> str:
        return self.uri.text

    @property
    def key(self) -> str:
        return self.uri.key

    def write(self, data: bytes) -> None:
        """Write the whole file; raises OSError."""
        filesystem, path = self.uri.open()
        write_object(filesystem, path, data, object_store=self.uri.object_store)


def check_remote_file(uri: Uri, what: str) -> RemoteFile:
    """Where ``-o``/``--report`` URI writes, or a UsageError saying why it cannot."""
    _, _, info = _info(uri, what)
    fs = pyarrow_fs(uri.text)
    if info.type == fs.FileType.Directory:
        raise UsageError(f"{what} {uri} is a folder", hint="give a file name")
    return RemoteFile(uri)


def write_object(filesystem: Any, path: str, data: bytes, *, object_store: bool) -> None:
    """Write ``data`` at ``path`` whole: at once on an object store (the object appears when
    its upload ends), else through a temporary file moved over it. Raises OSError."""
    with os_errors():
        if object_store:
            with filesystem.open_output_stream(path) as stream:
                stream.write(data)
            return
        where = PurePosixPath(path).parent.as_posix()
        filesystem.create_dir(where, recursive=True)
        temp = f"{where.rstrip('/')}/{temp_name()}" if where not in ("", ".") else temp_name()
        try:
            with filesystem.open_output_stream(temp) as stream:
                stream.write(data)
            filesystem.move(temp, path)
        except BaseException:
            with suppress(OSError), os_errors():  # never made, or gone already
                filesystem.delete_file(temp)
            raise


@dataclass
class RemoteFolder:
    """An output folder on a remote filesystem, and what was in it when the job began (by
    path below it, with "/": "file", "folder", or both on an object store)."""

    uri: Uri
    found: dict[str, set[str]] = field(default_factory=dict)
    sizes: dict[str, int | None] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        return self.uri.text

    @classmethod
    def check(cls, uri: Uri, what: str = "the output folder") -> RemoteFolder:
        """The folder ``uri`` names, listed; a UsageError when it cannot be one."""
        filesystem, path, info = _info(uri, what)
        fs = pyarrow_fs(uri.text)
        if info.type == fs.FileType.File:
            raise UsageError(f"{what} {uri} is a file, not a folder")
        folder = cls(uri)
        if info.type != fs.FileType.Directory:
            return folder
        try:
            with os_errors():
                listing = filesystem.get_file_info(fs.FileSelector(path, recursive=True))
        except OSError as exc:
            raise UsageError(f"{what} {uri} cannot be listed: {reason(exc)}") from exc
        base = PurePosixPath(path)
        for entry in listing:
            relative = PurePosixPath(entry.path).relative_to(base).as_posix()
            kind = {fs.FileType.File: "file", fs.FileType.Directory: "folder"}.get(entry.type)
            if kind is not None:
                folder.found.setdefault(relative, set()).add(kind)
                folder.sizes[relative] = entry.size if kind == "file" else None
        return folder

    def kinds(self, relative: str) -> set[str]:
        return self.found.get(relative, set())

    def write(self, relative: str, data: bytes) -> None:
        """Write one file below the folder, whole; raises OSError."""
        filesystem, path = self.uri.join(relative).open()
        write_object(filesystem, path, data, object_store=self.uri.object_store)

    def read(self, relative: str, limit: int) -> bytes | None:
        """The bytes of a file below the folder, or None when it is not there, cannot be
        read or is over ``limit`` bytes."""
        filesystem, path = self.uri.join(relative).open()
        try:
            with os_errors(), filesystem.open_input_stream(path) as stream:
                data: bytes = stream.read(limit + 1)
        except OSError:
            return None
        return data if len(data) <= limit else None


class RemoteState(LoggedResults):
    """The resume state of a remote output folder (see the module): the entries of its
    ``.ringkas-state.jsonl``, kept in memory and saved whole.

    ``relatives`` are the results the job may skip: those that have an entry and are there
    are read at the start, :data:`READERS` at a time, to tell whether each is still what was
    written.
    """

    def __init__(self, folder: RemoteFolder, relatives: Iterable[str] = ()) -> None:
        self.folder = folder
        self.shown = folder.uri.join(STATE_FILE).text
        data = b""
        if "file" in folder.kinds(STATE_FILE):
            read = folder.read(STATE_FILE, STATE_LIMIT)
            if read is None:
                raise UsageError(
                    f"the resume state {self.shown} is unreadable", hint="move it away"
                )
            data = read
        self.entries = read_entries(data)
        self.unsaved = 0  # entries recorded since the last save
        self.failed: OSError | None = None  # the last save's failure, until one succeeds
        self._due = 0.0  # when the next save may be
        wanted = [r for r in relatives if r in self.entries and "file" in folder.kinds(r)]
        self._written: dict[str, str | None] = {}
        if wanted:
            with ThreadPoolExecutor(READERS, thread_name_prefix="ringkas-state") as pool:
                hashes = pool.map(self._hash, wanted)
                self._written = dict(zip(wanted, hashes, strict=True))

    def _hash(self, relative: str) -> str | None:
        data = self.folder.read(relative, RESULT_LIMIT)
        return hashlib.sha256(data).hexdigest() if data is not None else None

    def _output_hash(self, relative: str) -> str | None:
        # As read at the start, or as recorded since.
        return self._written.get(relative)

    def record(
        self, relative: str, source: str, input_hash: str, settings_hash: str, data: bytes
    ) -> None:
        """Log that ``data`` was written at ``relative``; saved with the next save. A save
        that fails here is tried again at the next one (and at :meth:`close`)."""
        entry = make_entry(relative, source, input_hash, settings_hash, data)
        self.entries.pop(relative, None)  # the newest last, as in the local log
        self.entries[relative] = entry
        self._written[relative] = entry["output_sha256"]
        self.unsaved += 1
        if time.monotonic() >= self._due:
            # A failure is kept in self.failed; every entry is still here for the next save.
            with suppress(OSError):
                self.save()

    def save(self) -> None:
        """Write the state object with every entry; raises OSError when it cannot."""
        if not self.unsaved:
            return
        started = time.monotonic()
        text = "".join(entry_line(entry) for entry in self.entries.values())
        try:
            self.folder.write(STATE_FILE, text.encode("ascii"))
        except OSError as exc:
            self.failed = exc
            self._due = time.monotonic() + SAVE_INTERVAL
            raise
        self.unsaved = 0
        self.failed = None
        took = time.monotonic() - started
        self._due = time.monotonic() + max(SAVE_INTERVAL, SAVE_SHARE * took)

    def close(self) -> None:
        """The last save; raises OSError when it cannot be written."""
        self.save()


def check_state(folder: RemoteFolder) -> None:
    """Refuse a resume state that is a folder or far too big (as for a local one)."""
    kinds = folder.kinds(STATE_FILE)
    shown = folder.uri.join(STATE_FILE).text
    if "folder" in kinds:
        raise UsageError(
            f"the resume state {shown} is a folder", hint="move it away, then run again"
        )
    size = folder.sizes.get(STATE_FILE)
    if size is not None and size > STATE_LIMIT:
        raise UsageError(
            f"the resume state {shown} is {size_text(size)}, more than ringkas writes "
            f"({size_text(STATE_LIMIT)} at most)",
            hint="move it away to start the job afresh",
        )
