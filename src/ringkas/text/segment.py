"""Indonesian sentence segmentation with exact character offsets.

The splitter is rule based and lossless: :func:`sentence_spans` returns contiguous
``(start, end)`` offsets that cover every character of the input exactly once, so
``"".join(split_sentences(text)) == text``. Whitespace after a sentence (newlines
included) belongs to that sentence, and every line break ends a sentence, so a
headline or list item without a final full stop stays on its own.

Inside a line a sentence ends after ``.``, ``!``, ``?`` or an ellipsis, together with
any closing quotes or brackets, when the next word could start a sentence (a capital,
a digit or an opening quote). The full stop is *not* a boundary after titles and
prefixes (``Dr.``, ``Hj.``, ``Jl.``, ``No.``), initials (``B. J. Habibie``), dotted
abbreviations (``S.H.``, ``a.n.``, ``A.S.``) or list numbers (``1. Judul``), nor before
a lower-case word. Numbers, money, dates, times, URLs and e-mail addresses need no rule:
their dots are not followed by whitespace. A full stop glued to the next sentence
("terakhir.Kerusuhan"), common in scraped news, is a boundary too. Quotations are split
into their sentences unless ``keep_quotes=True``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ringkas.text.abbreviations import (
    COMPANY_SUFFIXES,
    KNOWN,
    LETTER_CATEGORIES,
    MONTHS,
    PREFIXES,
    SENTENCE_OPENERS,
    TITLES,
)

__all__ = ["paragraph_spans", "sentence_spans", "split_paragraphs", "split_sentences"]

# With ``keep_quotes=True`` a quotation up to this long stays one sentence when it closes
# on the same line; a longer one is split inside, so no unit outgrows a translator's input.
MAX_QUOTE_CHARS = 400

_TERMINATOR = re.compile(r"\.{2,}|…|[.!?]+[!?.]*")
_OPEN_QUOTES = "“«„"
_AMBIGUOUS_QUOTES = '"”'
_CLOSERS = ")]}»’'"
_OPENERS = "([{“«„‘'\""
# The token before a terminator reaches back to whitespace or an opening mark; matched on
# the reversed window, so that finding it costs its own length, not the window's square.
_TOKEN_HEAD = re.compile(r'[^\s"“”«»„(\[{]*')
_QUOTES = "\"”’'»"
# "...?" Martin bertanya. / "...!" Hammel menambahkan.: a name and a speech verb that end
# the sentence after a closing quote continue the quoted sentence ("Farage mengatakan
# bahwa ..." and "Ia menambahkan, ..." are sentences of their own).
_ATTRIBUTION = re.compile(
    r"(?:[A-Z][\w'’.-]*[ \u00a0]+){1,3}(?:menambahkan|mengatakan|bertanya|berkata|menjelaskan"
    r"|menegaskan|menulis|mengungkapkan|menuturkan|berteriak|bertanya-tanya|said|asked|added"
    r"|wrote|says|told|explained|shouted)\b[ \u00a0]*[.!?]"
)
_DOTTED = re.compile(r"^(?:[A-Za-z]{1,4}\.)+[A-Za-z]{1,4}$")
_LIST_MARKER = re.compile(r"^(?:\d{1,3}|[a-zA-Z]|[IVXLC]{1,5})$")
_DOMAIN_TAIL = re.compile(r"[A-Za-z0-9-]+\.[a-z]{2,}\b")
# Abbreviations and initials are short; looking further back or ahead only costs time.
_MAX_TOKEN = 64


def sentence_spans(text: str, *, keep_quotes: bool = False) -> list[tuple[int, int]]:
    """Return contiguous ``(start, end)`` offsets, one per sentence, covering ``text``.

    By default a quotation of several sentences is split like any other text (the
    convention of sentence-aligned translation data such as NTREX); ``keep_quotes=True``
    keeps a short quotation whole, as UD treebanks do.
    """
    starts = [0]
    seen_content = False
    for line_start, line_end in _line_bounds(text):
        line = text[line_start:line_end]
        first = _first_content(line)
        if first is None:
            continue
        if seen_content:
            starts.append(line_start + first)
        seen_content = True
        for offset in _boundaries_in_line(line, first, keep_quotes):
            starts.append(line_start + offset)
    spans: list[tuple[int, int]] = []
    ends = [*starts[1:], len(text)]
    for start, end in zip(starts, ends, strict=True):
        if end > start:
            spans.append((start, end))
    return spans


def split_sentences(text: str, *, keep_quotes: bool = False) -> list[str]:
    """Split ``text`` into sentences; joining them gives back ``text`` exactly."""
    return [text[a:b] for a, b in sentence_spans(text, keep_quotes=keep_quotes)]


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return contiguous offsets of paragraphs (lines); blank lines join the one before."""
    starts = [0]
    seen_content = False
    for line_start, line_end in _line_bounds(text):
        first = _first_content(text[line_start:line_end])
        if first is None:
            continue
        if seen_content:
            starts.append(line_start + first)
        seen_content = True
    ends = [*starts[1:], len(text)]
    return [(a, b) for a, b in zip(starts, ends, strict=True) if b > a]


def split_paragraphs(text: str) -> list[str]:
    """Split ``text`` into paragraphs (non-empty lines), losslessly."""
    return [text[a:b] for a, b in paragraph_spans(text)]


def _line_bounds(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    # The same line breaks as str.splitlines(), which the cleaner uses.
    for match in re.finditer(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x1c-\x1e\x85]", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _first_content(line: str) -> int | None:
    for index, char in enumerate(line):
        if not char.isspace():
            return index
    return None


def _quote_regions(line: str) -> list[tuple[int, int]]:
    """Return ``(open, close)`` indices of double-quoted stretches in ``line``."""
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    for index, char in enumerate(line):
        if char in _OPEN_QUOTES:
            open_at = index
        elif char in _AMBIGUOUS_QUOTES:
            if _is_opening_quote(line, index, open_at is not None):
                open_at = index
            elif open_at is not None:
                regions.append((open_at, index))
                open_at = None
    return regions


def _is_opening_quote(line: str, index: int, inside: bool) -> bool:
    """Decide whether a straight or right quote at ``index`` opens a quotation."""
    before = line[index - 1] if index > 0 else " "
    after = line[index + 1] if index + 1 < len(line) else " "
    if before.isspace() or before in "([{—–-:":
        return not after.isspace()
    if after.isspace() or after in ".,;:!?)]}":
        return False
    # Glued on both sides ("tsunami."Mag", "tersebut."Petugas"): alternate.
    return not inside


def _boundaries_in_line(line: str, first: int, keep_quotes: bool) -> Iterator[int]:
    """Yield offsets in ``line`` where a new sentence starts (never at the line start)."""
    all_regions = _quote_regions(line)
    closing_quotes = {close for _, close in all_regions}
    short_regions = [
        region for region in all_regions if keep_quotes and region[1] - region[0] <= MAX_QUOTE_CHARS
    ]
    region_opens = [open_ for open_, _ in short_regions]
    sentence_start = first
    for match in _TERMINATOR.finditer(line):
        end = match.end()
        # Absorb closing quotes and brackets into the sentence that ends here.
        while end < len(line) and (
            line[end] in _CLOSERS
            or (line[end] in _AMBIGUOUS_QUOTES and _closes(line, end, closing_quotes))
        ):
            end += 1
        next_start = end
        while next_start < len(line) and line[next_start].isspace():
            next_start += 1
        if next_start >= len(line):
            continue
        glued = next_start == end
        if _inside(short_regions, region_opens, next_start):
            continue  # a short quotation stays whole: “Pergi. Sekarang,” katanya.
        quoted = any(char in _QUOTES for char in line[match.end() : end])
        if quoted and _ATTRIBUTION.match(line, next_start):
            continue  # “Ada hiu!” Hammel menambahkan.
        if not _ends_sentence(line, match, sentence_start, next_start, glued):
            continue
        yield next_start
        sentence_start = next_start


def _closes(line: str, index: int, closing_quotes: set[int]) -> bool:
    """Whether the quote at ``index`` (right after a terminator) closes a quotation."""
    after = line[index + 1 : index + 2]
    return index in closing_quotes or not after or after.isspace()


def _inside(regions: list[tuple[int, int]], opens: list[int], position: int) -> bool:
    index = bisect.bisect_left(opens, position) - 1
    return index >= 0 and regions[index][0] < position <= regions[index][1]


def _token_before(line: str, index: int) -> str:
    """Return the run of non-space characters ending at ``index`` (no opening marks)."""
    window = line[max(0, index - _MAX_TOKEN) : index][::-1]
    match = _TOKEN_HEAD.match(window)
    return match.group()[::-1] if match else ""


def _ends_sentence(
    line: str, match: re.Match[str], sentence_start: int, next_start: int, glued: bool
) -> bool:
    starter = _starter_kind(line, next_start)
    if starter == "lower" or starter == "none":
        return False
    terminator = match.group()
    before = _token_before(line, match.start())
    if glued and not _glued_boundary(line, match, before, next_start):
        return False
    if "!" in terminator or "?" in terminator or len(terminator) > 1 or terminator == "…":
        return True
    return _full_stop_ends(line, before, match.start(), sentence_start, next_start, starter)


def _full_stop_ends(
    line: str, before: str, stop: int, sentence_start: int, next_start: int, starter: str
) -> bool:
    bare = before.lstrip("([{")
    if bare in TITLES or bare in PREFIXES:
        return False
    if starter == "digit" and (bare in KNOWN or bare in MONTHS):
        return False
    following = _next_word(line, next_start)
    if bare in COMPANY_SUFFIXES and (
        following.rstrip(".") in COMPANY_SUFFIXES or following.startswith("(")
    ):
        return False  # "Pte. Ltd.", "Sampoerna Tbk. (HMSP) menjual ..."
    if _DOTTED.match(bare):
        # S.H., a.n., Ph.D., A.S.: initialisms and degrees end a sentence only before a
        # word that opens sentences and never continues a name ("D.C. Pada hari Jumat").
        return following.strip("\"'“‘(,") in SENTENCE_OPENERS
    if len(bare) == 1 and bare.isupper() and bare.isalpha():
        previous = _previous_word(line, stop - len(before))
        # "George W. Bush" is an initial; "vitamin C." and "2 C." / "abad ke-6 M." end.
        return previous.lower() in LETTER_CATEGORIES or previous[-1:].isdigit()
    token_start = stop - len(before)
    # "1. Judul": a list number that opens the line ends nothing.
    return not (_LIST_MARKER.match(bare) and not line[sentence_start:token_start].strip())


def _glued_boundary(line: str, match: re.Match[str], before: str, next_start: int) -> bool:
    """A terminator with no space after it ends a sentence only in clear cases."""
    following = line[next_start : next_start + _MAX_TOKEN]
    if following[:1] in _OPENERS:
        following = following[1:]
    if not re.match(r"[A-Z][a-z]", following):
        return False
    bare = before.lstrip("([{")
    if bare in KNOWN or _DOTTED.match(bare) or "@" in before or "/" in before:
        return False
    if match.group() == "." and _DOMAIN_TAIL.match(following):
        return False  # "www.Example.com" and the like
    if bare.lower().startswith("www") or "://" in before:
        return False
    tail = before[-2:]
    return len(tail) == 2 and (tail.isalpha() or tail[-1] in ")]\"”'’" or tail.isdigit())


def _starter_kind(line: str, index: int) -> str:
    """Classify what begins at ``index``: 'upper', 'digit', 'lower', 'other' or 'none'."""
    position = index
    while position < len(line) and line[position] in _OPENERS + "‘":
        position += 1
    if position >= len(line):
        return "none" if position == index else "other"
    char = line[position]
    if char.isdigit():
        return "digit"
    if char.islower():
        return "lower"
    if char.isupper() or char.isalpha():
        return "upper"
    if char in ",;:%)]}":
        return "none"
    return "other"


def _next_word(line: str, index: int) -> str:
    end = index
    while end < len(line) and end - index < _MAX_TOKEN and not line[end].isspace():
        end += 1
    return line[index:end]


def _previous_word(line: str, index: int) -> str:
    end = index
    while end > 0 and line[end - 1].isspace():
        end -= 1
    start = end
    while start > max(0, end - _MAX_TOKEN) and not line[start - 1].isspace():
        start -= 1
    return line[start:end].strip("\"“”'‘’([{,")
