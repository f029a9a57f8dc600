"""Numbers, amounts and number words in English or Indonesian notation.

"1.500", "1,500", "Rp7,4 triliun", "Rp 7.4 trillion", "300 million rupiah", "2,5 persen",
"2.5%", "dua hari" and "two days" all become :class:`~ringkas.check.values.Amount` readings with
the scale applied and the unit normalised, so they compare equal across languages.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from ringkas.check.values import ORDINAL, RAW, Amount, DateValue, Mention, Reading
from ringkas.check.words import word_set

LITERAL = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")

# Scale words after a number. Single letters are only scales after a currency ("Rp 5 M").
SCALES = {
    "thousand": 3, "ribu": 3, "rb": 3,
    "million": 6, "juta": 6, "jt": 6, "mn": 6, "mln": 6,
    "billion": 9, "miliar": 9, "milyar": 9, "bn": 9, "bln": 9,
    "trillion": 12, "triliun": 12, "trilyun": 12, "tn": 12, "trn": 12,
}  # fmt: skip
_GLUED_SCALES = {"k": 3}
_CURRENCY_SCALES = {"m": 6, "b": 9, "B": 9, "T": 12}
_DOTTED_SCALES = word_set("rb jt bn mn mln bln")

_CURRENCY_PREFIX = re.compile(
    r"(?:(?<![A-Za-z])(?P<code>Rp|RP|IDR|USD|US\$|S\$|A\$|SGD|EUR|GBP|JPY|RM|MYR)\.?|(?P<sym>[$€£¥]))"
    r"[ \u00a0]{0,2}$"
)
_PREFIX_CURRENCIES = {
    "Rp": "IDR", "RP": "IDR", "IDR": "IDR", "USD": "USD", "US$": "USD", "$": "USD",
    "S$": "SGD", "SGD": "SGD", "A$": "AUD", "EUR": "EUR", "€": "EUR", "GBP": "GBP", "£": "GBP",
    "JPY": "JPY", "¥": "JPY", "RM": "MYR", "MYR": "MYR",
}  # fmt: skip

# Words after a number (or its scale) -> canonical unit.
UNITS = {
    "%": "%", "persen": "%", "percent": "%", "per cent": "%", "pct": "%",
    "percentage points": "%", "percentage point": "%", "poin persentase": "%",
    "rupiah": "IDR", "idr": "IDR", "us dollars": "USD", "us dollar": "USD", "dollars": "USD",
    "dollar": "USD", "dolar as": "USD", "dolar amerika": "USD", "dolar": "USD", "usd": "USD",
    "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP",
    "yen": "JPY", "ringgit": "MYR", "yuan": "CNY", "renminbi": "CNY",
    "days": "day", "day": "day", "hari": "day",
    "weeks": "week", "week": "week", "pekan": "week", "minggu": "week",
    "months": "month", "month": "month", "bulan": "month",
    "years": "year", "year": "year", "tahun": "year", "yrs": "year",
    "hours": "hour", "hour": "hour", "jam": "hour", "hrs": "hour",
    "minutes": "minute", "minute": "minute", "menit": "minute", "mins": "minute",
    "seconds": "second", "detik": "second",
    "people": "person", "persons": "person", "person": "person", "orang": "person",
    "jiwa": "person",
    "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km", "km": "km",
    "metres": "m", "meters": "m", "metre": "m", "meter": "m",
    "kilograms": "kg", "kilogram": "kg", "kilos": "kg", "kilo": "kg", "kg": "kg",
    "tonnes": "t", "tonne": "t", "tons": "t", "ton": "t",
    "hectares": "ha", "hectare": "ha", "hektare": "ha", "hektar": "ha", "ha": "ha",
    "floor": "floor", "floors": "floor",
}  # fmt: skip
_UNIT_AFTER = re.compile(
    r"[ \u00a0]*(?:-[ \u00a0]*)?(?P<unit>%|"
    + "|".join(
        re.escape(u).replace(r"\ ", r"\s+")
        for u in sorted(UNITS, key=len, reverse=True)
        if u != "%"
    )
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)
_UNIT_BEFORE = re.compile(r"(?:lantai|floor)[ \u00a0]+$", re.IGNORECASE)
# Words that make the number after them an identifier or a rank, never a rounding:
# "No. 7", "nomor 7", "number 7", "#7", "ke-7", "urutan 7", "peringkat 7".
_EXACT_BEFORE = re.compile(
    r"(?:\b(?:No|no|NO|Nos|nos|Nomor|nomor|NOMOR|Number|number|Nr|nr|urutan|peringkat|rank"
    r"|ranked|Pasal|pasal|Article|article|Section|section)\.?[ \u00a0]*|#|\bke-|\bKe-)$"
)
_WORD_AFTER = re.compile(r"[ \u00a0]*(?:-[ \u00a0]*)?(?P<word>[^\W\d_]+)\.?")
_RANGE = re.compile(r"[ \u00a0]*(?:-|–|—|to|hingga|sampai|s/d|s\.d\.?)[ \u00a0]*", re.IGNORECASE)
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_YEAR_AFTER = re.compile(r"[ \u00a0]*\d{4}\b")
_ORDINAL_SUFFIX = frozenset({"st", "nd", "rd", "th"})
# A letter-run before "-<digits>" that does not make a code ("ke-2", "pre-2020").
_PLAIN_PREFIXES = word_set("ke pre post mid pra pasca under over top per usia sd")


def parse_literal(literal: str) -> list[Amount]:
    """Read a digit string in English or Indonesian notation; ambiguous ones give two readings.

    "1.500" and "1,500" read as 1500 (thousands separator) or, less likely, 1.5; "2,5" and "2.5"
    read as 2.5; "1.234,5" and "1,234.5" as 1234.5; "08" as 8.
    """
    separators = [c for c in literal if c in ".,"]
    try:
        if not separators:
            return [_amount(literal, 0)]
        groups = re.split(r"[.,]", literal)
        if len(set(separators)) == 2:
            mark = max(literal.rfind("."), literal.rfind(","))
            if literal.count(literal[mark]) > 1:
                return []
            whole = re.sub(r"[.,]", "", literal[:mark])
            return [_amount(f"{whole}.{literal[mark + 1 :]}", len(literal) - mark - 1)]
        if len(separators) > 1:
            if all(len(g) == 3 for g in groups[1:]):
                return [_amount("".join(groups), 0)]
            return []
        whole, fraction = groups
        if len(fraction) == 3 and whole.lstrip("0"):
            return [
                _amount(whole + fraction, 0),
                replace(_amount(f"{whole}.{fraction}", 3), alt=True),
            ]
        return [_amount(f"{whole}.{fraction}", len(fraction))]
    except InvalidOperation:
        return []


def _amount(digits: str, decimals: int) -> Amount:
    written = digits.replace(".", "").lstrip("0")
    # Trailing zeros of a whole number carry no precision: "18,000" has two significant
    # digits and may be a rounding of 18,250; "18,250" has four and may not be of 18,251.
    significant = len(written) if decimals else len(written.rstrip("0"))
    return Amount(Decimal(digits), decimals=decimals, significant=significant)


@dataclass
class _Literal:
    start: int
    end: int  # end of the whole mention (scale and unit included)
    readings: list[Amount]
    currency: str | None = None
    scale: int = 0
    unit: str | None = None
    year_like: bool = False
    decade: bool = False
    prefix_start: int | None = None  # where a currency written before the digits starts
    inherited: bool = False  # scale and unit copied from the end of a range ("10-12 juta")


def find_amounts(text: str, is_free: Callable[[int, int], bool], source: bool) -> list[Mention]:
    """Numeric literals with currency, scale and unit, as mentions of kind number/money/..."""
    literals: list[_Literal] = []
    for match in LITERAL.finditer(text):
        start, end = match.span()
        if not is_free(start, end) or _is_code(text, start, end):
            continue
        readings = parse_literal(match.group())
        if not readings:
            continue
        literals.append(_read_context(text, start, end, readings))
    _link_ranges(text, literals)
    mentions = [_mention(text, lit, source) for lit in literals]
    return [m for m in mentions if m.readings]


def _is_code(text: str, start: int, end: int) -> bool:
    """Whether the digits belong to an identifier such as "MB-01", "COVID-19", "G20" or "4G"."""
    before = text[start - 1] if start else ""
    if before.isalpha():
        return _CURRENCY_PREFIX.search(text, max(0, start - 6), start) is None
    if before == "-" and start >= 2 and text[start - 2].isalpha():
        run = re.search(r"[^\W\d_]+$", text[max(0, start - 12) : start - 1])
        return run is None or run.group().lower() not in _PLAIN_PREFIXES
    after = _LETTER_RUN.match(text, end)
    if after is None:
        return False
    word = after.group()
    known = (
        word in _ORDINAL_SUFFIX
        or word.lower() in SCALES
        or word in _GLUED_SCALES
        or word in _CURRENCY_SCALES
        or word == "M"
        or word.lower() in UNITS
        or word == "s"
    )
    return not known


def _read_context(text: str, start: int, end: int, readings: list[Amount]) -> _Literal:
    lit = _Literal(start, end, readings)
    if _EXACT_BEFORE.search(text, max(0, start - 12), start):
        lit.readings = [replace(r, exact=True) for r in readings]
    prefix = _CURRENCY_PREFIX.search(text, max(0, start - 6), start)
    if prefix:
        lit.currency = _PREFIX_CURRENCIES[prefix.group("code") or prefix.group("sym")]
        lit.prefix_start = prefix.start()
    pos = end
    glued = _LETTER_RUN.match(text, end)
    if glued and glued.group() in _ORDINAL_SUFFIX:
        pos = end + len(glued.group())
        lit.unit = ORDINAL
        lit.readings = [replace(r, exact=True) for r in lit.readings]
    elif glued and glued.group() == "s" and len(text[start:end]) == 4:
        lit.decade = True
        pos = end + 1
    elif text.startswith("-an", end) and len(text[start:end]) == 4:
        lit.decade = True
        pos = end + 3
    word = _WORD_AFTER.match(text, pos)
    if word:
        name = word.group("word")
        spaced = word.start("word") > pos
        scale = SCALES.get(name.lower())
        if scale is None and not spaced:
            scale = _GLUED_SCALES.get(name)
        if scale is None and lit.currency:
            if name == "M":  # "Rp 5 M" is 5 miliar, "$5M" 5 million
                scale = 9 if lit.currency == "IDR" else 6
            else:
                scale = _CURRENCY_SCALES.get(name)
        if scale is not None:
            lit.scale = scale
            pos = word.end("word")
            if word.group().endswith(".") and name.lower() in _DOTTED_SCALES:
                pos += 1  # "Rp 5 jt." keeps its abbreviation dot
    unit = _UNIT_AFTER.match(text, pos)
    if unit:
        canonical = UNITS.get(re.sub(r"\s+", " ", unit.group("unit").lower()), "%")
        currency_unit = canonical.isupper()
        # "UU No 31 Tahun 1999": "tahun" introduces the year, it is not the unit of 31.
        names_year = canonical == "year" and _YEAR_AFTER.match(text, unit.end())
        if not (currency_unit and lit.currency) and not lit.decade and not names_year:
            if currency_unit:
                lit.currency = canonical
            else:
                lit.unit = canonical
            pos = unit.end()
    elif _UNIT_BEFORE.search(text, max(0, start - 10), start):
        lit.unit = "floor"
    lit.end = pos
    literal = text[start:end]
    lit.year_like = (
        len(literal) == 4
        and literal.isdigit()
        and 1900 <= int(literal) <= 2100
        and not (lit.currency or lit.scale or lit.unit)
    )
    return lit


def _link_ranges(text: str, literals: list[_Literal]) -> None:
    """Share scale and unit across a range: "10-12 persen", "Rp 1-2 juta", "2019 to 2021"."""
    for first, second in itertools.pairwise(literals):
        joint = _RANGE.fullmatch(text, first.end, second.prefix_start or second.start)
        if joint is None:
            continue
        if not (first.scale or first.unit or first.currency):
            first.scale, first.unit = second.scale, second.unit
            first.currency = second.currency
            first.inherited = True
        elif first.currency and not second.currency:
            second.currency = first.currency


def _mention(text: str, lit: _Literal, source: bool) -> Mention:
    unit = lit.currency or lit.unit
    readings: list[Reading] = [
        replace(r, value=r.value * Decimal(10) ** lit.scale, unit=unit, scale=lit.scale)
        for r in lit.readings
    ]
    if source and (lit.scale or unit):
        # The bare literal supports a bare summary number, never a different scale or unit.
        readings.extend(replace(r, unit=RAW) for r in lit.readings)
    elif lit.inherited:
        # "10" in "10-12 juta" may stand alone: accept either reading in a summary.
        readings.extend(lit.readings)
    if lit.year_like or lit.decade:
        # A year is a name for a date, never a rounding: "1950" does not stand for 1953.
        readings = [replace(r, exact=True) if isinstance(r, Amount) else r for r in readings]
        readings.append(DateValue(int(text[lit.start : lit.start + 4]), None, None))
    if lit.year_like or lit.decade:
        kind = "date"
    elif lit.currency:
        kind = "money"
    elif lit.unit == "%":
        kind = "percent"
    elif (lit.unit and lit.unit != ORDINAL) or lit.scale:
        kind = "quantity"
    else:
        kind = "number"
    start = lit.prefix_start if lit.prefix_start is not None else lit.start
    return Mention(kind, start, lit.end, text[start : lit.end], tuple(readings))


# Number words. Values: units add, "belas" adds ten, "puluh" multiplies by ten, the rest scale.
_WORD_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
}  # fmt: skip
_WORD_SCALES = {
    "hundred": 100, "ratus": 100, "thousand": 10**3, "ribu": 10**3, "million": 10**6,
    "juta": 10**6, "billion": 10**9, "miliar": 10**9, "milyar": 10**9, "trillion": 10**12,
    "triliun": 10**12,
}  # fmt: skip
_SE_SCALES = {"seratus": 100, "seribu": 10**3, "sejuta": 10**6, "semiliar": 10**9}
_NUMBER_WORD_SET = frozenset([*_WORD_UNITS, *_WORD_SCALES, *_SE_SCALES, "belas", "puluh", "dozen"])
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "pertama": 1, "kedua": 2, "ketiga": 3,
    "keempat": 4, "kelima": 5, "keenam": 6, "ketujuh": 7, "kedelapan": 8, "kesembilan": 9,
    "kesepuluh": 10,
}  # fmt: skip
# "ketiganya" ("its third", "all three"): the Indonesian possessive is glued on.
_ORDINALS = re.compile(r"\b(?P<word>" + "|".join(_ORDINAL_WORDS) + r")(?:nya)?\b", re.IGNORECASE)


def words_value(words: list[str]) -> int | None:
    """Value of a sequence of number words ("dua puluh lima" = 25, "two hundred" = 200)."""
    total = current = pending = 0
    for word in words:
        word = word.lower()
        if word in {"a", "an", "and"}:
            continue
        if word in _WORD_UNITS:
            pending += _WORD_UNITS[word]
        elif word == "belas":
            pending += 10
        elif word == "puluh":
            pending *= 10
        elif word == "dozen":
            pending = (pending or 1) * 12
        elif word in _SE_SCALES or word in _WORD_SCALES:
            scale = _SE_SCALES.get(word) or _WORD_SCALES[word]
            count = 1 if word in _SE_SCALES else (pending or 0)
            if scale == 100:
                current += (count or 1) * 100
            else:
                total += (current + count or 1) * scale
                current = 0
            pending = 0
        else:
            return None
    return total + current + pending


def find_number_words(
    text: str, is_free: Callable[[int, int], bool], source: bool
) -> list[Mention]:
    """Numbers written as words ("dua hari", "two days", "seratus"); a lone "one" is skipped."""
    mentions: list[Mention] = []
    for run_start, run_end in _number_word_runs(text, is_free):
        for start, end in _split_number_words(text, run_start, run_end):
            mention = _number_word_mention(text, start, end, source)
            if mention is not None:
                mentions.append(mention)
    for match in _ORDINALS.finditer(text):
        word = match.group("word").lower()
        if not is_free(*match.span()):
            continue
        if not source and not _checked_ordinal(text, match):
            continue
        # Indonesian "kedua" is "second" but also "both"/"the two": no ordinal-only unit.
        unit = None if word.startswith("ke") else ORDINAL
        amount = Amount(Decimal(_ORDINAL_WORDS[word]), unit=unit, exact=True)
        mentions.append(Mention("number", match.start(), match.end(), match.group(), (amount,)))
    return mentions


# "first" and "second" are idioms as often as ranks ("for the first time", "a second
# look"), and Indonesian "ketiga" also means "all three": a summary's ranks are checked
# from "third" on, in English, and not as fractions ("a third of", "two thirds").
_CHECKED_ORDINALS = word_set("third fourth fifth sixth seventh eighth ninth tenth")
_FRACTION_BEFORE = re.compile(
    r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine)[ \u00a0-]+$", re.I
)


def _checked_ordinal(text: str, match: re.Match[str]) -> bool:
    if match.group().lower() not in _CHECKED_ORDINALS:
        return False
    return _FRACTION_BEFORE.search(text, max(0, match.start() - 8), match.start()) is None


_A_SCALES = frozenset({"hundred", "thousand", "million", "billion", "dozen"})
_JOINER = re.compile(r"[ \u00a0]+|-")


def _number_word_runs(text: str, is_free: Callable[[int, int], bool]) -> Iterator[tuple[int, int]]:
    """Spans of number words joined by spaces, hyphens or "and" ("a hundred", "dua puluh");
    words already read ("million" of "1.7 million") end a run."""
    run: list[int] | None = None  # [start, end] of the open run
    after_and = False
    article: int | None = None  # start of a preceding "a"/"an"
    previous_end = -1
    for match in _LETTER_RUN.finditer(text):
        word = match.group().lower()
        joined = previous_end >= 0 and _JOINER.fullmatch(text, previous_end, match.start())
        previous_end = match.end()
        if word in _NUMBER_WORD_SET and is_free(match.start(), match.end()):
            if run is not None and joined:
                run[1] = match.end()
            else:
                if run is not None:
                    yield run[0], run[1]
                start = article if article is not None and joined and word in _A_SCALES else None
                run = [start if start is not None else match.start(), match.end()]
            after_and = False
            article = None
        elif word == "and" and run is not None and joined and not after_and:
            after_and = True  # the run goes on only if a number word follows
        else:
            if run is not None:
                yield run[0], run[1]
            run, after_and = None, False
            article = match.start() if word in {"a", "an"} else None
    if run is not None:
        yield run[0], run[1]


def _split_number_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a run of number words into numbers: "five one" is two numbers, "twenty five" one;
    "three million and five million" is two, "two hundred and fifty" one."""
    tokens = list(_LETTER_RUN.finditer(text, start, end))
    words = [t.group().lower() for t in tokens]
    # scale_after[i]: whether a scale word comes after token i (computed once, not per "and").
    scale_after = [False] * (len(words) + 1)
    for i in range(len(words) - 1, -1, -1):
        scale_after[i] = scale_after[i + 1] or words[i] in _WORD_SCALES
    spans: list[tuple[int, int]] = []
    first = 0
    previous = ""
    for i, word in enumerate(words):
        cut = False
        if word == "and":
            cut = previous not in {"hundred", "thousand"} or scale_after[i + 1]
        elif word in _WORD_UNITS and previous in _WORD_UNITS:
            # Only "twenty five" (tens then a digit) continues a number.
            tens = _WORD_UNITS[previous] >= 20 and _WORD_UNITS[previous] % 10 == 0
            cut = not (tens and _WORD_UNITS[word] < 10)
        if cut and i > first:
            spans.append((tokens[first].start(), tokens[i - 1].end()))
            first = i + 1 if word == "and" else i
        previous = word
    if first < len(tokens):
        spans.append((tokens[first].start(), tokens[-1].end()))
    return spans


def _number_word_mention(text: str, start: int, end: int, source: bool) -> Mention | None:
    words = re.findall(r"[^\W\d_]+", text[start:end])
    lowered = [w.lower() for w in words if w.lower() not in {"a", "an", "and"}]
    if not source and lowered in (["one"], ["satu"], ["zero"]):
        return None  # "one of the", "salah satu": too idiomatic to check
    counted = words[0].lower() in {"a", "an"}  # "a hundred"
    if not lowered or (all(w in _WORD_SCALES for w in lowered) and not counted):
        return None  # "million" alone belongs to a digit or is vague
    value = words_value(words)
    if value is None:
        return None
    unit_match = _UNIT_AFTER.match(text, end)
    unit = None
    if unit_match:
        unit = UNITS.get(re.sub(r"\s+", " ", unit_match.group("unit").lower()), "%")
        end = unit_match.end()
    if unit and unit.isupper():
        kind = "money"
    elif unit == "%":
        kind = "percent"
    else:
        kind = "quantity" if unit or value >= 1000 else "number"
    amount = Amount(Decimal(value), unit=unit, significant=1)
    return Mention(kind, start, end, text[start:end], (amount,))
