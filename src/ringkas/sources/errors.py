"""What can go wrong with one input, said in one line that names it (and the fix)."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import Any, BinaryIO

from ringkas.errors import InputError
from ringkas.limits import size_text

STDIN = "-"


class SourceError(InputError):
    """A problem with one input: the message names it (and the line, for JSON lines)."""

    def __init__(
        self,
        source: str,
        reason: str,
        hint: str | None = None,
        *,
        line: int | None = None,
        id: Any = None,
    ) -> None:
        where = input_label(source) if line is None else f"{input_label(source)}:{line}"
        super().__init__(f"{where}: {reason}", hint, source=source)
        self.reason = reason
        self.line = line
        self.id = id


def standard_input() -> BinaryIO:
    """stdin's bytes, or the input error that it is closed (``<&-``): nothing to read."""
    if sys.stdin is None:
        raise SourceError(
            STDIN, "closed: there is nothing to read", hint="pipe the article in, or name a file"
        )
    return sys.stdin.buffer


def input_label(source: str) -> str:
    """How an input is named in messages: "stdin" for "-"."""
    return "stdin" if source == STDIN else source


def missing_reason(path: Path, exc: OSError) -> str:
    """Why a path named on the command line, or found in a folder, cannot be opened."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if path.is_symlink():
            return f"broken symbolic link (to {os.readlink(path)}, which does not exist)"
        return "no such file or folder"
    return os_reason(exc)


def os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    return f"cannot be read ({exc.strerror or exc})"


def too_big(source: str, max_bytes: int, size: int | None = None, what: str = "") -> SourceError:
    """ "is 3.1 MB, over the size limit of 2.0 MB (raise the limit with --max-size)"."""
    limit = size_text(max_bytes, mb_decimals=1)
    if size is None:
        reason = f"{what or 'is'} over the size limit of {limit}"
    elif size_text(size, mb_decimals=1) != limit:
        reason = f"is {size_text(size, mb_decimals=1)}, over the size limit of {limit}"
    else:
        reason = f"is {size:,} bytes, over the size limit of {max_bytes:,} bytes"
    return SourceError(source, reason, hint="raise the limit with --max-size")


def file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a plain file"
