"""Web addresses among the inputs: which arguments are links, and where their results go."""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

__all__ = ["is_url", "join", "url_relative", "usable"]

_URL = re.compile(r"^https?://", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")  # and spaces: a real address has them encoded


def is_url(text: str) -> bool:
    """Whether a command-line input is a web address (http:// or https://)."""
    return bool(_URL.match(text))


def usable(url: str) -> bool:
    """Whether a web address can even be parsed (a bad port or IPv6 host cannot); one with
    control characters or spaces is not used either (nor printed, when it comes from a feed)."""
    if _CONTROL.search(url):
        return False
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return False
    return is_url(url) and bool(parts.hostname)


def join(base: str | None, href: str) -> str | None:
    """``href`` (from a page, a feed, a redirect) against ``base``; None when the result is
    not a usable web address."""
    try:
        joined = urljoin(base, href) if base else href
    except ValueError:
        return None
    return joined if usable(joined) else None


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_UNSAFE_HOST = re.compile(r"[^a-z0-9.-]+|\.{2,}")
_PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".xhtml")
_PART = 80  # characters of one path part kept in a file name


def url_relative(url: str) -> PurePosixPath:
    """Where a link's result goes below an output folder: host/path, each part made safe for
    any file system ("news.detik.com/berita/d-7970439/gempa-m-4-8"; a port is added to the
    host: "127.0.0.1-8080"), with a short hash of the
    query and of any part that had to be changed or cut, so that different addresses do not
    share a name. The last part has no suffix: the output format adds it."""
    if not usable(url):  # it will fail when fetched; its name only has to be safe
        return PurePosixPath("web", hashlib.sha256(url.encode("utf-8", "replace")).hexdigest()[:16])
    parts = urlsplit(url)
    host = _UNSAFE_HOST.sub("-", (parts.hostname or "web").lower()).strip(".-")[:_PART] or "web"
    if parts.port:
        host += f"-{parts.port}"
    segments = [unquote(s) for s in parts.path.split("/") if s not in ("", ".", "..")]
    if segments and segments[-1].lower().endswith(_PAGE_SUFFIXES):
        segments[-1] = segments[-1].rsplit(".", 1)[0]
    safe = [_safe_part(segment) for segment in segments] or ["index"]
    if parts.query:
        digest = hashlib.sha256(parts.query.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        safe[-1] = f"{safe[-1]}-{digest}"
    return PurePosixPath(host, *safe)


def _safe_part(segment: str) -> str:
    cleaned = _UNSAFE.sub("-", segment).strip("-") or "index"
    if cleaned == segment and len(cleaned) <= _PART:
        return cleaned
    digest = hashlib.sha256(segment.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned[: _PART - 9]}-{digest}"
