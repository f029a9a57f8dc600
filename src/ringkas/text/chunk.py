"""Fit text into a model's token budget without dropping any of it."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

TokenCounter = Callable[[str], int]

_CLAUSE_END = re.compile(r"[,;:)\]]\s+|\s+[-–—]\s+")


def _split_point(text: str) -> int:
    """Where to cut an over-long text: the clause break nearest the middle, else a space."""
    middle = len(text) / 2
    breaks = [m.end() for m in _CLAUSE_END.finditer(text) if 0 < m.end() < len(text)]
    if breaks:
        return min(breaks, key=lambda pos: abs(pos - middle))
    spaces = [i + 1 for i, ch in enumerate(text) if ch.isspace() and 0 < i + 1 < len(text)]
    if spaces:
        return min(spaces, key=lambda pos: abs(pos - middle))
    return max(1, len(text) // 2)


def split_to_fit(text: str, budget: int, count: TokenCounter) -> list[str]:
    """Cut ``text`` into consecutive pieces of at most ``budget`` tokens each.

    Pieces are cut at clause breaks when possible; joining them with spaces gives the
    text back up to whitespace.
    """
    text = text.strip()
    if not text or count(text) <= budget or len(text) < 2:
        return [text] if text else []
    cut = _split_point(text)
    return split_to_fit(text[:cut], budget, count) + split_to_fit(text[cut:], budget, count)


def pack(costs: Sequence[int], budget: int) -> list[list[int]]:
    """Group consecutive items into as few chunks of at most ``budget`` as possible,
    evened out so the last chunk is not a stub. Returns lists of item indices.

    Every item must cost at most ``budget`` (use :func:`split_to_fit` first).
    """
    if not costs:
        return []
    if max(costs) > budget:
        raise ValueError("an item is larger than the budget")
    total = sum(costs)
    chunks_needed = max(1, math.ceil(total / budget))
    while True:
        target = total / chunks_needed
        chunks: list[list[int]] = [[]]
        size = 0
        for index, cost in enumerate(costs):
            remaining_chunks = chunks_needed - len(chunks)
            over_target = size + cost / 2 > target and remaining_chunks > 0
            if chunks[-1] and (size + cost > budget or over_target):
                chunks.append([])
                size = 0
            chunks[-1].append(index)
            size += cost
        if len(chunks) <= chunks_needed:
            return chunks
        chunks_needed += 1
