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
import re
from typing import Any
from urllib.parse import urlsplit

from ringkas.pipeline import Document
from ringkas.sources.decoding import (
    MARKUP,
    charset_name,
    declared_charset,
    decode,
    starts_like_html,
)
from ringkas.sources.errors import SourceError
from ringkas.sources.fetch import Fetched, Fetcher
from ringkas.sources.html import extract_lines
from ringkas.sources.urls import join

__all__ = ["MAX_PAGES", "page_kind", "read_url"]

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
    paragraphs, found = _article(text, source, fetched.final_url)
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
    header = charset_name(fetched.charset) if fetched.charset else None
    meta = declared_charset(fetched.data) if html else None
    declared = header if header and header != "utf-8" else meta or header
    text, used = decode(fetched.data, source, encoding=encoding, declared=declared)
    if not text.strip():
        raise SourceError(source, "the page is empty")
    return text, used


# -- extraction -------------------------------------------------------------------------------


def _article(html: str, source: str, url: str) -> tuple[list[str], dict[str, str]]:
    """The paragraphs and metadata of an article page; an index of headlines, a page built
    by scripts or a subscribers' teaser is refused."""
    lines, found = extract_lines(html, source, url=url)
    words = [len(line.split()) for line in lines]
    paywalled = _PAYWALLED.search(html) is not None
    if paywalled and sum(words) < PAYWALL_WORDS:
        raise SourceError(
            source,
            "the article is for subscribers only (the page shows only its opening)",
            hint="save the page from a logged-in browser and give ringkas the file",
        )
    if sum(words) < MIN_WORDS or max(words, default=0) < MIN_LONGEST_LINE:
        raise SourceError(
            source,
            "no article text found in the web page",
            hint="an index page, or a page that loads its text with JavaScript; "
            "copy the article into a .txt file",
        )
    return lines, found


def _continuation(html: str, source: str, url: str) -> list[str]:
    """The text of an article's next page. trafilatura's own extractor alone: on a short
    page the fallback extractors take the page's header (date line, byline) for text."""
    lines, _ = extract_lines(html, source, url=url, fast=True)
    return lines or extract_lines(html, source, url=url, fast=False)[0]


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
        candidate = join(url, str(href).strip())
        if candidate is None:
            continue
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
