"""Property tests: the checker never crashes and its offsets are always valid."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ringkas.check import check_summary
from ringkas.check.numbers import parse_literal
from ringkas.check.quantities import find_mentions

# Fragments that exercise the parsers: notations, separators, units, names, odd punctuation.
FRAGMENTS = [
    "Rp", "Rp.", "1.500", "1,500", "2,5", "persen", "%", "juta", "miliar", "triliun", "million",
    "billion", "8/3/2023", "(08 - 09/08/03/23)", "/", "-", "–", "pukul", "08.30", "WIT", "a.m.",
    "p.m.", ":", "Rabu", "Wednesday", "Maret", "March", "May", "dua", "hari", "two", "and",
    "a", "hundred", "lantai", "5th", "4.0", "MB-01", "COVID-19", "Sadali", "Ie", "KUMKM",
    "Bapak", "the", "of", "US$", "$", "£11million", "1990s", "ke-2", ".", ",", "(", ")", "“",
    "’s", "\n", " ", "  ", "\u00a0", "0", "99", "31", "12", "2024", "e", "-an", "s/d",
]  # fmt: skip

fragment_text = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=200), fragment_text)


@settings(max_examples=300, deadline=None)
@given(summary=any_text, source=st.lists(any_text, max_size=5), translated=st.booleans())
def test_check_summary_never_crashes(summary: str, source: list[str], translated: bool) -> None:
    translation = [s.upper() for s in source] if translated else None
    report = check_summary(summary, source, translation)
    data = report.to_dict()
    json.dumps(data)
    assert report.faithful == (report.unsupported_count == 0)
    for sentence in report.sentences:
        assert summary[sentence.offset : sentence.offset + len(sentence.text)] == sentence.text
        assert len(sentence.support) <= 3
        for support in sentence.support:
            assert 0 <= support.sentence < len(source)
            assert 0.0 <= support.score <= 1.0
        for item in sentence.unsupported:
            assert 0 <= item.start < item.end <= len(sentence.text)
            assert sentence.text[item.start : item.end] == item.text


@settings(max_examples=300, deadline=None)
@given(text=any_text, source=st.booleans())
def test_mentions_are_spans_of_the_text(text: str, source: bool) -> None:
    for mention in find_mentions(text, source=source):
        assert text[mention.start : mention.end] == mention.text
        assert mention.readings


@given(st.from_regex(r"\d{1,12}(?:[.,]\d{1,4}){0,4}", fullmatch=True))
def test_parse_literal_never_raises(literal: str) -> None:
    for reading in parse_literal(literal):
        assert reading.value >= 0


@settings(max_examples=100, deadline=None)
@given(summary=fragment_text)
def test_summary_copied_from_source_is_faithful(summary: str) -> None:
    # Whatever the summary says, it is supported by an article that says exactly that.
    report = check_summary(summary, [summary])
    assert [u for s in report.sentences for u in s.unsupported if u.kind != "name"] == []
