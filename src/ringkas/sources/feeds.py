"""News feeds: RSS 0.9x, 1.0 and 2.0 and Atom (feedparser), and OPML lists of feeds.

:func:`read_feeds` turns ``--feed`` values (a feed's address, a site's page that names its
feed, or an OPML file or address listing feeds) into the items to read, newest first, at
most ``limit`` per feed and none older than ``since``. A feed that cannot be read is that
feed's failure (a :class:`SourceError` naming it); the other feeds go on. A feed on the
internet that links into this machine or a private network is not followed there.
"""

from __future__ import annotations

import calendar
import io
import ipaddress
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ringkas.errors import InputError, UsageError
from ringkas.sources.errors import SourceError
from ringkas.sources.fetch import DEFAULT_MAX_BYTES, Fetcher
from ringkas.sources.urls import is_url, join

__all__ = ["FEED_ACCEPT", "FeedItem", "parse_feed", "parse_since", "read_feeds", "select_items"]

FEED_ACCEPT = (
    "application/rss+xml,application/atom+xml,application/rdf+xml;q=0.9,"
    "application/xml;q=0.8,text/xml;q=0.8,text/html;q=0.5,*/*;q=0.3"
)
MAX_FEEDS = 500  # in one OPML list
_OPML_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<opml\b", re.S | re.I)
_ALTERNATE = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_RELATIVE = re.compile(r"^\s*(\d+)\s*(m|min|minutes?|h|hours?|d|days?|w|weeks?)\s*$", re.I)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: the article's address and what the feed says about it."""

    url: str
    feed: str  # the feed's address (or file) it came from
    title: str | None = None
    published: datetime | None = None  # aware, UTC
    author: str | None = None


def read_feeds(
    specs: Sequence[str],
    fetcher: Fetcher,
    *,
    since: datetime | None = None,
    limit: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[list[FeedItem], list[InputError]]:
    """The items of every feed named, each feed's newest first, an address listed once."""
    items: list[FeedItem] = []
    errors: list[InputError] = []
    seen: set[str] = set()
    for spec in specs:
        try:
            feeds = _feeds_of(spec, fetcher, max_bytes)
        except SourceError as exc:
            errors.append(exc)
            continue
        for load in feeds:
            try:
                found = load()
            except SourceError as exc:
                errors.append(exc)
                continue
            chosen = [i for i in select_items(found, since=since, limit=limit) if i.url not in seen]
            seen.update(item.url for item in chosen)
            kept, refused = keep_reachable(chosen)
            items += kept
            errors += refused
    return items, errors


def keep_reachable(items: Sequence[FeedItem]) -> tuple[list[FeedItem], list[InputError]]:
    """The items to fetch, and a failure for each link from a feed on the internet into this
    machine or a private network (a feed must not make ringkas request those)."""
    kept: list[FeedItem] = []
    refused: list[InputError] = []
    for item in items:
        if is_url(item.feed) and _private(item.url) and not _private(item.feed):
            reason = f"not fetched: the feed {item.feed} links to a local or private address"
            hint = "read it by naming it on the command line"
            refused.append(SourceError(item.url, reason, hint))
        else:
            kept.append(item)
    return kept, refused


def _private(url: str) -> bool:
    """Whether a link points into this machine or a private network (by its host as
    written): a feed from the internet must not make ringkas request such addresses."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def _feeds_of(spec: str, fetcher: Fetcher, max_bytes: int) -> list[Callable[[], list[FeedItem]]]:
    """For one --feed value, a function per feed that reads its items (an OPML list names
    many feeds, each read, and failing, on its own)."""
    if is_url(spec):
        fetched = fetcher.fetch(spec, accept=FEED_ACCEPT, source=spec)
        data, url, media = fetched.data, fetched.final_url, fetched.media_type
    else:
        data, url, media = _read_file(spec, max_bytes), None, ""
    if _OPML_ROOT.match(data[:4096]):
        urls = opml_feeds(data, spec)
        return [partial(_fetch_feed, feed, fetcher) for feed in urls]
    if url is not None and (media in ("text/html", "application/xhtml+xml") or _is_html(data)):
        found = discover_feed(data.decode("utf-8", "replace"), url)
        if found is None:
            raise SourceError(
                spec,
                "is a web page, not a news feed, and names no feed",
                hint="give the address of its RSS or Atom feed",
            )
        return [partial(_fetch_feed, found, fetcher, source=spec)]
    items = parse_feed(data, spec, url=url, media_type=media)
    return [lambda: items]


def _fetch_feed(url: str, fetcher: Fetcher, source: str | None = None) -> list[FeedItem]:
    fetched = fetcher.fetch(url, accept=FEED_ACCEPT, source=source or url)
    return parse_feed(
        fetched.data, source or url, url=fetched.final_url, media_type=fetched.media_type
    )


def _read_file(name: str, max_bytes: int) -> bytes:
    path = Path(name)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except IsADirectoryError as exc:
        raise SourceError(name, "is a folder, not a feed or an OPML file") from exc
    except FileNotFoundError as exc:
        raise SourceError(name, "no such file (a feed is an http:// or https:// address)") from exc
    except OSError as exc:
        raise SourceError(name, f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise SourceError(name, "is over the size limit", hint="raise the limit with --max-size")
    return data


def _is_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


# -- parsing ----------------------------------------------------------------------------------


def parse_feed(
    data: bytes, source: str, *, url: str | None = None, media_type: str = ""
) -> list[FeedItem]:
    """The items of an RSS or Atom document, in the feed's order; relative links are resolved
    against ``xml:base`` or ``url``. Items with no link are left out."""
    import feedparser

    headers: dict[str, str] = {"content-type": media_type or "application/xml"}
    if url:
        headers["content-location"] = url
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({_short(str(problem))})" if problem else ""
        raise SourceError(source, f"is not a news feed (RSS or Atom){detail}")
    items = []
    for entry in parsed.entries:
        link = _entry_link(entry, url)
        if link is None:
            continue
        items.append(
            FeedItem(
                url=link,
                feed=source,
                title=_text(entry.get("title")),
                published=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
                author=_text(entry.get("author")),
            )
        )
    return items


def _entry_link(entry: Mapping[str, Any], base: str | None) -> str | None:
    candidates = [entry.get("link")]
    candidates += [link.get("href") for link in entry.get("links", []) if link.get("href")]
    candidates.append(entry.get("id"))
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        link = join(base, candidate.strip())
        if link is not None:
            return link
    return None


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def opml_feeds(data: bytes, source: str) -> list[str]:
    """The feed addresses (``xmlUrl``) of an OPML list, nested outlines included."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise SourceError(source, f"is not a valid OPML file ({exc})") from exc
    urls: list[str] = []
    for outline in root.iter("outline"):
        value = next((v for k, v in outline.attrib.items() if k.lower() == "xmlurl"), None)
        if value and is_url(value.strip()) and value.strip() not in urls:
            urls.append(value.strip())
    if not urls:
        raise SourceError(source, "lists no feeds (no outline with an xmlUrl)")
    if len(urls) > MAX_FEEDS:
        raise SourceError(source, f"lists {len(urls)} feeds, more than {MAX_FEEDS}")
    return urls


def discover_feed(html: str, url: str) -> str | None:
    """The feed a web page names in its head (``<link rel="alternate" type="...rss+xml">``)."""
    for tag in _ALTERNATE.findall(html[:200_000]):
        attributes = {
            name.lower(): next(v for v in values if v is not None).strip()
            for name, *values in _ATTRIBUTE.findall(tag)
        }
        rel = attributes.get("rel", "").lower().split()
        if "alternate" in rel and attributes.get("type", "").lower() in _FEED_TYPES:
            href = attributes.get("href")
            if href and join(url, href):
                return join(url, href)
    return None


# -- choosing items ---------------------------------------------------------------------------


def select_items(
    items: Sequence[FeedItem], *, since: datetime | None = None, limit: int | None = None
) -> list[FeedItem]:
    """Newest first (items without a date after the dated ones, in the feed's order), none
    published before ``since`` (an item without a date is kept), at most ``limit``."""
    dated = sorted(
        (item for item in items if item.published is not None),
        key=lambda item: item.published or datetime.min.replace(tzinfo=timezone.utc),
        reverse=True,
    )
    chosen = [*dated, *(item for item in items if item.published is None)]
    if since is not None:
        chosen = [item for item in chosen if item.published is None or item.published >= since]
    return chosen[:limit] if limit is not None else chosen


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """A --since value: a date (2025-06-18), a date and time (2025-06-18T08:00, with an
    optional offset; local time without one), or an age ("30m", "6h", "2d", "1w")."""
    value = text.strip()
    relative = _RELATIVE.match(value)
    if relative:
        unit = _UNITS[relative.group(2)[0].lower()]
        now = now or datetime.now(timezone.utc)
        return now - timedelta(**{unit: int(relative.group(1))})
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--since {text!r} is not a date",
            hint="use a date (2025-06-18), a date and time (2025-06-18T08:00) or an age (6h, 2d)",
        ) from None
    return when if when.tzinfo is not None else when.astimezone()
