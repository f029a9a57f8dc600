"""Sentence segmentation (interim: naive; replaced by the Indonesian splitter)."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?])\s+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets covering every character of ``text`` exactly once."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if end > start:
            spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences; joining them gives back ``text``."""
    return [text[a:b] for a, b in sentence_spans(text)]
