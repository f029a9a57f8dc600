"""Read articles from files and stdin into Documents."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from ringkas.errors import InputError
from ringkas.pipeline import Document

STDIN = "-"


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 text (a byte-order mark is dropped) or fail with a clear reason."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{source}: looks like a binary file, not text")
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid UTF-8 text (byte {exc.start})",
            hint="convert it to UTF-8 first, e.g. iconv -f WINDOWS-1252 -t UTF-8",
        ) from exc


def read_document(source: str, stdin: BinaryIO | None = None) -> Document:
    """Read one article from a path, or from stdin when ``source`` is '-'."""
    if source == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read()
    else:
        path = Path(source)
        try:
            if path.is_dir():
                raise InputError(f"{source}: is a folder; pass the article files inside it")
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise InputError(f"{source}: no such file") from exc
        except PermissionError as exc:
            raise InputError(f"{source}: permission denied") from exc
        except OSError as exc:
            raise InputError(f"{source}: cannot be read ({exc.strerror or exc})") from exc
    text = decode(data, source)
    if not text.strip():
        raise InputError(f"{source}: the article is empty")
    return Document(source=source, text=text)
