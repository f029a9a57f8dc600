"""Names: which spans are names, and when the source supports them."""

from __future__ import annotations

import pytest

from ringkas.check import check_summary
from ringkas.check.names import NameIndex, find_names


def names(sentence: str, *source: str) -> list[str]:
    return [n.text for n in find_names(sentence, NameIndex(source))]


def unsupported_names(summary: str, *source: str) -> list[str]:
    report = check_summary(summary, list(source))
    return [u.text for s in report.sentences for u in s.unsupported if u.kind == "name"]


def test_capitalised_spans_and_acronyms() -> None:
    found = names("Maluku Regional Secretary Sadali Ie opened the KUMKM meeting with TGPP.")
    assert found == ["Maluku Regional Secretary Sadali Ie", "KUMKM", "TGPP"]


def test_ordinary_sentence_openers_are_not_names() -> None:
    assert names("The meeting was opened by Sadali Ie.") == ["Sadali Ie"]
    assert names("However, officials said so.") == []
    assert names("Dalam rapat itu, Sadali Ie hadir.") == ["Sadali Ie"]


def test_opener_before_a_demonstrative_is_ordinary() -> None:
    assert names("Dana tersebut dialihkan ke Maluku.") == ["Maluku"]


def test_opener_used_in_lower_case_by_the_source_is_ordinary() -> None:
    assert names("Cooperatives matter.", "the cooperatives of Maluku") == []


def test_opener_followed_by_a_name_starts_the_name() -> None:
    assert names("Hadi Basalama attended.") == ["Hadi Basalama"]


def test_connectors_inside_names() -> None:
    assert names("He met the Ministry of Cooperatives and SMEs today.") == [
        "Ministry of Cooperatives",
        "SMEs",
    ]


def test_honorifics_do_not_count() -> None:
    (name,) = find_names("Ibu Sri Mulyani spoke.", NameIndex([]))
    assert name.words == ("Sri", "Mulyani")
    assert unsupported_names("Bapak Sadali Ie spoke.", "Sadali Ie berbicara.") == []


@pytest.mark.parametrize(
    ("summary", "source"),
    [
        ("It was held in Maluku Province.", "Digelar di Provinsi Maluku."),
        ("Officials of the Ministry of Cooperatives came.", "Pejabat Kementerian Koperasi hadir."),
        ("It is Maluku's plan.", "Rencana Maluku."),
        ("The e-KTP project was delayed.", "Proyek e - KTP tertunda."),
        ("The KUMKM meeting was held.", "Rapat KUMKM digelar."),
        ("Some AMs are worried.", "Beberapa AM khawatir."),
        ("He flew to Mexico.", "Ia terbang ke Meksiko."),
        ("He visited MalukuBersatu.", "Sumber: Maluku Bersatu."),
        ("An Indonesian official spoke.", "Pejabat Indonesia berbicara."),
        ("The Pemkot Malang acted.", "Pemerintah Kota Malang bertindak."),
        ("JAKARTA police came.", "Polisi Jakarta datang."),
        ("The COVID-19 rules changed.", "Aturan Covid-19 berubah."),
        ("It was signed (MB-01).", "(MB-01)."),
        ("Sadali Ie opened it.", "SADALI IE membukanya."),
    ],
)
def test_supported_names(summary: str, source: str) -> None:
    assert unsupported_names(summary, source) == []


@pytest.mark.parametrize(
    ("summary", "source", "flagged"),
    [
        ("Alec Baldwin married.", "Hailey Baldwin menikah.", "Alec Baldwin"),
        ("The talks were held in Jakarta.", "Pembicaraan di Surabaya.", "Jakarta"),
        ("The US will help.", "let us help them", "US"),
        ("It was signed (MB-02).", "(MB-01).", "MB-02"),
        ("Officials of the Ministry of Finance came.", "Pejabat Kementerian Koperasi.", None),
    ],
)
def test_unsupported_names(summary: str, source: str, flagged: str | None) -> None:
    found = unsupported_names(summary, source)
    assert found
    if flagged is not None:
        assert flagged in found


def test_support_is_per_word() -> None:
    # Known limit: words taken from two different names of the article are each supported.
    assert unsupported_names("Hadi Kilkoda attended.", "Hadi Basalama dan Natsir Kilkoda.") == []


def test_partial_swap_reports_the_whole_name() -> None:
    assert unsupported_names("Natsir Basalama spoke.", "Hadi Basalama berbicara.") == [
        "Natsir Basalama"
    ]


def test_name_spans_give_offsets_into_the_sentence() -> None:
    report = check_summary("Then Alec Baldwin spoke.", ["Hailey Baldwin berbicara."])
    sentence = report.sentences[0]
    (item,) = sentence.unsupported
    assert sentence.text[item.start : item.end] == "Alec Baldwin"
