"""Read one input into a :class:`~ringkas.pipeline.Document`: its bytes (with a size limit,
never waiting on a pipe found in a folder), decoded, and the article taken out of a web page.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
import time
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from ringkas.limits import TooLarge, read_stream_bounded
from ringkas.pipeline import Document
from ringkas.sources import remote
from ringkas.sources.decoding import MARKUP, declared_charset, decode, starts_like_html
from ringkas.sources.discover import STDIN_ITEM, InputItem, url_item
from ringkas.sources.errors import (
    STDIN,
    SourceError,
    file_kind,
    missing_reason,
    os_reason,
    standard_input,
    too_big,
)
from ringkas.sources.fetch import Fetcher, FetchOptions
from ringkas.sources.html import extract_article
from ringkas.sources.urls import is_url
from ringkas.sources.web import read_url

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


def read_item(
    item: InputItem,
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    fetcher: Fetcher | None = None,
) -> Document:
    """Read and decode one input into a Document, or raise a :class:`SourceError`.

    The error is one line naming the input and the reason: missing or unreadable, a folder
    or other non-file, empty or whitespace only, binary, over ``max_bytes``, undecodable
    (with a hint to use --encoding), or a web page with no article in it. The Document's
    metadata says what reading learnt: "encoding" (e.g. "utf-8", "utf-8-sig", "utf-16",
    "cp1252"), "format" ("text" or "html") and, for a web page, what the page says about its
    article: "title", "date", "author", "sitename". A link is fetched with ``fetcher`` (one
    that respects ``max_bytes`` is made when none is given) and read as
    :func:`~ringkas.sources.web.read_url` says, its metadata telling also "url", "final_url"
    and, for a feed's item, "feed".
    """
    if item.url is not None:
        if fetcher is None:
            with Fetcher(FetchOptions(max_bytes=max_bytes)) as own:
                return read_item(item, encoding=encoding, fetcher=own)
        document = read_url(item.url, fetcher, encoding=encoding, source=item.source)
        if item.feed is not None:
            document.metadata["feed"] = item.feed
        return document
    start = time.perf_counter()
    data, html = read_bytes(item, max_bytes=max_bytes, stdin=stdin)
    document = document_from_bytes(data, item.source, encoding=encoding, html=html)
    document.seconds["read"] = time.perf_counter() - start
    return document


def read_bytes(
    item: InputItem, *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None
) -> tuple[bytes, bool]:
    """The bytes of a file or stdin, and whether it is named as a web page; what cannot be
    read (missing, a folder, over ``max_bytes``...) raises a :class:`SourceError`. Decoding
    them is :func:`document_from_bytes` (a Ray job reads here and decodes in its actors).
    A link is read whole by :func:`read_item`."""
    if item.uri is not None:
        data = remote.read(item.uri, item.source, max_bytes)
        return data, item.relative.suffix.lower() in HTML_SUFFIXES
    if item.path is None:
        data = _read_stream(stdin if stdin is not None else standard_input(), item, max_bytes)
        return data, False
    data = _read_file(item.path, item.source, max_bytes, pipes=item.root is None)
    return data, item.path.suffix.lower() in HTML_SUFFIXES


def read_document(
    source: str, stdin: BinaryIO | None = None, *, fetcher: Fetcher | None = None
) -> Document:
    """Read one article from a path, a link, or stdin when ``source`` is "-"."""
    if source == STDIN:
        return read_item(STDIN_ITEM, stdin=stdin)
    if is_url(source):
        return read_item(url_item(source), fetcher=fetcher)
    if remote.is_remote(source):
        name = PurePosixPath(source.rstrip("/")).name
        return read_item(InputItem(source, None, None, Path(name), uri=remote.Uri(source)))
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
        text, found = extract_article(text, source)
        metadata["format"] = "html"
        metadata.update(found)
    return Document(source=source, text=text, metadata=metadata)


def _read_file(path: Path, source: str, max_bytes: int, *, pipes: bool) -> bytes:
    """The bytes of a file; ``pipes`` also reads named pipes and devices (``<(cmd)``,
    /dev/stdin), which only a file named on the command line may be."""
    # One open, never two: a writer waiting on a named pipe is let through by the first
    # open, and a second would wait for a writer that has come and gone (the read hung, or
    # found the article empty and the writer's pipe broken). What may be read as a pipe is
    # opened blocking, as asked; anything else with O_NONBLOCK, so that a pipe put in a
    # file's place after this look is refused, not waited for.
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    try:
        waits = pipes and not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        waits = False  # the open says why
    try:
        descriptor = os.open(path, flags if waits else flags | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError as exc:
        raise SourceError(source, "is a folder, not a file") from exc
    except OSError as exc:
        raise SourceError(source, missing_reason(path, exc)) from exc
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(source, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode) and not waits:
            kind = file_kind(info.st_mode)
            if pipes:  # a file when looked at, something else when opened
                raise SourceError(source, f"changed into {kind} while it was opened")
            raise SourceError(source, f"is not a regular file ({kind}); name it to read it")
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise too_big(source, max_bytes, info.st_size)
        chunks = []
        left = max_bytes + 1  # one byte more than allowed tells that there is more
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise SourceError(source, os_reason(exc)) from exc
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise too_big(source, max_bytes)
    return data


def _read_stream(stream: BinaryIO, item: InputItem, max_bytes: int) -> bytes:
    if isinstance(stream, io.TextIOBase):  # a text stream handed in by mistake: be forgiving
        text = stream.read(max_bytes + 1)
        data = text.encode("utf-8", "surrogateescape")
    else:
        try:  # in pieces: an endless stream is never read past the limit
            data = read_stream_bounded(stream, max_bytes)
        except TooLarge:
            raise too_big(item.source, max_bytes) from None
        except OSError as exc:
            raise SourceError(item.source, os_reason(exc)) from exc
    if len(data) > max_bytes:
        raise too_big(item.source, max_bytes)
    return data
