"""Property tests for the number rules of the checker (issue 14).

- A value matches its rendering in either language's notation ("18.250" ~ "18,250",
  "2,5 persen" ~ "2.5%", "£90 juta" ~ "£90 million"), on either side.
- A change of any significant digit never matches.
- Precision: a summary number as precise as the article's, or more, must match exactly;
  rounding is accepted only for a summary number with fewer significant digits.
- Ordinals and "No. N" forms, and amounts with currency and scale words on either side.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from ringkas.check import check_summary

NOTATIONS = ("id", "en")


def render(value: Decimal, decimals: int, notation: str, *, group: bool = True) -> str:
    """``value`` with ``decimals`` decimal digits in Indonesian ("1.234,5") or English notation."""
    text = f"{value:.{decimals}f}"
    whole, _, fraction = text.partition(".")
    if group:
        whole = f"{int(whole):,}"
    thousands, point = (".", ",") if notation == "id" else (",", ".")
    whole = whole.replace(",", thousands)
    return f"{whole}{point}{fraction}" if fraction else whole


def flagged(summary: str, article: str) -> list[str]:
    """What the checker flags in ``summary`` apart from names."""
    report = check_summary(summary, [article])
    return [u.text for s in report.sentences for u in s.unsupported if u.kind != "name"]


# (Indonesian context, English context): where a number stands in an article and a summary.
CONTEXTS = [
    ("sebanyak {n} orang", "{n} people"),
    ("naik {n} persen", "up {n}%"),
    ("naik {n}%", "up {n} percent"),
    ("Rp{n} juta", "Rp {n} million"),
    ("Rp {n} miliar", "{n} billion rupiah"),
    ("£{n} juta", "£{n} million"),
    ("US${n} miliar", "${n} billion"),
    ("{n} dolar AS", "${n}"),
    ("${n} ribu", "${n} thousand"),
    ("selama {n} hari", "for {n} days"),
    ("sejauh {n} kilometer", "{n} km"),
    ("sekitar {n} ton", "about {n} tonnes"),
    ("angka {n}", "a figure of {n}"),
]

values = st.one_of(
    st.integers(min_value=1, max_value=999_999_999).map(lambda v: (Decimal(v), 0)),
    st.tuples(st.integers(min_value=0, max_value=99_999), st.integers(1, 2)).flatmap(
        lambda t: st.integers(1, 10 ** t[1] - 1).map(
            lambda f: (Decimal(t[0]) + Decimal(f) / 10 ** t[1], t[1])
        )
    ),
)


def sentences(
    context: tuple[str, str], article_number: str, summary_number: str
) -> tuple[str, str]:
    indonesian, english = context
    article = f"Menurut data resmi, {indonesian.format(n=article_number)} pada periode itu."
    summary = f"The official data showed {english.format(n=summary_number)} in that period."
    return article, summary


@settings(max_examples=400, deadline=None)
@given(
    value=values,
    context=st.sampled_from(CONTEXTS),
    article_notation=st.sampled_from(NOTATIONS),
    summary_notation=st.sampled_from(NOTATIONS),
    group=st.booleans(),
)
@example(value=(Decimal(18250), 0), context=CONTEXTS[0], article_notation="id",
         summary_notation="en", group=True)  # fmt: skip
@example(value=(Decimal(415000), 0), context=CONTEXTS[7], article_notation="id",
         summary_notation="en", group=True)  # fmt: skip
def test_a_value_matches_its_rendering_in_either_notation(
    value: tuple[Decimal, int],
    context: tuple[str, str],
    article_notation: str,
    summary_notation: str,
    group: bool,
) -> None:
    number, decimals = value
    article, summary = sentences(
        context,
        render(number, decimals, article_notation, group=group),
        render(number, decimals, summary_notation),
    )
    assert flagged(summary, article) == []


def significant_digits(value: Decimal, decimals: int) -> int:
    """Digits that carry precision: trailing zeros of a whole number do not."""
    digits = f"{value:.{decimals}f}".replace(".", "").lstrip("0")
    return len(digits if decimals else digits.rstrip("0"))


def change_digit(value: Decimal, decimals: int, position: int, digit: str) -> Decimal | None:
    """``value`` with one significant digit replaced, at the same precision (else None)."""
    digits = f"{value:.{decimals}f}".replace(".", "")
    first = len(digits) - len(digits.lstrip("0"))
    index = first + position % (len(digits) - first)
    if digits[index] == digit or (index == first and digit == "0"):
        return None
    changed = Decimal(digits[:index] + digit + digits[index + 1 :]).scaleb(-decimals)
    # "18,250" -> "18,200" is a rounder number, which may be a rounding: not this property.
    if significant_digits(changed, decimals) < significant_digits(value, decimals):
        return None
    return changed


@settings(max_examples=400, deadline=None)
@given(
    value=values,
    context=st.sampled_from(CONTEXTS),
    article_notation=st.sampled_from(NOTATIONS),
    summary_notation=st.sampled_from(NOTATIONS),
    position=st.integers(0, 20),
    digit=st.sampled_from("0123456789"),
)
@example(value=(Decimal(415000), 0), context=CONTEXTS[7], article_notation="id",
         summary_notation="en", position=4, digit="3")  # fmt: skip
@example(value=(Decimal(18250), 0), context=CONTEXTS[0], article_notation="id",
         summary_notation="en", position=2, digit="8")  # fmt: skip
def test_a_changed_significant_digit_never_matches(
    value: tuple[Decimal, int],
    context: tuple[str, str],
    article_notation: str,
    summary_notation: str,
    position: int,
    digit: str,
) -> None:
    number, decimals = value
    changed = change_digit(number, decimals, position, digit)
    assume(changed is not None)
    assert changed is not None
    article, summary = sentences(
        context,
        render(number, decimals, article_notation),
        render(changed, decimals, summary_notation),
    )
    assert flagged(summary, article), (article, summary)


def _round(value: Decimal, significant: int) -> Decimal:
    exponent = value.adjusted() - significant + 1
    return value.scaleb(-exponent).quantize(Decimal(1), rounding="ROUND_HALF_UP").scaleb(exponent)


precise_values = st.integers(min_value=1000, max_value=99_999_999).filter(lambda v: v % 10 != 0)


@settings(max_examples=300, deadline=None)
@given(value=precise_values, keep=st.integers(2, 4), notation=st.sampled_from(NOTATIONS))
@example(value=18_251, keep=2, notation="id")
def test_a_rounding_to_fewer_significant_digits_matches(
    value: int, keep: int, notation: str
) -> None:
    exact = Decimal(value)
    assume(keep < len(str(value).rstrip("0")))
    rounded = _round(exact, keep)
    # As written, the rounding must keep at least two significant digits ("1,000" has one).
    assume(rounded.adjusted() == exact.adjusted() and significant_digits(rounded, 0) >= 2)
    article, summary = sentences(CONTEXTS[0], render(exact, 0, notation), render(rounded, 0, "en"))
    assert flagged(summary, article) == []


@settings(max_examples=300, deadline=None)
@given(value=precise_values, keep=st.integers(2, 4), notation=st.sampled_from(NOTATIONS))
def test_a_wrong_rounding_never_matches(value: int, keep: int, notation: str) -> None:
    exact = Decimal(value)
    assume(keep < len(str(value).rstrip("0")))
    rounded = _round(exact, keep)
    step = Decimal(10) ** (rounded.adjusted() - keep + 1)
    wrong = rounded + step
    # "1,500" for 1,485 is a rounding to two digits: the wrong one must have as many as meant.
    assume(wrong.adjusted() == exact.adjusted() and significant_digits(wrong, 0) == keep)
    assume(abs(wrong - exact) > step / 2)
    article, summary = sentences(CONTEXTS[0], render(exact, 0, notation), render(wrong, 0, "en"))
    assert flagged(summary, article)


@settings(max_examples=300, deadline=None)
@given(
    whole=st.integers(0, 9999),
    decimals=st.integers(0, 2),
    extra=st.sampled_from("123456789"),
    context=st.sampled_from(CONTEXTS[:4]),
)
@example(whole=18, decimals=0, extra="3", context=CONTEXTS[0])
def test_a_summary_more_precise_than_the_article_must_match_exactly(
    whole: int, decimals: int, extra: str, context: tuple[str, str]
) -> None:
    # The article says 2,5; a summary saying 2.53 cannot be a rounding of it.
    article_value = Decimal(whole) + (Decimal(1) / 10**decimals if decimals else 0)
    article_text = render(article_value, decimals, "id")
    summary_text = render(article_value, decimals, "en") + ("" if decimals else ".") + extra
    article, summary = sentences(context, article_text, summary_text)
    assert flagged(summary, article)


# ---- ordinals and "No. N"


ORDINAL_FORMS = [
    ("berada di urutan ke-{n}", "finished {n}{suffix}"),
    ("menempati peringkat ke-{n}", "ranked {n}{suffix}"),
    ("kapal No. {n}", "ship No. {n}"),
    ("kapal nomor {n}", "ship No. {n}"),
    ("kapal No {n}", "ship number {n}"),
    ("pasal {n}", "article {n}"),
]


def _suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 999), other=st.integers(1, 999), form=st.sampled_from(ORDINAL_FORMS))
def test_ordinals_and_numbered_forms(n: int, other: int, form: tuple[str, str]) -> None:
    indonesian, english = form
    article = f"Menurut panitia, {indonesian.format(n=n)} tahun ini."
    same = f"According to the organisers, it {english.format(n=n, suffix=_suffix(n))} this year."
    assert flagged(same, article) == []
    assume(other != n)
    changed = f"According to the organisers, it {english.format(n=other, suffix=_suffix(other))}."
    assert flagged(changed, article)


@pytest.mark.parametrize(
    ("summary", "article"),
    [
        ("The club finished fifth.", "Klub itu finis di urutan kelima."),
        ("The club finished 5th.", "Klub itu finis di urutan kelima."),
        ("The club finished fifth.", "Klub itu finis di urutan ke-5."),
        ("Ship No. 7 sank.", "Kapal No. 7 tenggelam."),
        ("Ship No. 7 sank.", "Kapal nomor 7 tenggelam."),
        ("A fund of £90 million was set up.", "Dana sebesar £90 juta disiapkan."),
        ("A fund of 90 million pounds was set up.", "Dana sebesar £90 juta disiapkan."),
        ("A fund of £90m was set up.", "Dana sebesar 90 juta pound disiapkan."),
        ("Nearly 18,000 people came.", "Sebanyak 18.250 orang datang."),
        ("About 18,300 people came.", "Sebanyak 18.250 orang datang."),
        ("It cost $415,000.", "Harganya $415.000."),
        ("It cost $1.5bn.", "Biayanya US$1,5 miliar."),
    ],
)
def test_numbers_supported(summary: str, article: str) -> None:
    assert flagged(summary, article) == []


@pytest.mark.parametrize(
    ("summary", "article"),
    [
        ("The club finished sixth.", "Klub itu finis di urutan kelima."),
        ("The club finished 6th.", "Klub itu finis di urutan ke-5."),
        ("Ship No. 8 sank.", "Kapal No. 7 tenggelam."),
        ("A fund of £60 million was set up.", "Dana sebesar £90 juta disiapkan."),
        ("A fund of £90 billion was set up.", "Dana sebesar £90 juta disiapkan."),
        ("A fund of $90 million was set up.", "Dana sebesar £90 juta disiapkan."),
        ("A fund of 60 million pounds was set up.", "Dana sebesar £90 juta disiapkan."),
        ("It cost $415,030.", "Harganya $415.000."),
        ("Some 18,280 people came.", "Sebanyak 18.250 orang datang."),
        ("Some 18,251 people came.", "Sebanyak 18.250 orang datang."),
        ("Nearly 17,000 people came.", "Sebanyak 18.250 orang datang."),
        ("Prices rose 2.54%.", "Harga naik 2,5 persen."),
        ("It cost $1.6bn.", "Biayanya US$1,5 miliar."),
    ],
)
def test_numbers_flagged(summary: str, article: str) -> None:
    assert flagged(summary, article)
