"""Character and line layout repairs: whitespace, quotes, mojibake, broken lines."""

from __future__ import annotations

import re
import unicodedata

# Zero-width characters and the soft hyphen carry no text; scrapers leave them behind.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_DOUBLE_QUOTES = re.compile("[“”„‟«»]")
_SINGLE_QUOTES = re.compile("[‘’‚‛]")

# UTF-8 read as Windows-1252, as in "BjÃ¶rk" or "Wall â€"siapa" (an em dash whose last
# byte later became a straight quote). Only these unambiguous shapes are repaired.
_MOJIBAKE_FIXED = {
    'â€"': "—",
    "â€“": "–",
    "â€”": "—",
    "â€™": "'",
    "â€˜": "'",
    "â€œ": '"',
    "â€¦": "…",
}
_MOJIBAKE = re.compile(
    "|".join(map(re.escape, _MOJIBAKE_FIXED)) + "|Ã[\u0080-\u00bf€‚ƒ„†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]"
)

# A line ends a sentence when its last visible character (before closing marks) is one of these.
_SENTENCE_FINAL = ".!?…"
_CLOSING_MARKS = "\"')]"
_LIST_START = re.compile(r"^(?:\d{1,3}[.)]|[-•*–]\s|[a-z][.)]\s)")


def normalize_whitespace(text: str) -> str:
    """Normalise line breaks, spaces (NBSP, tabs) and invisible characters.

    The result has one paragraph per line, single spaces inside lines and no empty
    lines; it is what the pipeline translates when cleaning is switched off.
    """
    lines = []
    for line in _INVISIBLE.sub("", text).splitlines():
        line = " ".join(line.split())
        if not line.isprintable():  # control characters: drop them like spaces
            line = " ".join("".join(c if c.isprintable() else " " for c in line).split())
        if line:
            lines.append(line)
    return "\n".join(lines)


def normalize_characters(text: str) -> str:
    """Repair mojibake and make quotes straight, so mixed quote styles pair up."""
    text = _MOJIBAKE.sub(_fix_mojibake, text)
    text = unicodedata.normalize("NFC", text)
    text = _DOUBLE_QUOTES.sub('"', text)
    return _SINGLE_QUOTES.sub("'", text)


def _fix_mojibake(match: re.Match[str]) -> str:
    found = match.group()
    if found in _MOJIBAKE_FIXED:
        return _MOJIBAKE_FIXED[found]
    try:
        return found.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return found


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends with sentence-final punctuation."""
    # Only the end of the line is looked at: a search over the whole line would make
    # joining many short lines quadratic.
    end = len(line)
    while end > 0 and line[end - 1] in _CLOSING_MARKS:
        end -= 1
    return end > 0 and line[end - 1] in _SENTENCE_FINAL


def join_broken_lines(lines: list[str]) -> list[str]:
    """Re-join lines that a scraper broke around links ("PT\\nMayora\\nIndah Tbk ...").

    A line is continued when the next one starts in lower case or with closing
    punctuation, or when the line opens a bracket it does not close.
    """
    joined: list[str] = []
    current: _Joined | None = None
    for line in lines:
        if current is not None and current.continued_by(line):
            current.add(line)
            continue
        if current is not None:
            joined.append(current.text())
        current = _Joined(line)
    if current is not None:
        joined.append(current.text())
    return joined


class _Joined:
    """A line being re-joined: its pieces and open brackets kept as it grows, so that
    joining many lines stays linear."""

    def __init__(self, line: str) -> None:
        self.pieces = [line]
        self.last = line
        self.open = line.count("(") - line.count(")")

    def continued_by(self, line: str) -> bool:
        last = self.last
        if ends_sentence(last) or last.endswith(":"):
            return False
        if last.endswith(("(", "[")) or self.open > 0:
            return True
        first = line[0]
        return first.islower() or first in ")],.;:%"

    def add(self, line: str) -> None:
        if not (self.last.endswith(("(", "[")) or line[0] in ")],.;:%"):
            self.pieces.append(" ")
        self.pieces.append(line)
        self.open += line.count("(") - line.count(")")
        # ends_sentence and endswith look at the end only: keep the last characters.
        self.last = (self.last[-64:] + line)[-64:]

    def text(self) -> str:
        return "".join(self.pieces)


def _is_short_fragment(line: str) -> bool:
    return (
        len(line.split()) <= 3
        and not ends_sentence(line)
        and ":" not in line
        and not _LIST_START.match(line)
    )


def fold_short_runs(lines: list[str]) -> list[str]:
    """Fold runs of one-to-three-word lines back into the sentence that they break.

    A run is folded, together with the line after it, into the line before it when
    that line does not end a sentence and the line after it does. A subheading follows
    a finished sentence, and a table of short labelled rows never ends one, so both
    stay on their own lines.
    """
    result: list[str] = []
    index = 0
    while index < len(lines):
        run_end = index
        while run_end < len(lines) and _is_short_fragment(lines[run_end]):
            run_end += 1
        follower = lines[run_end] if run_end < len(lines) else ""
        if (
            run_end > index
            and result
            and not ends_sentence(result[-1])
            and not result[-1].endswith(":")
            and follower
            and ends_sentence(follower)
            and not _is_short_fragment(follower)
            and not _LIST_START.match(follower)
        ):
            result[-1] = " ".join([result[-1], *lines[index:run_end], follower])
            index = run_end + 1
        elif run_end > index:
            result.extend(lines[index:run_end])
            index = run_end
        else:
            result.append(lines[index])
            index += 1
    return result
