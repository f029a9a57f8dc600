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


def _greedy(costs: Sequence[int], capacity: int) -> list[list[int]]:
    chunks: list[list[int]] = [[]]
    size = 0
    for index, cost in enumerate(costs):
        if chunks[-1] and size + cost > capacity:
            chunks.append([])
            size = 0
        chunks[-1].append(index)
        size += cost
    return chunks


def pack(costs: Sequence[int], budget: int) -> list[list[int]]:
    """Group consecutive items into as few chunks of at most ``budget`` as possible, with
    the largest chunk as small as it can be (so the last chunk is not a stub).
    Returns lists of item indices.

    Every item must cost at most ``budget`` (use :func:`split_to_fit` first).
    """
    if not costs:
        return []
    if max(costs) > budget:
        raise ValueError("an item is larger than the budget")
    fewest = len(_greedy(costs, budget))  # greedy filling gives the fewest chunks
    # The smallest capacity that still needs no more chunks: binary search.
    low, high = max(max(costs), math.ceil(sum(costs) / fewest)), budget
    while low < high:
        middle = (low + high) // 2
        if len(_greedy(costs, middle)) <= fewest:
            high = middle
        else:
            low = middle + 1
    return _greedy(costs, low)
