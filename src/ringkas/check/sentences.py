"""A small sentence splitter for English summaries (tolerant of Indonesian abbreviations)."""

from __future__ import annotations

import re

from ringkas.check.words import word_set

# Words whose trailing full stop does not end a sentence.
ABBREVIATIONS = word_set(
    """
    mr mrs ms dr prof sr jr st mt ft gen gov sen rep lt col capt sgt cpl maj adm supt insp
    inc ltd co corp plc bros dept univ assn no nos vol fig approx est vs etc al
    jan feb mar apr jun jul aug sep sept oct nov dec
    rp jl jln tn ny nn sdr bpk kab kec kel prov tbk pt cv hj dkk dll dsb tsb yth ir drs dra
    """
)
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)|\n\s*\n|\n")
_WORD_BEFORE = re.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*)\.?$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, surrounding whitespace excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if match.group()[0] == "." and _is_abbreviation(text, match.start(), end):
            continue
        _append(spans, text, start, end)
        start = end
    _append(spans, text, start, len(text))
    return spans


def _is_abbreviation(text: str, dot: int, end: int) -> bool:
    before = _WORD_BEFORE.search(text[max(0, dot - 20) : dot])
    rest = text[end : end + 40].lstrip()
    if before is None:
        return False
    word = before.group(1)
    if "." in word or (len(word) == 1 and word.isupper()):
        # "U.S." or an initial ("H. Basalama"): a sentence only if lower case does not follow.
        return not rest[:1].isupper() or len(word) == 1
    if word.lower() in ABBREVIATIONS:
        return True
    return bool(rest) and rest[0].islower()


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, stripped."""
    return [text[a:b] for a, b in sentence_spans(text)]
