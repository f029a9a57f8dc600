"""The one way ringkas writes a file: atomically, and never through a symbolic link.

A :class:`Folder` is a folder held open by its descriptor. The folder the user named (an
output folder, or the folder of ``-o FILE``) is opened as named, links and all: that is the
user's choice. Below it, every folder is opened with ``ONOFOLLOW``, one name at a time,
so a symbolic link or a file planted inside the output folder can never redirect a write;
folders that are missing are created as real folders. A file is written to a temporary file
in its folder (a short name: ``.ringkas-PID-RANDOM.tmp``, so a result name that fits the
filesystem still fits while it is being written), flushed to disk, then renamed over the
target, which must not be a folder or a link. Whatever goes wrong, the temporary file is
removed; one left by a killed process is swept by the next run (:meth:`Folder.sweep`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from ringkas.errors import InputError, RingkasError

CLOEXEC = getattr(os, "O_CLOEXEC", 0)
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_FOLDER_FLAGS = os.O_RDONLY | _DIRECTORY | NOFOLLOW | CLOEXEC
_TEMP = re.compile(r"^\.ringkas-(\d+)-\w+\.tmp$")
_RANDOM = re.compile(r"^\w+$")


class OutputError(InputError):
    """A result (or the report) could not be written: one input's failure, with the reason."""


class NotARealFolder(RingkasError):
    """A path inside the output folder is a symbolic link or a file where a folder must go."""


def temp_name() -> str:
    """A fresh temporary file name: short, unpredictable, and telling which process made it."""
    return f".ringkas-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def os_reason(exc: OSError) -> str:
    """Why a write failed, in words a user can act on."""
    reasons = {
        errno.ENOSPC: "no space left on the disk",
        errno.EDQUOT: "disk quota exceeded",
        errno.ENAMETOOLONG: "the file name is too long for the filesystem",
        errno.EROFS: "the filesystem is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EISDIR: "a folder is in the way",
        errno.ENOTDIR: "a file is where a folder must be",
        errno.ELOOP: "a symbolic link is in the way",
        errno.EIO: "input/output error",
        errno.EFBIG: "the file is too large for the filesystem",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, and belongs to someone else
        return True
    return True


class Temp:
    """A temporary file being written: its name (empty once renamed or removed) and its
    descriptor (-1 once closed, so that it is closed exactly once)."""

    def __init__(self, name: str, fd: int) -> None:
        self.name = name
        self.fd = fd

    def close(self) -> None:
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            os.close(fd)


class Folder:
    """A real folder, held open; every name below it is looked up without following links."""

    def __init__(self, fd: int, shown: Path) -> None:
        self.fd = fd
        self.shown = shown  # for messages: the path as the user would write it

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Folder:
        """The folder the user named, created (with its parents) if missing."""
        if create:
            os.makedirs(path, exist_ok=True)
        return cls(os.open(path, os.O_RDONLY | _DIRECTORY | CLOEXEC), path)

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def below(self, parts: Iterable[str], *, create: bool) -> Folder:
        """The folder ``parts`` below this one, each a real folder (created when missing and
        ``create``); raises :class:`NotARealFolder` for a link or a file in the way, and
        FileNotFoundError when one is missing and not ``create``."""
        fd = os.dup(self.fd)
        shown = self.shown
        try:
            for part in parts:
                shown = shown / part
                try:
                    child = os.open(part, _FOLDER_FLAGS, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        raise
                    # Made meanwhile (another run)? Then it is checked as any other, below.
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(part, 0o777, dir_fd=fd)
                    child = os.open(part, _FOLDER_FLAGS, dir_fd=fd)
                except OSError as exc:
                    if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                        raise NotARealFolder(_not_a_folder(fd, part, shown)) from exc
                    raise
                os.close(fd)
                fd = child
        except BaseException:
            os.close(fd)
            raise
        return Folder(fd, shown)

    def kind(self, name: str) -> str | None:
        """What ``name`` is here, without following a link: "file", "folder", "link",
        "other", or None when there is nothing."""
        try:
            info = os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        return _kind(info.st_mode)

    def write(self, name: str, data: bytes) -> None:
        """Write ``name`` atomically: a temporary file, flushed, renamed over the target.
        Raises OSError (EISDIR, ELOOP when a folder or link has taken the target's place)."""
        temp = self.create_temp()
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(temp.fd, view) :]
            self.commit(temp, name)
        except BaseException:
            self.discard(temp)
            raise

    def create_temp(self) -> Temp:
        """A new temporary file here, open for writing."""
        while True:
            name = temp_name()
            try:
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC
                # 0o666 less the umask: the mode a plain write would give the result.
                return Temp(name, os.open(name, flags, 0o666, dir_fd=self.fd))
            except FileExistsError:
                continue

    def commit(self, temp: Temp, name: str) -> None:
        """Flush a temporary file to disk and rename it to ``name``."""
        os.fsync(temp.fd)
        temp.close()
        found = self.kind(name)
        if found == "folder":
            raise IsADirectoryError(errno.EISDIR, "a folder is in the way", name)
        if found == "link":
            raise OSError(errno.ELOOP, "a symbolic link is in the way", name)
        os.rename(temp.name, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        temp.name = ""

    def discard(self, temp: Temp) -> None:
        """Remove a temporary file that was not renamed (closing it if still open)."""
        temp.close()
        if temp.name:
            with contextlib.suppress(OSError):  # gone already
                os.unlink(temp.name, dir_fd=self.fd)
            temp.name = ""

    def read(self, name: str, limit: int) -> bytes | None:
        """The bytes of a regular file here (not through a link), or None when it is not
        there, not a regular file, or over ``limit`` bytes."""
        try:
            descriptor = os.open(name, os.O_RDONLY | NOFOLLOW | os.O_NONBLOCK | CLOEXEC,
                                 dir_fd=self.fd)  # fmt: skip
        except OSError:
            return None
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            return read_all(descriptor, limit)
        except OSError:
            return None
        finally:
            os.close(descriptor)

    def sweep(self, legacy: Iterable[str] = ()) -> None:
        """Remove the temporary files that runs which are gone left here (never those of
        a run still going), and those older versions left beside the results ``legacy``
        (``.NAME.RANDOM.tmp``)."""
        prefixes = tuple(f".{name}." for name in legacy)
        try:
            with os.scandir(self.fd) as listing:
                entries = [entry.name for entry in listing if entry.is_file(follow_symlinks=False)]
        except OSError:
            return
        for entry in entries:
            match = _TEMP.match(entry)
            stale = match is not None and not _alive(int(match.group(1)))
            if not stale and prefixes and entry.endswith(".tmp"):
                middle = next((entry[len(p) : -4] for p in prefixes if entry.startswith(p)), "")
                stale = bool(_RANDOM.match(middle))
            if stale:
                with contextlib.suppress(OSError):
                    os.unlink(entry, dir_fd=self.fd)


def read_all(descriptor: int, limit: int) -> bytes:
    chunks = []
    left = limit + 1
    while left > 0:
        chunk = os.read(descriptor, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    return "other"


def _not_a_folder(parent: int, name: str, shown: Path) -> str:
    try:
        info = os.stat(name, dir_fd=parent, follow_symlinks=False)
        kinds = {"link": "a symbolic link", "file": "a file"}
        what = kinds.get(_kind(info.st_mode), "not a folder")
    except OSError:
        what = "not a folder"
    return f"{shown} is {what}; ringkas writes only into real folders inside the output folder"
