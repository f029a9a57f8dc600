"""The delimiters that fence the article in a prompt, and removing their look-alikes.

Anything in an article (or a template) that could close the article block or pass for a
chat-template control token (generic ones, and the loaded model's own special and added
tokens, which the caller passes in) is removed before it reaches a model.
"""

from __future__ import annotations

import re
from collections.abc import Collection

ARTICLE_OPEN, ARTICLE_CLOSE = "<article>", "</article>"
# T5's vocabulary has no "<", so the plain-text prompt is delimited by words.
TEXT_OPEN, TEXT_CLOSE = "ARTICLE START", "ARTICLE END"

_LT, _GT = "[<\uff1c\ufe64\u2039\u3008]", "[>\uff1e\ufe65\u203a\u3009]"
_MARKER = re.compile(r"\barticle[\s_-]*(?:start|end)\b", re.I)
# A run of marker words ("article article end end"): nested markers re-form as the inner
# ones go, so after _MAX_PASSES a run holding a marker is removed whole. Linear: the run
# only grows, nothing after it can fail.
_MARKER_RUN = re.compile(r"\barticle(?:[\s_-]*(?:article|start|end))+", re.I)
_DELIMITERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("article tag", re.compile(rf"{_LT}\s*/?\s*article\b(?:[^<>\n]{{0,80}}?{_GT})?", re.I)),
    ("article tag", re.compile(r"&lt;\s*/?\s*article\b(?:[^&\n]{0,80}?&gt;)?", re.I)),
    ("article marker", _MARKER),
    ("control token", re.compile(rf"{_LT}[|\uff5c][^\n]{{0,64}}?[|\uff5c]{_GT}")),
    ("control token", re.compile(r"<</?SYS>>|\[/?INST\]|<(?:start|end)_of_turn>", re.I)),
    ("control token", re.compile(r"</?(?:s|pad|unk|eos|bos|mask|sep|cls|think)>|<extra_id_\d+>")),
)
FENCE = re.compile(r"`{3,}|~{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
# Passes before nesting is taken for an attack (one level of nesting goes per pass).
_MAX_PASSES = 3
# What tags and control tokens are made of: removed from an article that keeps forming new
# delimiters after _MAX_PASSES, so that no delimiter can form again (see _neutralise).
_BRACKETS = re.compile(rf"{_LT}|{_GT}|&lt;|&gt;", re.I)
# A model's own control tokens look like markup; an added token that is a plain word
# ("Jakarta" in some vocabularies) is text, not a token to remove.
_PLAIN_TOKEN = re.compile(r"[\w\s.,'’-]*")


def control_token_pattern(tokens: Collection[str]) -> re.Pattern[str] | None:
    """One pattern for a model's special and added tokens that look like markup."""
    markup = sorted(
        {t for t in tokens if t and not _PLAIN_TOKEN.fullmatch(t)}, key=len, reverse=True
    )
    return re.compile("|".join(map(re.escape, markup))) if markup else None


def neutralise(
    text: str, *, fences: bool = True, tokens: re.Pattern[str] | None = None
) -> tuple[str, list[str]]:
    """``text`` without anything that could close the article block or act as a control
    token (the generic ones, and the model's own ``tokens``), and the kinds removed.

    A removal can join two halves into a new delimiter ("<" + "<article>" + "article>"),
    so passes repeat; each takes one level of nesting, which is bounded: after
    _MAX_PASSES the characters that tags and control tokens are made of go, one more pass
    takes what can still form (code fences, [INST]), and runs of marker words holding a
    marker go whole. Linear in the length of ``text``.
    """
    patterns = list(_DELIMITERS)
    if tokens is not None:
        patterns.insert(0, ("control token", tokens))
    if fences:
        patterns.append(("code fence", FENCE))
    removed: list[str] = []

    def sweep(chosen: list[tuple[str, re.Pattern[str]]]) -> bool:
        nonlocal text
        changed = False
        for kind, pattern in chosen:
            text, count = pattern.subn(" ", text)
            if count:
                removed.extend([kind] * count)
                changed = True
        return changed

    for _ in range(_MAX_PASSES):
        if not sweep(patterns):
            return text, removed
    text, count = _BRACKETS.subn(" ", text)
    removed.extend(["delimiter character"] * count)
    # Without brackets only fences, [INST] and markers can still match; a fence or [INST]
    # removed between marker words can join them, so markers go last, a whole run at once.
    sweep([(k, p) for k, p in patterns if p is not _MARKER])

    def run(match: re.Match[str]) -> str:
        if _MARKER.search(match.group()) is None:
            return match.group()
        removed.append("article marker")
        return " "

    text = _MARKER_RUN.sub(run, text)
    return text, removed


def clean_control_text(article: str) -> str:
    """The article with line breaks normalised and invisible control characters removed."""
    article = article.replace("\r\n", "\n").replace("\r", "\n")
    article = article.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("", article).strip()
