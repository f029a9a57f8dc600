"""Issue 14's classes of text rules: the dateline family, and what joins or splits sentences.

Each case is written from general Indonesian news orthography, not from a gold unit.
"""

from __future__ import annotations

import itertools

import pytest

from ringkas.text import clean_article, split_sentences

BODY = "Pemerintah menaikkan harga BBM pada hari Senin, kata pejabat itu."

# Outlets and places as they open articles: domain or parenthesised agency, any case.
OUTLETS = ["KOMPAS.com", "Kompas.com", "kompas.com", "TRIBUNNEWS.COM", "Liputan6.com"]
PLACES = ["JAKARTA", "Jakarta", "BANDAR LAMPUNG", "Bandar Lampung", "Bandar LAMPUNG"]
DASHES = ["-", "–", "—", "--"]
# How the dash meets its neighbours: glued, spaced, or spaced on one side.
JOINS = ["{d}", " {d} ", " {d}", "{d} "]


def dateline_cases() -> list[str]:
    cases = []
    for outlet, dash, join in itertools.product(OUTLETS, DASHES, JOINS):
        separator = join.format(d=dash)
        cases.append(f"{outlet}{separator}{BODY}")  # without a city
        place = PLACES[len(cases) % len(PLACES)]
        cases.append(f"{place}, {outlet}{separator}{BODY}")  # city first
        cases.append(f"{outlet}, {place}{separator}{BODY}")  # outlet first
    for place, join in itertools.product(PLACES, JOINS):
        cases.append(f"{place} (ANTARA){join.format(d='-')}{BODY}")
    return cases


@pytest.mark.parametrize("article", dateline_cases())
def test_the_dateline_family_is_removed(article: str) -> None:
    cleaned = clean_article(article)
    assert cleaned.text == BODY, cleaned.text
    assert cleaned.metadata.get("outlet")
    assert [item["kind"] for item in cleaned.removed] == ["dateline"]


@pytest.mark.parametrize(
    "article",
    [
        "COVID-19 kembali menyebar di Jakarta pada hari Senin.",
        "ASEAN-China bertemu di Jakarta pada hari Senin.",
        "detik.com-based startups tumbuh pesat di Jakarta tahun ini.",
        "Anang-Ashanty hadir di acara itu pada hari Senin.",
        "Jakarta-Bandung ditempuh tiga jam pada hari Senin.",
    ],
)
def test_hyphenated_openings_are_not_datelines(article: str) -> None:
    cleaned = clean_article(article)
    assert cleaned.text == article
    assert "dateline" not in cleaned.metadata


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # A dotted abbreviation ends a sentence before a word that opens sentences...
        (
            "Rapat itu digelar di Washington, D.C. Pada hari Jumat, para demonstran datang.",
            ["Rapat itu digelar di Washington, D.C. ", "Pada hari Jumat, para demonstran datang."],
        ),
        # ...but not before a name.
        (
            "Ia tiba di A.S. Donald Trump menyambutnya.",
            ["Ia tiba di A.S. Donald Trump menyambutnya."],
        ),
        # A company suffix before the company's ticker in brackets.
        (
            "PT HM Sampoerna Tbk. (HMSP) menjual sahamnya. Harganya naik.",
            ["PT HM Sampoerna Tbk. (HMSP) menjual sahamnya. ", "Harganya naik."],
        ),
        # A title before a name.
        (
            "Det. Dennis McCarthy menulis laporan itu.",
            ["Det. Dennis McCarthy menulis laporan itu."],
        ),
        ("Ia berguru kepada Tb. Maktal di Banten.", ["Ia berguru kepada Tb. Maktal di Banten."]),
        # A quotation closed with ! or ? and followed by its speaker and a speech verb.
        (
            "“Ada seekor hiu di dalam air!” Hammel menambahkan. Anak itu selamat.",
            ["“Ada seekor hiu di dalam air!” Hammel menambahkan. ", "Anak itu selamat."],
        ),
        (
            '"Siapa dokternya?" Martin bertanya. "Pengobatannya lama."',
            ['"Siapa dokternya?" Martin bertanya. ', '"Pengobatannya lama."'],
        ),
        # A speaker who goes on to say more starts a sentence of their own.
        (
            '"Kami siap." Farage mengatakan bahwa demonstrasi akan berlanjut.',
            ['"Kami siap." ', "Farage mengatakan bahwa demonstrasi akan berlanjut."],
        ),
    ],
)
def test_what_joins_and_splits_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
