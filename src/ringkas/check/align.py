"""Attribution: which source sentences support a summary sentence, by weighted word overlap.

Each sentence becomes a set of content words (function words dropped, light English stemming,
numbers reduced to their digits). Words are weighted by inverse sentence frequency in the
article; numbers and capitalised words count double, because they carry the facts. A source
sentence's score is an F-measure that favours how much of the summary sentence it covers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from ringkas.check.words import FUNCTION_WORDS, normalise_token
from ringkas.result import Support

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?")
_BETA2 = 0.25  # F-beta with beta = 0.5: covering the summary sentence matters most
MAX_SUPPORT = 3
MIN_SCORE = 0.05
MIN_GAIN = 0.2  # a further sentence must cover this share of the summary sentence


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    if len(word) > 5 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s", "nya"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def content_words(text: str, *, facts_only: bool = False) -> dict[str, bool]:
    """Content words of ``text`` mapped to whether each carries a fact (number or name)."""
    words: dict[str, bool] = {}
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0].isdigit():
            digits = re.sub(r"[.,]", "", token).lstrip("0") or "0"
            words[digits] = True
            continue
        word = normalise_token(token)
        if word in FUNCTION_WORDS or len(word) < 2:
            continue
        capitalised = token[0].isupper() and match.start() > 0
        if facts_only and not capitalised:
            continue
        key = _stem(word)
        words[key] = words.get(key, False) or capitalised
    return words


class Aligner:
    """Scores summary sentences against an article's sentences."""

    def __init__(self, sentences: Sequence[str], extra: Sequence[str] | None = None) -> None:
        """``sentences``: English (or the only) text per sentence; ``extra``: the original, whose
        numbers and names are added to the same sentence ids."""
        self._sentences: list[dict[str, bool]] = []
        for i, sentence in enumerate(sentences):
            words = content_words(sentence)
            if extra is not None:
                for word, fact in content_words(extra[i], facts_only=True).items():
                    words.setdefault(word, fact)
            self._sentences.append(words)
        total = len(self._sentences)
        frequency: dict[str, int] = {}
        for words in self._sentences:
            for word in words:
                frequency[word] = frequency.get(word, 0) + 1
        self._idf = {w: 1.0 + math.log((total + 1) / (n + 1)) for w, n in frequency.items()}
        self._default_idf = 1.0 + math.log(total + 1)
        self._mass = [sum(self._weight(w, f) for w, f in s.items()) for s in self._sentences]

    def _weight(self, word: str, fact: bool) -> float:
        return self._idf.get(word, self._default_idf) * (2.0 if fact else 1.0)

    def support(self, sentence: str) -> list[Support]:
        """The best supporting source sentences for ``sentence``, best first (at most three)."""
        words = content_words(sentence)
        weights = {w: self._weight(w, fact) for w, fact in words.items()}
        total = sum(weights.values())
        if not total:
            return []
        scores: list[float] = []
        for i, source in enumerate(self._sentences):
            matched = sum(weight for word, weight in weights.items() if word in source)
            precision = matched / total
            recall = matched / self._mass[i] if self._mass[i] else 0.0
            denominator = _BETA2 * precision + recall
            scores.append((1 + _BETA2) * precision * recall / denominator if denominator else 0.0)
        chosen: list[int] = []
        covered: set[str] = set()
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
        for i in ranked:
            if len(chosen) == MAX_SUPPORT or scores[i] < MIN_SCORE:
                break
            new = sum(weights[w] for w in weights if w in self._sentences[i] and w not in covered)
            if chosen and new / total < MIN_GAIN:
                continue
            chosen.append(i)
            covered.update(w for w in weights if w in self._sentences[i])
        return [Support(i, round(min(1.0, scores[i]), 4)) for i in chosen]
