"""Cross-lingual normalisation of numbers, amounts, dates and times, case by case."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ringkas.check import check_summary, split_sentences
from ringkas.check.numbers import parse_literal, words_value
from ringkas.check.quantities import find_mentions
from ringkas.check.values import Amount, Clock, DateValue, Weekday

SEED = Path(__file__).resolve().parents[1] / "examples" / "articles" / "maluku-kumkm.txt"


def supported(summary: str, *source: str) -> bool:
    """Whether every number/date/time in ``summary`` is found in the Indonesian ``source``."""
    report = check_summary(summary, list(source))
    return not [u for s in report.sentences for u in s.unsupported if u.kind != "name"]


def readings(text: str) -> list[tuple[str, str, tuple[object, ...]]]:
    return [(m.kind, m.text, m.readings) for m in find_mentions(text)]


# ---- literals


@pytest.mark.parametrize(
    ("literal", "values"),
    [
        ("1.500", [Decimal(1500), Decimal("1.5")]),  # Indonesian thousands, or a decimal
        ("1,500", [Decimal(1500), Decimal("1.5")]),  # English thousands, or Indonesian decimal
        ("2,5", [Decimal("2.5")]),
        ("2.5", [Decimal("2.5")]),
        ("1.234,5", [Decimal("1234.5")]),
        ("1,234.5", [Decimal("1234.5")]),
        ("1.500.000", [Decimal(1500000)]),
        ("08", [Decimal(8)]),
        ("4.0", [Decimal(4)]),
        ("0.500", [Decimal("0.5")]),
    ],
)
def test_parse_literal(literal: str, values: list[Decimal]) -> None:
    assert [r.value for r in parse_literal(literal)] == values


def test_ambiguous_literal_marks_the_decimal_reading_as_alternative() -> None:
    primary, alternative = parse_literal("1.500")
    assert not primary.alt and alternative.alt


@pytest.mark.parametrize(
    ("words", "value"),
    [("dua", 2), ("dua puluh lima", 25), ("dua belas", 12), ("seratus", 100),
     ("dua ratus lima puluh ribu", 250000), ("twenty five", 25), ("two hundred", 200),
     ("a dozen", 12), ("tiga juta", 3000000)],
)  # fmt: skip
def test_words_value(words: str, value: int) -> None:
    assert words_value(words.split()) == value


# ---- the examples: Indonesian source, English summary


@pytest.mark.parametrize(
    ("summary", "source"),
    [
        ("About 1,500 people came.", "Sebanyak 1.500 orang datang."),
        ("Inflation reached 2.5 percent.", "Inflasi mencapai 2,5 persen."),
        ("Inflation reached 2.5 percent.", "Inflasi mencapai 2,5%."),
        ("Inflation reached 2.5%.", "Inflasi mencapai 2,5 persen."),
        ("The budget is Rp7.4 trillion.", "Anggarannya Rp7,4 triliun."),
        ("The budget is Rp 7.4 trillion.", "Anggarannya Rp7,4 triliun."),
        ("The budget is 7.4 trillion rupiah.", "Anggarannya Rp7,4 triliun."),
        ("It cost 300 million rupiah.", "Biayanya Rp 300 juta."),
        ("It cost Rp300 million.", "Biayanya Rp 300 juta."),
        ("It opened on March 8, 2023.", "Dibuka pada 8/3/2023."),
        ("It opened on 8 March 2023.", "Dibuka pada Rabu (8/3/2023)."),
        ("It opened on Wednesday.", "Dibuka pada Rabu (8/3/2023)."),
        ("It starts at 8:30 a.m.", "Dimulai pukul 08.30 WIT."),
        ("It starts at 8.30am.", "Dimulai pukul 08.30 WIT."),
        ("It starts at 8 p.m.", "Dimulai pukul 20.00 WIB."),
        ("It lasted two days.", "Berlangsung selama dua hari."),
        ("It lasted 2 days.", "Berlangsung selama dua hari."),
        ("It lasted two days.", "Berlangsung selama 2 hari."),
        ("About 1.5 million people voted.", "Sekitar 1,5 juta orang memilih."),
        ("About 1.5 million people voted.", "Sekitar 1.500.000 orang memilih."),
        ("Prices rose 10 to 12 percent.", "Harga naik 10-12 persen."),
        ("He was the second president.", "Ia presiden ke-2."),
        ("He was the 2nd president.", "Ia presiden kedua."),
        ("The two countries met.", "Kedua negara bertemu."),
        ("In March, it was held.", "Digelar 8 Maret."),
        ("It was held in 2023.", "Digelar pada 8/3/2023."),
        ("It was held on 17 July 2017.", "Pada 17 Juli 2017 digelar."),
        ("It was held on July 17.", "Pada 17 Juli 2017 digelar."),
        ("It was held on Thursday, July 27.", "Digelar Kamis ( 27 / 7 )."),
        ("Stocks fell 3.6 percent.", "Saham anjlok 3,6 persen."),
        ("The budget is Rp7.4 trillion.", "Anggarannya Rp7,43 triliun."),  # rounding
        ("They met at 8:30.", "Mereka bertemu pukul 20.30."),  # no am/pm: either half
    ],
)
def test_supported_across_languages(summary: str, source: str) -> None:
    assert supported(summary, source)


@pytest.mark.parametrize(
    ("summary", "source"),
    [
        ("About 1,600 people came.", "Sebanyak 1.500 orang datang."),
        ("Inflation reached 3.5 percent.", "Inflasi mencapai 2,5 persen."),
        ("The budget is Rp7.4 billion.", "Anggarannya Rp7,4 triliun."),
        ("It cost 300 billion rupiah.", "Biayanya Rp 300 juta."),
        ("It cost $300 million.", "Biayanya Rp 300 juta."),
        ("It opened on March 9, 2023.", "Dibuka pada Rabu (8/3/2023)."),
        ("It opened on March 8, 2024.", "Dibuka pada Rabu (8/3/2023)."),
        ("It opened on Thursday.", "Dibuka pada Rabu (8/3/2023)."),
        ("It starts at 9:30 a.m.", "Dimulai pukul 08.30 WIT."),
        ("It starts at 8:30 p.m.", "Dimulai pukul 08.30 WIT."),
        ("It lasted three days.", "Berlangsung selama dua hari."),
        ("It lasted two weeks.", "Berlangsung selama dua hari."),
        ("Prices rose 1,700 percent.", "Harga naik 1,7 persen."),  # "1,700" is not "1,7"
        ("The budget is Rp7 trillion.", "Anggarannya Rp7,4 triliun."),  # too coarse to round
        ("It was held in 2024.", "Digelar pada 8/3/2023."),
        ("5 men came.", "The fifth man came."),  # an ordinal is not a count
        ("It was held from 72 to 14 December.", "Digelar 12 hingga 14 Desember."),
    ],
)
def test_unsupported_across_languages(summary: str, source: str) -> None:
    assert not supported(summary, source)


# ---- kinds, spans and the seed article's figures


def test_kinds() -> None:
    kinds = {
        text: kind
        for kind, text, _ in readings(
            "Rp7,4 triliun, 2,5 persen, 1.500, dua hari, 8/3/2023, Rabu, pukul 08.30 WIT, 2019"
        )
    }
    assert kinds == {
        "Rp7,4 triliun": "money",
        "2,5 persen": "percent",
        "1.500": "number",
        "dua hari": "quantity",
        "8/3/2023": "date",
        "Rabu": "date",
        "pukul 08.30 WIT": "time",
        "2019": "date",
    }


def test_seed_weekday_and_date() -> None:
    found = readings("pada Rabu , (8/3/2023).")
    assert found[0] == ("date", "Rabu", (Weekday(2),))
    assert found[1][1] == "8/3/2023"
    assert DateValue(2023, 3, 8) in found[1][2]


def test_seed_scraped_date_range_yields_both_days() -> None:
    found = readings("Rakor berlangsung selama dua hari (08 - 09/08/03/23).")
    dates = {r for kind, _, rs in found if kind == "date" for r in rs}
    assert {DateValue(2023, 3, 8), DateValue(2023, 3, 9)} <= dates
    assert ("quantity", "dua hari", (Amount(Decimal(2), unit="day", significant=1),)) in found


def test_seed_floor_number_and_version() -> None:
    assert readings("di lantai 5 Hotel Santika")[0][2][0].unit == "floor"
    assert supported("It was held on the 5th floor.", "di lantai 5 Hotel Santika")
    assert supported("It is the era of Industry 4.0.", "era revolusi industri 4.0 saat ini")


def test_codes_are_not_numbers() -> None:
    assert readings("(MB-01), COVID-19, G20, 4G") == []


def test_time_readings() -> None:
    assert readings("pukul 08.30 WIT")[0][2] == (Clock(8, 30),)
    assert readings("at 8:30 a.m.")[0][1] == "8:30 a.m."
    assert readings("pukul 8 malam")[0][2] == (Clock(20, 0),)
    assert set(readings("at 8:30")[0][2]) == {Clock(8, 30), Clock(20, 30)}


def test_decimal_without_context_is_not_a_time() -> None:
    assert readings("naik 8.30 poin")[0][0] == "number"


def test_verbatim_number_is_always_supported() -> None:
    assert supported("Kode 08 - 09/08/03/23 muncul.", "Rakor (08 - 09/08/03/23).")


def test_seed_article_summary_figures() -> None:
    sentences = split_sentences(SEED.read_text("utf-8"))
    summary = (
        "On Wednesday, March 8, 2023, the meeting opened on the 5th floor of Hotel Santika. "
        "It lasted two days, until March 9. Industry 4.0 is an opportunity."
    )
    report = check_summary(summary, sentences)
    assert [u for s in report.sentences for u in s.unsupported] == []
    wrong = check_summary("It lasted three days, until March 10, 2023.", sentences)
    assert [u.text for u in wrong.sentences[0].unsupported] == ["three days", "March 10, 2023"]
