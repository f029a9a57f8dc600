"""Property-based tests: the splitter is lossless, the cleaner never crashes and is idempotent."""

from __future__ import annotations

import itertools
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ringkas.text import (
    clean_article,
    normalize_whitespace,
    paragraph_spans,
    sentence_spans,
    split_sentences,
)

# Pieces of real Indonesian news, boilerplate markers included, so that generated text
# exercises the rules rather than only random characters.
NEWS_PIECES = [
    "JAKARTA, KOMPAS.com -",
    "Liputan6.com, Jakarta",
    "AMBON,MALUKUBERSATU.COM - ",
    "Jakarta\n-\n",
    "Baca juga:",
    "Baca Juga",
    "Baca juga: Harga Emas Naik Lagi",
    "BACA JUGA - ",
    "SCROLL TO CONTINUE WITH CONTENT",
    "ADVERTISEMENT",
    "Advertisement",
    "Loading...",
    "[Gambas:Video 20detik]",
    "Simak juga Video: Banjir di Jakarta",
    "(kpl/wri)",
    "(MB-01).",
    "(*)",
    "Laporan Wartawan TribunSolo, Erlangga Bima",
    "Reporter: MelkyEditor: Oki Budiman",
    "Sumber : https://example.com/a",
    "Ikuti Whatsapp Channel Republika",
    "Dr. Budi",
    "Hj. Siti",
    "Jl. Sudirman No. 5.",
    "Rp7,4 triliun",
    "$103,7 juta",
    "1.500",
    "2,5 persen",
    "8/3/2023",
    "08.30 WIB",
    "S.H., M.Si.",
    "a.n.",
    "dll.",
    "B. J. Habibie",
    "https://www.kompas.com/read/1.html",
    "redaksi@example.co.id",
    "...",
    "…",
    '"Kami siap," kata dia.',
    "“Kami siap.”",
    "”Ya,” ujarnya.",
    "kata Sekda.",
    "Presiden Joko Widodo mengatakan",
    "terakhir.Kerusuhan",
    "1. Tunik Bunga",
    "\u00a0",
    "\u200b",
    "\t",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    ".",
    "?",
    "!",
    ",",
    "(",
    ")",
    '"',
    "'",
    "-",
    "Dia",
    "pergi",
    "ke",
    "pasar",
    "BMKG",
    "Iran",
    "juga",
]

news_text = st.lists(st.one_of(st.sampled_from(NEWS_PIECES), st.text(max_size=8)), max_size=40).map(
    "".join
)
any_text = st.one_of(st.text(max_size=300), news_text)


def _check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    if not text:
        assert spans == []
        return
    assert spans[0][0] == 0
    assert spans[-1][1] == len(text)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end == start
    assert all(end > start for start, end in spans)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_sentence_spans_cover_every_character_once(text: str) -> None:
    spans = sentence_spans(text)
    _check_spans(text, spans)
    assert "".join(split_sentences(text)) == text


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_keep_quotes_is_lossless_too(text: str) -> None:
    _check_spans(text, sentence_spans(text, keep_quotes=True))


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_a_line_break_always_ends_a_sentence(text: str) -> None:
    for sentence in split_sentences(text):
        body = sentence.strip()
        assert "\n" not in body and "\r" not in body


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_whitespace_between_sentences_belongs_to_the_one_before(text: str) -> None:
    for start, _ in sentence_spans(text)[1:]:
        assert not text[start].isspace()


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_paragraph_spans_are_lossless(text: str) -> None:
    _check_spans(text, paragraph_spans(text))


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_cleaning_never_crashes_and_is_idempotent(text: str) -> None:
    cleaned = clean_article(text)
    assert clean_article(cleaned.text).text == cleaned.text
    json.dumps(cleaned.metadata)
    json.dumps(cleaned.removed)
    assert cleaned.metadata["removed_count"] == len(cleaned.removed)
    assert all(set(item) == {"kind", "text"} for item in cleaned.removed)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_cleaned_text_is_normalised(text: str) -> None:
    cleaned = clean_article(text).text
    assert normalize_whitespace(cleaned) == cleaned
    assert "\n\n" not in cleaned and "\u00a0" not in cleaned
    assert all(line == line.strip() and line for line in cleaned.split("\n") if cleaned)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_normalize_whitespace_is_idempotent(text: str) -> None:
    once = normalize_whitespace(text)
    assert normalize_whitespace(once) == once
