"""The delimiters that fence the article in a prompt, and removing their look-alikes.

Anything in an article (or a template) that could close the article block or pass for a
chat-template control token is removed before it reaches a model.
"""

from __future__ import annotations

import re

ARTICLE_OPEN, ARTICLE_CLOSE = "<article>", "</article>"
# T5's vocabulary has no "<", so the plain-text prompt is delimited by words.
TEXT_OPEN, TEXT_CLOSE = "ARTICLE START", "ARTICLE END"

_LT, _GT = "[<\uff1c\ufe64\u2039\u3008]", "[>\uff1e\ufe65\u203a\u3009]"
_DELIMITERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("article tag", re.compile(rf"{_LT}\s*/?\s*article\b(?:[^<>\n]{{0,80}}?{_GT})?", re.I)),
    ("article tag", re.compile(r"&lt;\s*/?\s*article\b(?:[^&\n]{0,80}?&gt;)?", re.I)),
    ("article marker", re.compile(r"\barticle[\s_-]*(?:start|end)\b", re.I)),
    ("control token", re.compile(rf"{_LT}[|\uff5c][^\n]{{0,64}}?[|\uff5c]{_GT}")),
    ("control token", re.compile(r"<</?SYS>>|\[/?INST\]|<(?:start|end)_of_turn>", re.I)),
    ("control token", re.compile(r"</?(?:s|pad|unk|eos|bos|mask|sep|cls|think)>|<extra_id_\d+>")),
)
FENCE = re.compile(r"`{3,}|~{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")


def neutralise(text: str, *, fences: bool = True) -> tuple[str, list[str]]:
    """``text`` without anything that could close the article block or act as a control
    token, and the kinds removed. Repeated until nothing matches, since a removal can join
    two halves into a new delimiter."""
    patterns = [*_DELIMITERS, ("code fence", FENCE)] if fences else list(_DELIMITERS)
    removed: list[str] = []
    changed = True
    while changed:
        changed = False
        for kind, pattern in patterns:
            text, count = pattern.subn(" ", text)
            if count:
                removed += [kind] * count
                changed = True
    return text, removed


def clean_control_text(article: str) -> str:
    """The article with line breaks normalised and invisible control characters removed."""
    article = article.replace("\r\n", "\n").replace("\r", "\n")
    article = article.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("", article).strip()
