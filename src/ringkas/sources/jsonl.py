"""Read JSON Lines input: one ``{"id": ..., "text": ...}`` object per line, each a Document
or a :class:`SourceError` with its line number; reading never stops at a bad line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO, TextIO

from ringkas.errors import InputError
from ringkas.limits import MAX_SKIPPED_LINE_BYTES, size_text
from ringkas.pipeline import Document
from ringkas.sources.decoding import DROPPED_CONTROLS, LINE_BREAKS
from ringkas.sources.errors import STDIN, SourceError, too_big
from ringkas.sources.html import one_line
from ringkas.sources.read import DEFAULT_MAX_BYTES

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
            error = too_big(source, max_bytes, what="the line is")
            if not _skip_line(stream):  # no line end for too long (/dev/zero): give up
                reason = f"{error.reason}, with no line end in {size_text(MAX_SKIPPED_LINE_BYTES)}"
                yield SourceError(source, f"{reason}; reading stopped", line=number)
                return
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


def _skip_line(stream: BinaryIO | TextIO) -> bool:
    """Read past the rest of a line; False when it does not end within the bound."""
    skipped = 0
    while skipped < MAX_SKIPPED_LINE_BYTES:
        rest = stream.readline(_SKIP_CHUNK)
        if not rest or _ends_line(rest):
            return True
        skipped += len(rest)
    return False


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
    return one_line(text.encode("utf-8", "replace").decode("utf-8"))


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)
