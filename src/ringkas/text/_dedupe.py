"""Repeated paragraphs: exact repeats and "collapsed" lines made of other lines.

Scrapers repeat content in two ways. Some repeat a paragraph (or a block of them)
verbatim. Others emit the article once with its paragraphs glued together and then
again paragraph by paragraph; some even emit every suffix of that glued text
(okezone, republika and kapanlagi pages in the corpus). A glued line is recognised
when at least half of it consists of other, shorter lines; it is replaced by the
parts that no other line repeats (often a lead paragraph or a "Baca juga" insert),
so no text is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

# Short lines ("Jepang", "Menang: +3,43 Poin") legitimately repeat in tables and lists.
MIN_DUPLICATE_WORDS = 6
# A line counts as collapsed when other lines cover at least this share of it.
MIN_COVERAGE = 0.5
_MIN_PIECE_CHARS = 30
_MIN_COLLAPSED_CHARS = 80
_MIN_TRUNCATED_CHARS = 20
# Beyond this many lines only exact repeats go (scrapers that collapse repeat short pages).
_MAX_LINES_FOR_COLLAPSE = 1500
# Shorter lines are found inside a line by their first characters (a dictionary look-up per
# position, not a search per line pair); at most this many lines sharing those characters
# are tried at one position, longest first, so crafted look-alike lines stay linear.
_KEY_CHARS = _MIN_PIECE_CHARS
_MAX_CANDIDATES = 16


@dataclass
class Removal:
    """A piece of text taken out, with the reason."""

    kind: str
    text: str


def remove_repeats(lines: list[str]) -> tuple[list[str], list[Removal]]:
    """Drop exact repeats and collapsed lines; return kept lines and what was removed."""
    kept, removed = _drop_exact_repeats(lines)
    if len(kept) <= _MAX_LINES_FOR_COLLAPSE:
        kept, collapsed = _expand_collapsed(kept)
        removed.extend(collapsed)
    return kept, removed


def _drop_exact_repeats(lines: list[str]) -> tuple[list[str], list[Removal]]:
    seen: set[str] = set()
    kept: list[str] = []
    removed: list[Removal] = []
    for line in lines:
        key = line.casefold()
        if key in seen and len(line.split()) >= MIN_DUPLICATE_WORDS:
            removed.append(Removal("duplicate_paragraph", line))
            continue
        seen.add(key)
        kept.append(line)
    return kept, removed


def _expand_collapsed(lines: list[str]) -> tuple[list[str], list[Removal]]:
    pieces = _PieceIndex({line for line in lines if len(line) >= _MIN_PIECE_CHARS})
    coverage = [
        pieces.coverage(line) if len(line) >= _MIN_COLLAPSED_CHARS else [] for line in lines
    ]
    collapsed = [
        sum(end - start for start, end in covered) >= MIN_COVERAGE * len(line)
        for line, covered in zip(lines, coverage, strict=True)
    ]
    whole_text = "\n".join(line for line, gone in zip(lines, collapsed, strict=True) if not gone)
    result: list[str] = []
    removed: list[Removal] = []
    residuals_seen: set[str] = set()
    for line, covered, gone in zip(lines, coverage, collapsed, strict=True):
        if not gone:
            result.append(line)
            continue
        cursor = 0
        for start, end in [*covered, (len(line), len(line))]:
            residual = line[cursor:start].strip()
            if residual and _is_new_text(residual, whole_text, residuals_seen):
                result.append(residual)
            elif residual:
                removed.append(Removal("duplicate_paragraph", residual))
            if end > start:
                removed.append(Removal("duplicate_paragraph", line[start:end]))
            cursor = end
    return result, removed


def _is_new_text(residual: str, whole_text: str, seen: set[str]) -> bool:
    """Whether a leftover of a collapsed line says something no kept line says."""
    if not any(char.isalnum() for char in residual) or residual in seen:
        return False
    seen.add(residual)
    # A collapsed line may stop mid-paragraph; its cut-off tail repeats a kept line.
    return len(residual) < _MIN_TRUNCATED_CHARS or residual not in whole_text


class _PieceIndex:
    """Lines that may repeat inside longer lines, keyed by their first characters."""

    def __init__(self, pieces: set[str]) -> None:
        self.by_key: dict[str, list[str]] = {}
        for piece in sorted(pieces, key=len, reverse=True):
            self.by_key.setdefault(piece[:_KEY_CHARS], []).append(piece)

    def coverage(self, line: str) -> list[tuple[int, int]]:
        """Merged intervals of ``line`` that shorter lines repeat verbatim."""
        merged: list[tuple[int, int]] = []
        by_key = self.by_key
        for start in range(len(line) - _KEY_CHARS + 1):
            candidates = by_key.get(line[start : start + _KEY_CHARS])
            if not candidates:
                continue
            for piece in candidates[:_MAX_CANDIDATES]:  # longest first
                if len(piece) < len(line) and line.startswith(piece, start):
                    end = start + len(piece)
                    if merged and start <= merged[-1][1]:
                        merged[-1] = (merged[-1][0], max(merged[-1][1], end))
                    else:
                        merged.append((start, end))
                    break
        return merged
