"""News boilerplate cleaning (interim: whitespace normalisation only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CleanedArticle:
    """The text to translate plus what was learnt and removed on the way."""

    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    removed: list[dict[str, str]] = field(default_factory=list)


def clean_article(text: str) -> CleanedArticle:
    """Normalise whitespace and drop empty lines."""
    lines = [" ".join(line.split()) for line in text.replace("\u00a0", " ").splitlines()]
    return CleanedArticle(text="\n".join(line for line in lines if line))
