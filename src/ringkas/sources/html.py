"""The article in a saved (or fetched) web page: its body text and title, by trafilatura.

trafilatura is slow to import (lxml, dateparser), so it is imported only when a page is read.
"""

from __future__ import annotations

import logging

from ringkas.sources.errors import SourceError


def extract_article(html: str, source: str) -> tuple[str, str | None]:
    """The article body of a saved web page (paragraphs on their own lines) and its title."""
    import trafilatura  # slow to import (lxml, dateparser): only when a page is read

    _quiet_loggers()

    try:
        extracted = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
            with_metadata=True,
        )
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken pages
        raise SourceError(source, f"the web page cannot be parsed ({exc})") from exc
    text = getattr(extracted, "text", None) or ""
    title = one_line(getattr(extracted, "title", None) or "") or None
    lines = [one_line(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and title and lines[0].casefold() == title.casefold():
        lines = lines[1:]  # the headline: it is the title, not a paragraph of the body
    if not lines:
        raise SourceError(
            source,
            "no article text found in the web page",
            hint="pages that load their text with JavaScript are saved without it; "
            "copy the article into a .txt file",
        )
    return "\n".join(lines), title


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
