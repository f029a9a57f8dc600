"""News boilerplate cleaning: the text worth translating, plus what was taken out.

:func:`clean_article` removes what Indonesian news scrapes carry besides the article
(datelines, "Baca juga" links, advertisement markers, video and WhatsApp promos,
editor codes, bylines, source lines, repeated paragraphs), keeps every removed piece
in :attr:`CleanedArticle.removed` for audit, and lifts dateline, outlet, source,
reporter and editor codes into :attr:`CleanedArticle.metadata`. When a line is not
clearly boilerplate it is kept.

Cleaning runs its passes until the text stops changing, so it is idempotent:
``clean_article(clean_article(t).text).text == clean_article(t).text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ringkas.text._boilerplate import (
    classify_line,
    code_value,
    is_headline,
    is_tag_line,
    read_also_at_start,
    remove_inline,
    strip_trailing_code,
)
from ringkas.text._dateline import find_dateline
from ringkas.text._dedupe import Removal, remove_repeats
from ringkas.text._layout import (
    ends_sentence,
    fold_short_runs,
    join_broken_lines,
    normalize_characters,
    normalize_whitespace,
)

__all__ = ["CleanedArticle", "clean_article", "normalize_whitespace"]

# Each pass only removes or joins, so a handful always reaches the fixed point.
_MAX_PASSES = 8
# Datelines sit in the first lines ("Jakarta\n-\nTimnas ..." spans three).
_DATELINE_LINES = 3
_METADATA_ORDER = (
    "dateline",
    "outlet",
    "source",
    "source_url",
    "reporter",
    "editor",
    "author",
    "codes",
)


@dataclass
class CleanedArticle:
    """The text to translate plus what was learnt and removed on the way."""

    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    removed: list[dict[str, str]] = field(default_factory=list)


@dataclass
class _Findings:
    """What the passes removed and learnt; the first value found for a key wins."""

    removed: list[Removal] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)

    def remove(self, kind: str, text: str, metadata: dict[str, Any] | None = None) -> None:
        if text.strip():
            self.removed.append(Removal(kind, text.strip()))
        self.learn(metadata or {})

    def learn(self, metadata: dict[str, Any]) -> None:
        for key, value in metadata.items():
            if value and key not in self.metadata:
                self.metadata[key] = value


def clean_article(text: str) -> CleanedArticle:
    """Clean a raw scraped article; never raises, keeps whatever is not boilerplate."""
    findings = _Findings()
    current = text
    for _ in range(_MAX_PASSES):
        cleaned = _clean_pass(current, findings)
        if cleaned == current:
            break
        current = cleaned
    metadata = {key: findings.metadata[key] for key in _METADATA_ORDER if key in findings.metadata}
    if findings.codes:
        metadata["codes"] = findings.codes
    metadata["removed_count"] = len(findings.removed)
    removed = [{"kind": item.kind, "text": item.text} for item in findings.removed]
    return CleanedArticle(text=current, metadata=metadata, removed=removed)


def _clean_pass(text: str, findings: _Findings) -> str:
    text = normalize_whitespace(normalize_characters(text))
    lines = text.split("\n") if text else []
    lines, repeats = remove_repeats(lines)
    for repeat in repeats:
        findings.remove(repeat.kind, repeat.text)
    lines = _drop_boilerplate_lines(lines, findings)
    lines = _drop_trailing(lines, findings)
    lines = fold_short_runs(join_broken_lines(lines))
    lines = _drop_dateline(lines, findings)
    lines = _drop_boilerplate_lines(lines, findings)
    lines = _drop_inline(lines, findings)
    lines = _drop_trailing(lines, findings)
    return normalize_whitespace("\n".join(lines))


def _drop_boilerplate_lines(lines: list[str], findings: _Findings) -> list[str]:
    kept: list[str] = []
    expecting_titles = False
    for line in lines:
        verdict = classify_line(line)
        if verdict:
            findings.remove(verdict.kind, line, verdict.metadata)
            continue
        read_also = read_also_at_start(line)
        if read_also:
            length, bare = read_also
            findings.remove("read_also", line[:length])
            rest = line[length:].strip()
            expecting_titles = bare
            if rest:
                kept.append(rest)
            continue
        # A bare "Baca Juga" heads a list of linked titles on the lines below it.
        if expecting_titles and is_headline(line):
            findings.remove("read_also", line)
            continue
        expecting_titles = False
        kept.append(line)
    return kept


def _drop_trailing(lines: list[str], findings: _Findings) -> list[str]:
    """Remove editor codes, and the topic tags after them, that close the article."""
    lines = list(lines)
    tags_start = len(lines)
    while tags_start > 0 and is_tag_line(lines[tags_start - 1]):
        tags_start -= 1
    code_before_tags = tags_start > 0 and strip_trailing_code(lines[tags_start - 1])[0] == ""
    if len(lines) - tags_start >= 2 and code_before_tags:
        for line in lines[tags_start:]:
            findings.remove("tags", line)
        del lines[tags_start:]
    while lines:
        rest, code = strip_trailing_code(lines[-1])
        if code is None:
            break
        findings.remove("editor_code", code)
        if code_value(code) not in findings.codes:
            findings.codes.append(code_value(code))
        if rest:
            lines[-1] = rest
            break
        lines.pop()
    return lines


def _drop_dateline(lines: list[str], findings: _Findings) -> list[str]:
    # A headline may come first ("Angkatan Udara AS ...\nTRIBUNNEWS.COM- Angkatan ...").
    skip = 1 if len(lines) > 1 and is_headline(lines[0]) and not ends_sentence(lines[0]) else 0
    for first in dict.fromkeys((0, skip)):
        head = "\n".join(lines[first : first + _DATELINE_LINES])
        dateline = find_dateline(head)
        if dateline is None:
            continue
        metadata = {"dateline": dateline.place, "outlet": dateline.outlet}
        findings.remove("dateline", dateline.text, metadata)
        rest = [line for line in head[len(dateline.text) :].split("\n") if line.strip()]
        return lines[:first] + rest + lines[first + _DATELINE_LINES :]
    return lines


def _drop_inline(lines: list[str], findings: _Findings) -> list[str]:
    kept: list[str] = []
    for line in lines:
        rest, removed, metadata = remove_inline(line)
        for item in removed:
            findings.remove(item.kind, item.text)
        findings.learn(metadata)
        if rest:
            kept.append(rest)
    return kept
