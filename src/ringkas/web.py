"""A link's article: fetched, decoded, extracted, its metadata, and all of its pages.

:func:`read_url` turns a web address into a :class:`~ringkas.pipeline.Document` through the
same reading as a saved page (trafilatura for the body), with ``metadata`` telling ``url``,
``final_url`` (after redirects), ``title``, ``date``, ``author`` and ``sitename`` where the page
has them. An article split over several pages (``rel="next"`` to a continuation of the same
address) is read whole, never cut at its first page. What is not an article is refused with
its reason: a feed, a PDF or image, a page with no article text (an index page), a story for
subscribers only.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from ringkas.decoding import MARKUP, SourceError, declared_charset, decode, starts_like_html
from ringkas.fetch import Fetched, Fetcher, is_url
from ringkas.pipeline import Document

__all__ = ["MAX_PAGES", "extract_article", "is_url", "read_url", "url_relative"]

MAX_PAGES = 20  # an article continued over more pages than this is refused, not cut
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
XML_TYPES = frozenset({"application/xml", "text/xml"})
# A page needs this much prose to be an article rather than a list of headlines and dates.
MIN_WORDS = 15
MIN_LONGEST_LINE = 8
# A page marked as for subscribers (isAccessibleForFree: false) with less text than this
# shows only the opening of its article.
PAYWALL_WORDS = 150
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_PAYWALLED = re.compile(
    r"""["']isAccessibleForFree["']\s*:\s*(?:false|["']false["'])"""
    r"""|itemprop=["']isAccessibleForFree["'][^>]{0,80}content=["']false["']""",
    re.IGNORECASE,
)
_NEXT = (
    "//link[contains(concat(' ', translate(normalize-space(@rel), 'NEXT', 'next'), ' '), ' next ')]"
    "/@href | //a[contains(concat(' ', translate(normalize-space(@rel), 'NEXT', 'next'), ' '),"
    " ' next ')]/@href"
)


def read_url(
    url: str, fetcher: Fetcher, *, encoding: str | None = None, source: str | None = None
) -> Document:
    """Fetch ``url`` and read its article into a Document, or raise a :class:`SourceError`
    naming ``source`` (default: the URL)."""
    source = source or url
    fetched = fetcher.fetch(url, source=source)
    kind = page_kind(fetched)
    if kind == "feed":
        raise SourceError(source, "is a news feed, not an article", hint="read it with --feed URL")
    if kind not in ("html", "text"):
        raise SourceError(source, f"is not a web page ({fetched.media_type or 'unknown type'})")
    metadata: dict[str, Any] = {"url": url, "final_url": fetched.final_url}
    text, used = _decode(fetched, source, encoding, html=kind == "html")
    metadata["encoding"] = used
    if kind == "text" and not starts_like_html(text[:1024]):
        if not text.strip():
            raise SourceError(source, "the page is empty")
        return Document(source, text, {**metadata, "format": "text"})
    body, found = extract_article(text, source, url=fetched.final_url)
    paragraphs = body.split("\n")
    pages = 1
    seen = {fetched.url, fetched.final_url}
    following = next_page(text, fetched.final_url, fetched.final_url)
    while following is not None and following not in seen:
        if pages == MAX_PAGES:
            raise SourceError(source, f"the article goes on past {MAX_PAGES} pages")
        pages += 1
        seen.add(following)
        try:
            more = fetcher.fetch(following, source=source)
            page_text, _ = _decode(more, source, encoding, html=True)
            lines = _continuation(page_text, source, more.final_url)
        except SourceError as exc:
            raise SourceError(
                source, f"page {pages} of the article cannot be read: {exc.reason}", exc.hint
            ) from exc
        if not lines:
            raise SourceError(source, f"page {pages} of the article has no text")
        known = set(paragraphs)
        paragraphs += [line for line in lines if line not in known]
        seen.add(more.final_url)
        following = next_page(page_text, more.final_url, fetched.final_url)
    metadata.update(format="html", **found)
    if pages > 1:
        metadata["pages"] = pages
    return Document(source, "\n".join(paragraphs), metadata)


def page_kind(fetched: Fetched) -> str:
    """html, text, feed, or other (a PDF, an image, JSON...), from the type and the bytes."""
    media = fetched.media_type
    head = fetched.data[:2048]
    if media in FEED_TYPES or (
        (media in XML_TYPES or not media) and _FEED_ROOT.search(head) and b"<html" not in head
    ):
        return "feed"
    if media in HTML_TYPES:
        return "html"
    if media == "text/plain":
        return "text"
    if not media or media == "application/octet-stream":
        text = head.removeprefix(codecs.BOM_UTF8).decode("latin-1")
        return "html" if starts_like_html(text) else "text"
    return "other"


def _decode(fetched: Fetched, source: str, encoding: str | None, *, html: bool) -> tuple[str, str]:
    """The page as text: the header's charset, else the page's own <meta> one, is used when
    the bytes are not UTF-8 (a declared "utf-8" that is wrong falls back to detection)."""
    header = _charset(fetched.charset)
    meta = declared_charset(fetched.data) if html else None
    declared = header if header and header != "utf-8" else meta or header
    text, used = decode(fetched.data, source, encoding=encoding, declared=declared)
    if not text.strip():
        raise SourceError(source, "the page is empty")
    return text, used


def _charset(name: str | None) -> str | None:
    if not name:
        return None
    try:
        found = codecs.lookup(name).name
    except LookupError:
        return None
    # As browsers do: a page that says latin-1 or ASCII means windows-1252.
    return "cp1252" if found in ("latin-1", "iso8859-1", "ascii") else found


# -- extraction -------------------------------------------------------------------------------


def extract_article(
    html: str, source: str, *, url: str | None = None
) -> tuple[str, dict[str, str]]:
    """The article body of a web page (paragraphs on their own lines) and what the page says
    about it: title, date (YYYY-MM-DD), author, sitename. Raises :class:`SourceError` when
    there is no article text (a script-built page, an index of headlines, an empty stub)."""
    lines, found = _extract(html, source, url, fast=False)
    words = [len(line.split()) for line in lines]
    if sum(words) < MIN_WORDS or max(words, default=0) < MIN_LONGEST_LINE:
        if _PAYWALLED.search(html):
            raise _paywalled(source)
        raise SourceError(
            source,
            "no article text found in the web page",
            hint="an index page, or a page that loads its text with JavaScript; "
            "copy the article into a .txt file",
        )
    if sum(words) < PAYWALL_WORDS and _PAYWALLED.search(html):
        raise _paywalled(source)
    return "\n".join(lines), found


def _continuation(html: str, source: str, url: str) -> list[str]:
    """The text of an article's next page. trafilatura's own extractor alone: on a short
    page the fallback extractors take the page's header (date line, byline) for text."""
    lines, _ = _extract(html, source, url, fast=True)
    return lines or _extract(html, source, url, fast=False)[0]


def _extract(
    html: str, source: str, url: str | None, *, fast: bool
) -> tuple[list[str], dict[str, str]]:
    import trafilatura  # slow to import (lxml, dateparser): only when a page is read

    _quiet_loggers()
    try:
        extracted = trafilatura.bare_extraction(
            html,
            url=url,
            fast=fast,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
            with_metadata=True,
        )
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken pages
        raise SourceError(source, f"the web page cannot be parsed ({exc})") from exc
    found: dict[str, str] = {}
    for key in ("title", "date", "author", "sitename"):
        value = _one_line(str(getattr(extracted, key, None) or ""))
        if value:
            found[key] = value
    title = found.get("title")
    lines = [_one_line(line) for line in (getattr(extracted, "text", None) or "").splitlines()]
    lines = [line for line in lines if line]
    if lines and title and lines[0].casefold() == title.casefold():
        lines = lines[1:]  # the headline: it is the title, not a paragraph of the body
    return lines, found


def _paywalled(source: str) -> SourceError:
    return SourceError(
        source,
        "the article is for subscribers only (the page shows only its opening)",
        hint="save the page from a logged-in browser and give ringkas the file",
    )


def _quiet_loggers() -> None:
    """Keep the extractors' own log lines ("empty HTML tree") off stderr: a page that
    yields nothing is reported once, by us."""
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logger = logging.getLogger(name)
        if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
            logger.addHandler(logging.NullHandler())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def next_page(html: str, url: str, first: str) -> str | None:
    """The address of the article's next page: a ``rel="next"`` link that continues the
    first page's address (same site, same path or below it, e.g. ``?page=2`` or ``/2``);
    a "next article" link elsewhere on the site is not a continuation."""
    if "next" not in html.lower() or not MARKUP.search(html):
        return None
    from lxml import html as lxml_html
    from lxml.etree import ParserError

    try:
        tree = lxml_html.document_fromstring(html)
    except (ParserError, ValueError):
        return None
    for href in tree.xpath(_NEXT):
        candidate = urljoin(url, str(href).strip())
        if candidate.split("#", 1)[0] != url.split("#", 1)[0] and _continues(first, candidate):
            return candidate.split("#", 1)[0]
    return None


def _continues(first: str, candidate: str) -> bool:
    a, b = urlsplit(first), urlsplit(candidate)
    if (a.scheme.lower(), a.netloc.lower()) != (b.scheme.lower(), b.netloc.lower()):
        return False
    base = a.path.rstrip("/")
    path = b.path.rstrip("/")
    return path == base or path.startswith(base + "/")


# -- output names -----------------------------------------------------------------------------

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
