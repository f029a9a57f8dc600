"""The resume state of an output folder: which result was written from which input text,
with which settings, so that a rerun skips what is still current.

It is an append-only JSON Lines file, ``.ringkas-state.jsonl``, in the output folder, read
and appended without following links, and read only when it is a regular file of sensible
size. Damage never stops a job: a line that is cut (even inside a UTF-8 character), not
JSON, or not an entry is ignored, so its input is simply redone.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from typing import Any

from ringkas.errors import RingkasError, UsageError
from ringkas.limits import size_text
from ringkas.outputs.files import CLOEXEC, NOFOLLOW, Folder, read_all

STATE_FILE = ".ringkas-state.jsonl"
# About 300 bytes an entry: room for some 200,000 results, far beyond any one folder's job.
STATE_LIMIT = 64 * 1024 * 1024
RESULT_LIMIT = 256 * 1024 * 1024  # a result larger than this is not ours: redo it
_FIELDS = ("output", "input_sha256", "settings", "output_sha256")


def fingerprint(settings: dict[str, Any]) -> str:
    """A short hash of the settings that shape a result: resume redoes an article when
    they change."""
    text = json.dumps(settings, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def make_entry(
    relative: str, source: str, input_hash: str, settings_hash: str, data: bytes
) -> dict[str, Any]:
    """The state's entry for ``data`` written at ``relative`` from ``source``."""
    return {
        "output": relative,
        "source": source,
        "input_sha256": input_hash,
        "settings": settings_hash,
        "output_sha256": hashlib.sha256(data).hexdigest(),
    }


def entry_line(entry: dict[str, Any]) -> str:
    # ASCII escapes keep names that are not UTF-8 (surrogate escapes) intact.
    return json.dumps(entry, ensure_ascii=True) + "\n"


def read_entries(data: bytes) -> dict[str, dict[str, Any]]:
    """The entries of a state's bytes, by output (the last one wins); damaged lines are
    ignored, so their inputs are simply redone."""
    entries: dict[str, dict[str, Any]] = {}
    for line in data.split(b"\n"):
        entry = _entry(line) if line.strip() else None
        if entry is not None:
            entries[entry["output"]] = entry
    return entries


def _entry(line: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in _FIELDS):
        return None
    return entry


class LoggedResults:
    """What a resume state tells, local (:class:`StateLog`) or remote: whether a result is
    still what was written from its input. ``entries`` are its entries by output, and
    :meth:`_output_hash` hashes a result as it is now."""

    entries: dict[str, dict[str, Any]]

    def _output_hash(self, relative: str) -> str | None:
        """The SHA-256 of the result at ``relative`` as it is now (None: not there)."""
        raise NotImplementedError

    def is_current(self, relative: str, input_hash: str, settings_hash: str) -> bool:
        """Whether the result at ``relative`` (below the output folder, with "/") is still
        what was written from this input text with these settings."""
        return input_hash == self.current_input(relative, settings_hash)

    def current_input(self, relative: str, settings_hash: str) -> str | None:
        """The input hash logged for the result at ``relative`` if that result is still
        what was written, with these settings: an input that still has this hash is done
        (None: redo it, whatever the input)."""
        entry = self.entries.get(relative)
        if not entry or entry["settings"] != settings_hash:
            return None
        if self._output_hash(relative) != entry["output_sha256"]:
            return None
        logged = entry["input_sha256"]
        return logged if isinstance(logged, str) else None


class StateLog(LoggedResults):
    """An append-only log in the output folder of what was written from which input, with
    which settings; rerunning a job skips inputs whose output is still what was logged."""

    def __init__(self, folder: Folder) -> None:
        self.folder = folder
        self.shown = folder.shown / STATE_FILE
        self._fd = -1
        data = self._read()
        self.entries = read_entries(data)
        self._ends_line = not data or data.endswith(b"\n")

    def _refuse(self, what: str) -> UsageError:
        return UsageError(f"the resume state {self.shown} is {what}", hint="move it away")

    def _read(self) -> bytes:
        flags = os.O_RDONLY | NOFOLLOW | os.O_NONBLOCK | CLOEXEC
        try:
            descriptor = os.open(STATE_FILE, flags, dir_fd=self.folder.fd)
        except FileNotFoundError:
            return b""
        except OSError as exc:
            if self.folder.kind(STATE_FILE) == "link":
                raise self._refuse("a symbolic link; ringkas writes nothing through links") from exc
            raise self._refuse(f"unreadable ({exc.strerror or exc})") from exc
        try:
            info = os.fstat(descriptor)
            if stat.S_ISDIR(info.st_mode):
                raise self._refuse("a folder")
            if not stat.S_ISREG(info.st_mode):
                raise self._refuse("not a regular file")
            if info.st_size > STATE_LIMIT:
                raise self._refuse(
                    f"{size_text(info.st_size)}, more than ringkas writes "
                    f"({size_text(STATE_LIMIT)} at most)"
                )
            data = read_all(descriptor, STATE_LIMIT)
        except OSError as exc:
            raise self._refuse(f"unreadable ({exc.strerror or exc})") from exc
        finally:
            os.close(descriptor)
        return data[:STATE_LIMIT]

    def _output_hash(self, relative: str) -> str | None:
        *folders, name = relative.split("/")
        try:
            with self.folder.below(folders, create=False) as where:
                data = where.read(name, RESULT_LIMIT)
        except (OSError, RingkasError):  # missing, or a link or file in the way: redo it
            return None
        return hashlib.sha256(data).hexdigest() if data is not None else None

    def record(
        self, relative: str, source: str, input_hash: str, settings_hash: str, data: bytes
    ) -> None:
        """Log that ``data`` was written at ``relative``; raises OSError when it cannot."""
        entry = make_entry(relative, source, input_hash, settings_hash, data)
        line = entry_line(entry)
        if self._fd < 0:
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | NOFOLLOW | CLOEXEC
            self._fd = os.open(STATE_FILE, flags, 0o666, dir_fd=self.folder.fd)
            if not stat.S_ISREG(os.fstat(self._fd).st_mode):
                os.close(self._fd)
                self._fd = -1
                raise OSError("the resume state is not a regular file")
        if not self._ends_line:  # a line cut by a kill: the new entry starts a line of its own
            line = "\n" + line
        payload = line.encode("ascii")
        self._ends_line = False  # until the whole line is known to be there
        written = os.write(self._fd, payload)
        if written != len(payload):
            raise OSError(f"the resume state took only {written} of {len(payload)} bytes")
        os.fsync(self._fd)
        self._ends_line = True
        self.entries[relative] = entry

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
