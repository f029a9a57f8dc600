"""The article in a saved (or fetched) web page: its body text and what the page says about
it (title, date, author, site name), by trafilatura.

trafilatura is slow to import (lxml, dateparser), so it is imported only when a page is read.
"""

from __future__ import annotations

import logging

from ringkas.sources.errors import SourceError

# What a page says about its article, as ``metadata`` keys.
PAGE_METADATA = ("title", "date", "author", "sitename")


def extract_article(
    html: str, source: str, *, url: str | None = None
) -> tuple[str, dict[str, str]]:
    """The article body of a web page (paragraphs on their own lines) and what the page says
    about it: ``title``, ``date`` (YYYY-MM-DD), ``author``, ``sitename``, where it has them.
    ``url`` (where the page was fetched from) helps resolve what the page leaves relative."""
    lines, found = extract_lines(html, source, url=url)
    if not lines:
        raise SourceError(
            source,
            "no article text found in the web page",
            hint="pages that load their text with JavaScript are saved without it; "
            "copy the article into a .txt file",
        )
    return "\n".join(lines), found


def extract_lines(
    html: str, source: str, *, url: str | None = None, fast: bool = False
) -> tuple[list[str], dict[str, str]]:
    """The body's paragraphs (none when there is no article) and the page's metadata;
    ``fast`` uses trafilatura's own extractor without its fallbacks."""
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
    for key in PAGE_METADATA:
        value = one_line(str(getattr(extracted, key, None) or ""))
        if value:
            found[key] = value
    title = found.get("title")
    lines = [one_line(line) for line in (getattr(extracted, "text", None) or "").splitlines()]
    lines = [line for line in lines if line]
    if lines and title and lines[0].casefold() == title.casefold():
        lines = lines[1:]  # the headline: it is the title, not a paragraph of the body
    return lines, found


def _quiet_loggers() -> None:
    """Keep the extractors' own log lines ("empty HTML tree") off stderr: a page that
    yields nothing is reported once, by us. An application that configures logging
    still gets them."""
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logger = logging.getLogger(name)
        if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
            logger.addHandler(logging.NullHandler())


def one_line(text: str) -> str:
    return " ".join(text.split())
