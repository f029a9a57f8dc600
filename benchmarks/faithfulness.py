"""Measure the faithfulness checker (ringkas.check) on planted errors.

    python benchmarks/faithfulness.py [--corpus PATH] [--extra PATH] [--heldout] [--seed N]
                                      [--show N]

Builds (article, summary) pairs from the shared corpus, plants one error per corrupted copy
(changed number, shifted date, changed scale word, swapped/partly swapped/invented name) and
reports, per error type, how often the checker flags the planted span (recall), how many of
its flags are planted errors (precision) and how many clean summaries it flags at all.

Pairs:
- ntrex: NTREX-128 documents. The English side is the original news text, the Indonesian
  side a professional translation. Clean summaries take 2-4 English sentences (the lead, or a
  spread of sentences) and compress them: parentheses and "he said" tails dropped, openers
  such as "However," dropped, neighbours fused with "; " or ", and", a few verbs paraphrased.
- pud: UD Indonesian-PUD / English PUD documents with 3+ sentences, 1-2 sentence summaries
  built the same way.
- ntrex-new / pud-new (``--extra``, built by ``benchmarks/extra_corpus.py``): NTREX-128
  documents and UD PUD units that the shared corpus does not hold, summarised the same way;
  their held-out part (``-heldout``) only with ``--heldout``, for the one final measurement.
- indosum / detik (``summaries/``): Indonesian article + its Indonesian reference summary,
  checked Indonesian against Indonesian (no translation). IndoSum summaries are written by
  people; detik ones are LLM-assisted, so a "clean" flag there may be a real error.

Configurations (the article as the checker sees it):
- pipeline: Indonesian sentences + English translation (what ``ringkas`` does after MT;
  here the translation is the human English side).
- english: the English side only (an English article).
- crosslingual: Indonesian sentences only against an English summary - a stress test of
  cross-language matching; names such as "Welsh Parliament" have no English to match.
- reference: the ``summaries/`` pairs, Indonesian summary against Indonesian article.

Errors are planted by simple text edits that know nothing about the checker, and each must be
a real error: the new number differs from every number in the article (both notations), the
new date from every date, and a new name has a word that occurs nowhere in the article.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ringkas.check import SourceIndex, split_sentences

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_EXTRA = REPO / "benchmarks" / "out" / "extra"
ERROR_TYPES = (
    "number",
    "digit",
    "date",
    "unit",
    "name_swap",
    "name_partial",
    "name_invented",
)
NUMBER_ERRORS = ("number", "digit", "unit")
FACT_KINDS = frozenset({"number", "date", "time", "percent", "money", "quantity"})
CONFIGS = ("pipeline", "english", "crosslingual", "reference")


@dataclass
class Article:
    """An article's sentences in Indonesian and (when known) English."""

    doc_id: str
    dataset: str
    indonesian: list[str]
    english: list[str] | None


@dataclass
class Pair:
    """A summary of an article; ``planted`` is the (start, end) of a planted error, if any."""

    article: Article
    summary: str
    language: str  # language of the summary: "en" or "id"
    error: str | None = None
    planted: tuple[int, int] | None = None
    detail: str = ""
    origins: list[list[int]] | None = None  # source sentence ids behind each summary sentence


@dataclass
class Tally:
    """Counts for one configuration."""

    clean: int = 0
    clean_flagged: int = 0
    planted: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)
    flags: int = 0
    true_flags: int = 0
    flags_by_kind: Counter[str] = field(default_factory=Counter)
    clean_by_dataset: Counter[str] = field(default_factory=Counter)
    clean_flagged_by_dataset: Counter[str] = field(default_factory=Counter)
    clean_fact_flagged: int = 0  # clean summaries with a number/date/amount flagged
    clean_fact_flagged_by_dataset: Counter[str] = field(default_factory=Counter)
    planted_by_dataset: Counter[tuple[str, str]] = field(default_factory=Counter)
    caught_by_dataset: Counter[tuple[str, str]] = field(default_factory=Counter)
    attributed: int = 0  # clean summary sentences whose top support is one they came from
    attributable: int = 0
    false_examples: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- corpus


def load_ntrex(corpus: Path) -> list[Article]:
    """NTREX documents: line-aligned Indonesian and English, grouped by doc_id."""
    base = corpus / "parallel" / "ntrex128_newstest2019"
    ids = _lines(base.with_suffix(".id.txt"))
    ens = _lines(base.with_suffix(".en.txt"))
    meta = _lines(base.with_suffix(".meta.tsv"))[1:]
    docs: dict[str, tuple[list[str], list[str]]] = {}
    for row, indonesian, english in zip(meta, ids, ens, strict=True):
        doc = row.split("\t")[1]
        docs.setdefault(doc, ([], []))
        docs[doc][0].append(indonesian)
        docs[doc][1].append(english)
    return [Article(d, "ntrex", i, e) for d, (i, e) in docs.items() if len(e) >= 4]


def load_pud(corpus: Path) -> list[Article]:
    """UD PUD sentences grouped into documents by the sent_id prefix (n01001...)."""
    base = corpus / "parallel" / "ud_pud"
    ids = _lines(base.with_suffix(".id.txt"))
    ens = _lines(base.with_suffix(".en.txt"))
    meta = _lines(base.with_suffix(".meta.tsv"))[1:]
    docs: dict[str, tuple[list[str], list[str]]] = {}
    for row, indonesian, english in zip(meta, ids, ens, strict=True):
        doc = row.strip()[:6]
        docs.setdefault(doc, ([], []))
        docs[doc][0].append(indonesian)
        docs[doc][1].append(english)
    return [Article(d, "pud", i, e) for d, (i, e) in docs.items() if len(e) >= 3]


def load_extra(path: Path, dataset: str) -> list[Article]:
    """An extra parallel set (benchmarks/extra_corpus.py): documents of 3+ sentences."""
    articles = []
    for line in path.read_text("utf-8").splitlines():
        record = json.loads(line)
        if len(record["en"]) >= 3:
            articles.append(Article(record["doc_id"], dataset, record["id"], record["en"]))
    return articles


def load_reference_pairs(corpus: Path) -> list[Pair]:
    """summaries/: Indonesian articles with their Indonesian reference summaries."""
    pairs = []
    for summary_path in sorted((corpus / "summaries").glob("*.summary.txt")):
        pair_id = summary_path.name.removesuffix(".summary.txt")
        article_text = (corpus / "summaries" / f"{pair_id}.article.txt").read_text("utf-8")
        sentences = [s for line in article_text.splitlines() for s in split_sentences(line)]
        dataset = pair_id.split("_")[0]
        article = Article(pair_id, dataset, sentences, None)
        summary = " ".join(summary_path.read_text("utf-8").split())
        pairs.append(Pair(article, summary, "id"))
    return pairs


def _words(text: str) -> list[str]:
    return text.split()


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


# ---------------------------------------------------------------- clean summaries

_OPENERS = re.compile(
    r"^(?:However|Meanwhile|But|And|So|Still|Also|In addition|Additionally|Instead|Now),\s+"
)
_ATTRIBUTION = re.compile(r",\s+(?:he|she|they|it|officials|police)\s+(?:said|added|says)\.$")
_PARENS = re.compile(r"\s*\([^()]{1,80}\)")
_PARAPHRASES = [
    (r"\bsaid\b", "stated"),
    (r"\bmore than\b", "over"),
    (r"\btold reporters\b", "told the press"),
    (r"\bbecause\b", "as"),
    (r"\bapproximately\b", "about"),
]
_LOWER_OK = {"The", "A", "An", "It", "He", "She", "They", "This", "These", "That", "There"}


def compress(sentence: str, rng: random.Random) -> str:
    """Shorten and lightly paraphrase one English sentence."""
    sentence = _OPENERS.sub("", sentence.strip())
    sentence = sentence[:1].upper() + sentence[1:]
    if rng.random() < 0.7:
        sentence = _PARENS.sub("", sentence)
    if rng.random() < 0.7:
        sentence = _ATTRIBUTION.sub(".", sentence)
    for pattern, replacement in _PARAPHRASES:
        if rng.random() < 0.5:
            sentence = re.sub(pattern, replacement, sentence, count=1)
    if not sentence.endswith((".", "!", "?", '"', "”", "'")):
        sentence += "."
    return sentence


_DIGIT_WORDS = _words("zero one two three four five six seven eight nine ten")
_ABBREVIATED_MONTHS = {
    "Jan.": "January", "Feb.": "February", "Aug.": "August", "Sept.": "September",
    "Oct.": "October", "Nov.": "November", "Dec.": "December",
}  # fmt: skip


def renotate(sentence: str, rng: random.Random) -> str:
    """Write some numbers the way a summariser might: "5 percent" -> "5%", "two" -> "2",
    "a.m." -> "am", "Sept." -> "September", "1,500" -> "1.500" (MT keeps Indonesian notation)."""

    def maybe(pattern: str, replace: str | Callable[[re.Match[str]], str]) -> None:
        nonlocal sentence
        if rng.random() < 0.5:
            sentence = re.sub(pattern, replace, sentence)

    maybe(r"(\d) percent\b", r"\1%")
    maybe(r"(\d)%", r"\1 percent")
    maybe(
        r"\b(two|three|four|five|six|seven|eight|nine|ten) (?=[a-z]+s\b)",
        lambda m: f"{_DIGIT_WORDS.index(m.group(1))} ",
    )
    maybe(
        r"(?<![\d.,])([2-9]) (?=(?:people|years|days|weeks|months|hours|times)\b)",
        lambda m: f"{_DIGIT_WORDS[int(m.group(1))]} ",
    )
    maybe(r"\b([ap])\.m\.", r"\1m")
    maybe(
        r"\b(?:" + "|".join(re.escape(k) for k in _ABBREVIATED_MONTHS) + ")",
        lambda m: _ABBREVIATED_MONTHS[m.group()],
    )
    maybe(r"(?<![\d.,])(\d{1,3}),(\d{3})(?![\d,.])", r"\1.\2")
    maybe(r"([$£€]\d+(?:\.\d+)?) ?million\b", r"\1m")
    if rng.random() < 0.3:
        sentence = _EXACT_AMOUNT.sub(_rounded_amount, sentence, count=1)
    return sentence


# An exact amount with four or more significant digits ("18,250", "$415,300"), which a
# summariser may round ("about 18,000").
_EXACT_AMOUNT = re.compile(r"(?<![\d.,])(\$|£|€)?(\d{1,3}(?:,\d{3})+)(?![\d,.])")


def _rounded_amount(match: re.Match[str]) -> str:
    digits = match.group(2).replace(",", "")
    if len(digits.strip("0")) < 4:
        return match.group()
    kept = 2 if len(digits) > 4 else 3
    rounded = round(int(digits), kept - len(digits))
    return f"about {match.group(1) or ''}{rounded:,}"


def fuse(first: str, second: str, rng: random.Random) -> str:
    """Join two sentences into one ("A; b" or "A, and b")."""
    head, _, rest = second.partition(" ")
    if head in _LOWER_OK:
        second = head.lower() + " " + rest
    joint = "; " if rng.random() < 0.5 else ", and "
    return first.rstrip(".") + joint + second


def english_summary(
    sentences: list[str], rng: random.Random, lead: bool, most: int
) -> tuple[str, list[list[int]]]:
    """A clean summary of English sentences, and the sentence ids behind each of its sentences."""
    body = [i for i, s in enumerate(sentences) if i and len(s.split()) >= 5] or [0]
    count = min(len(body), rng.randint(min(2, most), most))
    chosen = body[:count] if lead else sorted(rng.sample(body, count))
    parts = [renotate(compress(sentences[i], rng), rng) for i in chosen]
    origins = [[i] for i in chosen]
    if len(parts) >= 2 and rng.random() < 0.4:
        i = rng.randrange(len(parts) - 1)
        parts[i : i + 2] = [fuse(parts[i], parts[i + 1], rng)]
        origins[i : i + 2] = [origins[i] + origins[i + 1]]
    return " ".join(parts), origins


# ---------------------------------------------------------------- planting errors

_NUMBER = re.compile(r"(?<![\w.,/:-])\d+(?:[.,]\d+)*(?![\w/:-]|[.,]\d)")
_EN_MONTHS = _words(
    "January February March April May June July August September October November December"
)
_ID_MONTHS = _words(
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
)
_EN_DAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_ID_DAYS = _words("Senin Selasa Rabu Kamis Jumat Sabtu Minggu")
_MONTH_ALT = "|".join(_EN_MONTHS + _ID_MONTHS)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}) ({_MONTH_ALT})\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH_ALT}) (\d{{1,2}})\b(?!\d)")
_WEEKDAY = re.compile(rf"\b({'|'.join(_EN_DAYS + _ID_DAYS)})\b")
_YEAR = re.compile(r"(?<![\d.,/])(19[5-9]\d|20[0-4]\d)(?![\d.,/])")
_SCALES = {
    "million": "billion", "billion": "million", "thousand": "million", "trillion": "billion",
    "juta": "miliar", "miliar": "juta", "ribu": "juta", "triliun": "miliar",
}  # fmt: skip
_SCALED = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)\s?(" + "|".join(_SCALES) + r")\b")
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10,
}  # fmt: skip
# Counted as numbers of the article too, so a planted number never equals one of them.
_OTHER_NUMBER_WORDS = {
    "one": 1, "satu": 1, "first": 1, "pertama": 1, "second": 2, "kedua": 2, "both": 2,
    "third": 3, "ketiga": 3, "dozen": 12, "hundred": 100, "seratus": 100,
    "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "keempat": 4, "kelima": 5, "keenam": 6, "ketujuh": 7, "kedelapan": 8, "kesembilan": 9,
    "kesepuluh": 10,
}  # fmt: skip
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b")
_NAME = re.compile(r"(?<=[a-z,;] )((?:[A-Z][a-z]+|[A-Z]{2,})(?: (?:[A-Z][a-z]+|[A-Z]{2,})){0,2})\b")
_NOT_NAMES = set(_EN_MONTHS + _ID_MONTHS + _EN_DAYS + _ID_DAYS) | {
    "Now", "Miss", "Mister", "Sir", "Madam", "Lord", "Lady", "St", "Saint", "Then", "So",
    "Yes", "No", "Not", "All", "Our", "We", "You", "Your", "His", "Her", "Their", "Its", "Anda",
    "The", "This", "That", "He", "She", "It", "They", "But", "And", "In", "On", "At", "For",
    "Mr", "Mrs", "Ms", "Dr", "Bapak", "Ibu", "Pak", "Bu", "I", "Yang", "Di", "Dan", "Ini",
}  # fmt: skip


def article_numbers(article: Article) -> set[str]:
    """Every number of the article as digit strings in both notations ("1.500" -> 1500, 1.5)."""
    values: set[str] = set()
    text = " ".join(article.indonesian + (article.english or []))
    for match in re.finditer(r"\d+(?:[.,]\d+)*", text):
        values.update(_number_keys(match.group()))
    for word, value in {**_NUMBER_WORDS, **_OTHER_NUMBER_WORDS}.items():
        if re.search(rf"\b{word}\b", text, re.IGNORECASE):
            values.add(str(value))
    return values


def _number_keys(literal: str) -> set[str]:
    digits = re.sub(r"[.,]", "", literal).lstrip("0") or "0"
    keys = {digits}
    for mark in ".,":
        if mark in literal:
            whole, _, frac = literal.rpartition(mark)
            frac = frac.rstrip("0")
            plain = re.sub(r"[.,]", "", whole).lstrip("0") or "0"
            keys.add(f"{plain}.{frac}" if frac else plain)
    return keys


def article_text(article: Article) -> str:
    return " ".join(article.indonesian + (article.english or []))


def plant(pair: Pair, error: str, rng: random.Random, names: list[str]) -> Pair | None:
    """A copy of ``pair`` with one planted error of type ``error``, or None if impossible."""
    planter = {
        "number": _plant_number,
        "digit": _plant_digit,
        "date": _plant_date,
        "unit": _plant_unit,
        "name_swap": _plant_name_swap,
        "name_partial": _plant_name_partial,
        "name_invented": _plant_name_invented,
    }[error]
    result = planter(pair, rng, names)
    if result is None:
        return None
    start, end, new = result
    summary = pair.summary[:start] + new + pair.summary[end:]
    detail = f"{pair.summary[start:end]!r} -> {new!r}"
    return Pair(pair.article, summary, pair.language, error, (start, start + len(new)), detail)


Edit = tuple[int, int, str]


def _plant_number(pair: Pair, rng: random.Random, _names: list[str]) -> Edit | None:
    taken = article_numbers(pair.article)
    candidates = [m for m in _NUMBER.finditer(pair.summary) if not _YEAR.fullmatch(m.group())]
    rng.shuffle(candidates)
    for match in candidates:
        literal = match.group()
        for _ in range(20):
            new = _perturb(literal, rng)
            if new and new != literal and not (_number_keys(new) & taken):
                return match.start(), match.end(), new
    words = list(_WORD_NUMBER.finditer(pair.summary))
    rng.shuffle(words)
    for match in words:
        options = [w for w, v in _NUMBER_WORDS.items() if str(v) not in taken]
        options = [
            w
            for w in options
            if (w in _words("dua tiga empat lima enam tujuh delapan sembilan sepuluh"))
            == (pair.language == "id")
        ]
        if options:
            return match.start(), match.end(), rng.choice(options)
    return None


# Numbers as a summariser copies them: exact amounts, decimals, ordinals ("5th"), "No. 7",
# amounts glued to a currency or a scale ("$415,000", "Rp7,4 triliun", "18.250").
_ANY_NUMBER = re.compile(r"(?<![\w.,/:-])\d+(?:[.,]\d+)*(?=(?:st|nd|rd|th)?\b)(?![/:-]\d|[.,]\d)")
_DATE_CONTEXT = re.compile(rf"\b(?:{_MONTH_ALT})\s*$|^\s*(?:{_MONTH_ALT})\b")


def _plant_digit(pair: Pair, rng: random.Random, _names: list[str]) -> Edit | None:
    """Change one significant digit of a number, most often one of its last digits: an
    exact amount copied wrongly ("$415,000" -> "$415,030", "18.250" -> "18.280")."""
    taken = article_numbers(pair.article)
    candidates = [
        m
        for m in _ANY_NUMBER.finditer(pair.summary)
        if not _YEAR.fullmatch(m.group())
        and not _DATE_CONTEXT.search(pair.summary[max(0, m.start() - 12) : m.start()])
        and not _DATE_CONTEXT.search(pair.summary[m.end() : m.end() + 12])
    ]
    rng.shuffle(candidates)
    for match in candidates:
        literal = match.group()
        digits = [i for i, c in enumerate(literal) if c.isdigit()]
        first = next((i for i in digits if literal[i] != "0"), None)
        if first is None:
            continue
        significant = [i for i in digits if i >= first]
        # Later digits are chosen more often: that is where a copied amount goes wrong.
        weights = [1 + k for k in range(len(significant))]
        for _ in range(10):
            i = rng.choices(significant, weights)[0]
            options = [d for d in "0123456789" if d != literal[i] and not (i == first and d == "0")]
            new = literal[:i] + rng.choice(options) + literal[i + 1 :]
            if not (_number_keys(new) & taken):
                return match.start(), match.end(), new
    return None


def _perturb(literal: str, rng: random.Random) -> str | None:
    """Change a number the way a summariser garbles one: a digit, a nearby value, a factor."""
    digits = [i for i, c in enumerate(literal) if c.isdigit()]
    choice = rng.random()
    if choice < 0.5:
        i = rng.choice(digits)
        replacement = rng.choice([d for d in "0123456789" if d != literal[i]])
        if i == digits[0] and replacement == "0":
            replacement = "9" if literal[i] != "9" else "8"
        return literal[:i] + replacement + literal[i + 1 :]
    if not re.fullmatch(r"\d+", literal):
        return None
    value = int(literal)
    if choice < 0.8:
        step = max(1, round(value * rng.uniform(0.1, 0.4)))
        new = value + rng.choice([-1, 1]) * step
    else:
        new = value * 2 if rng.random() < 0.5 else value // 2
    return str(new) if new > 0 else None


def _plant_date(pair: Pair, rng: random.Random, _names: list[str]) -> Edit | None:
    text = article_text(pair.article)
    options: list[Edit] = []
    months = _ID_MONTHS if pair.language == "id" else _EN_MONTHS
    for pattern, day_group in ((_DAY_MONTH, 1), (_MONTH_DAY, 2)):
        for match in pattern.finditer(pair.summary):
            day = int(match.group(day_group))
            month_name = match.group(3 - day_group)
            month = (_EN_MONTHS + _ID_MONTHS).index(month_name) % 12
            for shift in rng.sample([-3, -2, -1, 1, 2, 3, 5, 7], 8):
                new_day = day + shift
                if 1 <= new_day <= 28 and not _date_in(text, new_day, month):
                    a, b = match.span(day_group)
                    options.append((a, b, str(new_day)))
                    break
            for new_month in rng.sample(range(12), 12):
                if new_month != month and not _month_in(text, new_month):
                    a, b = match.span(3 - day_group)
                    options.append((a, b, months[new_month]))
                    break
    for match in _WEEKDAY.finditer(pair.summary):
        days = _ID_DAYS if match.group() in _ID_DAYS else _EN_DAYS
        free = [d for d in range(7) if not re.search(rf"\b({_EN_DAYS[d]}|{_ID_DAYS[d]})\b", text)]
        if free:
            options.append((*match.span(), days[rng.choice(free)]))
    for match in _YEAR.finditer(pair.summary):
        year = int(match.group())
        free = [y for y in range(year - 3, year + 4) if y != year and str(y) not in text]
        if free:
            options.append((*match.span(), str(rng.choice(free))))
    return rng.choice(options) if options else None


def _date_in(text: str, day: int, month: int) -> bool:
    names = f"{_EN_MONTHS[month]}|{_ID_MONTHS[month]}"
    return bool(
        re.search(
            rf"\b0?{day} ({names})\b|\b({names}) 0?{day}\b|\b0?{day} ?/ ?0?{month + 1}\b", text
        )
    )


def _month_in(text: str, month: int) -> bool:
    return bool(re.search(rf"\b({_EN_MONTHS[month]}|{_ID_MONTHS[month]})\b", text)) or bool(
        re.search(rf"\d ?/ ?0?{month + 1} ?/", text)
    )


def _plant_unit(pair: Pair, rng: random.Random, _names: list[str]) -> Edit | None:
    text = article_text(pair.article).lower()
    matches = list(_SCALED.finditer(pair.summary))
    rng.shuffle(matches)
    for match in matches:
        new_scale = _SCALES[match.group(2).lower()]
        english = {
            "juta": "million",
            "miliar": "billion",
            "ribu": "thousand",
            "triliun": "trillion",
        }
        indonesian = {v: k for k, v in english.items()}
        forms = {new_scale, english.get(new_scale, new_scale), indonesian.get(new_scale, new_scale)}
        if any(f"{match.group(1)} {f}" in text or f"{match.group(1)}{f}" in text for f in forms):
            continue
        return match.start(2), match.end(2), new_scale
    return None


def summary_names(summary: str, context: str = "") -> list[re.Match[str]]:
    """Capitalised spans inside sentences (not sentence-initial): a planter's idea of a name.

    A word that also occurs in lower case in ``context`` (the article) is an ordinary word in
    title case ("Against"), not a name.
    """
    lower = set(re.findall(r"\b[a-z]+\b", context))
    return [
        m
        for m in _NAME.finditer(summary)
        if not set(m.group().split()) & _NOT_NAMES
        and all(len(w) >= 3 or w.isupper() for w in m.group().split())
        and not any(w.lower() in lower for w in m.group().split())
    ]


def _absent(name: str, text: str) -> bool:
    """Whether no word of ``name``, nor a longer form of it ("America" for "Americans"), is in
    ``text`` (case-insensitive)."""
    for word in name.split():
        stem = word[: max(4, len(word) - 3)]
        if re.search(rf"\b{re.escape(word)}\b|\b{re.escape(stem)}", text, re.IGNORECASE):
            return False
    return True


def _plant_name_swap(pair: Pair, rng: random.Random, names: list[str]) -> Edit | None:
    text = article_text(pair.article)
    spans = summary_names(pair.summary, text)
    if not spans:
        return None
    target = rng.choice(spans)
    size = len(target.group().split())
    pool = [n for n in names if len(n.split()) == size] or names
    for name in rng.sample(pool, min(len(pool), 50)):
        if _absent(name, text) and _absent(name, pair.summary):
            return target.start(), target.end(), name
    return None


def _plant_name_partial(pair: Pair, rng: random.Random, names: list[str]) -> Edit | None:
    text = article_text(pair.article)
    spans = [m for m in summary_names(pair.summary, text) if len(m.group().split()) >= 2]
    if not spans:
        return None
    target = rng.choice(spans)
    words = target.group().split()
    index = rng.randrange(len(words))
    start = target.start() + sum(len(w) + 1 for w in words[:index])
    singles = [w for n in names for w in n.split() if w[0].isupper() and w[1:].islower()]
    for word in rng.sample(singles, min(len(singles), 50)):
        if _absent(word, text) and _absent(word, pair.summary):
            return start, start + len(words[index]), word
    return None


def _plant_name_invented(pair: Pair, rng: random.Random, names: list[str]) -> Edit | None:
    text = article_text(pair.article)
    people = [n for n in names if len(n.split()) == 2 and not n.isupper()]
    ends = [m.start() for m in re.finditer(r"\.(?=\s|$)", pair.summary)]
    if not ends or not people:
        return None
    end = rng.choice(ends)
    for name in rng.sample(people, min(len(people), 50)):
        if _absent(name, text) and _absent(name, pair.summary):
            clause = f", kata {name}" if pair.language == "id" else f", according to {name}"
            return end, end, clause
    return None


def name_pool(articles: list[Article], language: str) -> dict[str, list[str]]:
    """Names by document, found the planter's way, for swapping into other documents."""
    pool: dict[str, list[str]] = {}
    for article in articles:
        sentences = article.english if language == "en" and article.english else article.indonesian
        if article.dataset.startswith("ntrex"):
            sentences = sentences[1:]  # the headline is in title case
        text = " ".join(sentences)
        found = {m.group() for s in sentences for m in summary_names(s, text)}
        pool[article.doc_id] = sorted(found)
    return pool


# ---------------------------------------------------------------- evaluation


def build_pairs(
    corpus: Path, rng: random.Random, extra: list[Article] | None = None
) -> tuple[list[Pair], list[Pair]]:
    """(English-summary pairs over parallel documents, Indonesian reference pairs)."""
    parallel = load_ntrex(corpus) + load_pud(corpus) + (extra or [])
    english_pairs = []
    for article in parallel:
        assert article.english is not None
        ntrex = article.dataset.startswith("ntrex")
        most = 4 if ntrex else 2
        leads = [True, False] if ntrex else [rng.random() < 0.5]
        for lead in leads:
            summary, origins = english_summary(article.english, rng, lead, most)
            english_pairs.append(Pair(article, summary, "en", origins=origins))
        # Scale words are rare in leads: also summarise around one sentence that has one, so
        # the "unit" error type (million <-> billion) gets enough samples.
        scaled = [i for i, s in enumerate(article.english) if i and _SCALED.search(s)]
        if scaled:
            i = rng.choice(scaled)
            chosen = list(range(i, min(i + 2, len(article.english))))
            summary = " ".join(renotate(compress(article.english[j], rng), rng) for j in chosen)
            english_pairs.append(Pair(article, summary, "en", origins=[[j] for j in chosen]))
    return english_pairs, load_reference_pairs(corpus)


def corrupt_all(pairs: list[Pair], pool: dict[str, list[str]], rng: random.Random) -> list[Pair]:
    """One corrupted copy per pair and error type, where that error can be planted."""
    corrupted = []
    for pair in pairs:
        others = [n for doc, names in pool.items() if doc != pair.article.doc_id for n in names]
        for error in ERROR_TYPES:
            planted = plant(pair, error, rng, others)
            if planted is not None:
                corrupted.append(planted)
    return corrupted


def view(article: Article, config: str) -> tuple[list[str], list[str] | None]:
    """The article as the checker sees it in ``config``."""
    if article.english is None or config == "crosslingual":
        return article.indonesian, None
    if config == "english":
        return article.english, None
    return article.indonesian, article.english


def evaluate(pairs: list[Pair], config: str) -> Tally:
    tally = Tally()
    indexes: dict[str, SourceIndex] = {}
    for pair in pairs:
        key = pair.article.doc_id
        if key not in indexes:
            indexes[key] = SourceIndex(*view(pair.article, config))
        report = indexes[key].check(pair.summary)
        flags = [
            (s.offset + u.start, s.offset + u.end, u)
            for s in report.sentences
            for u in s.unsupported
        ]
        tally.flags += len(flags)
        for start, end, item in flags:
            hit = pair.planted is not None and start < pair.planted[1] and pair.planted[0] < end
            tally.true_flags += hit
            tally.flags_by_kind[item.kind] += 1
            if not hit and len(tally.false_examples) < 400:
                context = pair.summary[max(0, start - 60) : end + 40]
                tally.false_examples.append(
                    f"[{pair.article.dataset} {key}] {item.kind}: {item.text!r} in {context!r}"
                )
        if pair.error is None and pair.origins and len(pair.origins) == len(report.sentences):
            for origin, checked in zip(pair.origins, report.sentences, strict=True):
                tally.attributable += 1
                tally.attributed += bool(checked.support) and checked.support[0].sentence in origin
        dataset = pair.article.dataset
        if pair.error is None:
            fact_flagged = any(item.kind in FACT_KINDS for _, _, item in flags)
            tally.clean += 1
            tally.clean_flagged += bool(flags)
            tally.clean_fact_flagged += fact_flagged
            tally.clean_by_dataset[dataset] += 1
            tally.clean_flagged_by_dataset[dataset] += bool(flags)
            tally.clean_fact_flagged_by_dataset[dataset] += fact_flagged
        else:
            assert pair.planted is not None
            tally.planted[pair.error] += 1
            caught = any(s < pair.planted[1] and pair.planted[0] < e for s, e, _ in flags)
            tally.caught[pair.error] += caught
            tally.planted_by_dataset[dataset, pair.error] += 1
            tally.caught_by_dataset[dataset, pair.error] += caught
            if not caught and len(tally.misses) < 400:
                tally.misses.append(f"[{pair.article.dataset} {key}] {pair.error}: {pair.detail}")
    return tally


def report(config: str, tally: Tally) -> dict[str, object]:
    """Print one configuration's table; return its figures."""
    print(f"\n== {config} ==")
    datasets = sorted(tally.clean_by_dataset)
    print(
        f"{'error type':<15}{'planted':>8}{'caught':>8}{'recall':>8}  "
        + " ".join(f"{d:>13}" for d in datasets)
    )
    figures: dict[str, object] = {"config": config}
    for error in ERROR_TYPES:
        n, caught = tally.planted[error], tally.caught[error]
        recall = caught / n if n else float("nan")
        figures[f"recall_{error}"] = round(recall, 4)
        cells = []
        for dataset in datasets:
            m = tally.planted_by_dataset[dataset, error]
            hit = tally.caught_by_dataset[dataset, error]
            cells.append(f"{hit / m:.3f} ({m:>3})" if m else f"{'-':>13}")
            if m:
                figures[f"recall_{error}_{dataset}"] = round(hit / m, 4)
        print(f"{error:<15}{n:>8}{caught:>8}{recall:>8.3f}  " + " ".join(f"{c:>13}" for c in cells))
    cells = []
    for dataset in datasets:
        m = sum(tally.planted_by_dataset[dataset, e] for e in NUMBER_ERRORS)
        hit = sum(tally.caught_by_dataset[dataset, e] for e in NUMBER_ERRORS)
        cells.append(f"{hit / m:.3f} ({m:>3})" if m else f"{'-':>13}")
        if m:
            figures[f"recall_numbers_{dataset}"] = round(hit / m, 4)
    n = sum(tally.planted[e] for e in NUMBER_ERRORS)
    caught = sum(tally.caught[e] for e in NUMBER_ERRORS)
    figures["recall_numbers"] = round(caught / n, 4) if n else None
    print(
        f"{'numbers':<15}{n:>8}{caught:>8}{(caught / n if n else 0):>8.3f}  "
        + " ".join(f"{c:>13}" for c in cells)
    )
    groups = {
        "numbers+dates": ("number", "digit", "date", "unit"),
        "names": ("name_swap", "name_partial", "name_invented"),
    }
    for label, members in groups.items():
        n = sum(tally.planted[e] for e in members)
        caught = sum(tally.caught[e] for e in members)
        figures[f"recall_{label}"] = round(caught / n, 4) if n else None
        print(f"{label:<15}{n:>8}{caught:>8}{(caught / n if n else 0):>8.3f}")
    planted = sum(tally.planted.values())
    precision = tally.true_flags / tally.flags if tally.flags else float("nan")
    fp_rate = tally.clean_flagged / tally.clean if tally.clean else float("nan")
    print(
        f"flag precision: {tally.true_flags}/{tally.flags} = {precision:.3f} "
        f"(flags overlapping a planted error / all flags; {planted} of "
        f"{planted + tally.clean} summaries corrupted)"
    )
    print(f"clean summaries flagged: {tally.clean_flagged}/{tally.clean} = {fp_rate:.3f}")
    per_dataset = ", ".join(
        f"{d} {tally.clean_flagged_by_dataset[d]}/{n}"
        for d, n in sorted(tally.clean_by_dataset.items())
    )
    print(f"  by dataset: {per_dataset}")
    fact_rate = tally.clean_fact_flagged / tally.clean if tally.clean else float("nan")
    print(
        f"clean summaries with a number, date or amount flagged: "
        f"{tally.clean_fact_flagged}/{tally.clean} = {fact_rate:.3f}"
    )
    per_dataset = ", ".join(
        f"{d} {tally.clean_fact_flagged_by_dataset[d]}/{n}"
        for d, n in sorted(tally.clean_by_dataset.items())
    )
    print(f"  by dataset: {per_dataset}")
    figures.update(
        precision=round(precision, 4),
        clean_fp_rate=round(fp_rate, 4),
        clean_fact_fp_rate=round(fact_rate, 4),
    )
    if tally.attributable:
        accuracy = tally.attributed / tally.attributable
        print(
            f"attribution: top support is a sentence the summary sentence came from: "
            f"{tally.attributed}/{tally.attributable} = {accuracy:.3f}"
        )
        figures["attribution_top1"] = round(accuracy, 4)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--config", choices=CONFIGS, action="append")
    parser.add_argument("--show", type=int, default=0, help="print N false flags and N misses")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument(
        "--extra",
        type=Path,
        default=DEFAULT_EXTRA,
        help="extra sets built by benchmarks/extra_corpus.py (skipped when absent)",
    )
    parser.add_argument(
        "--heldout", action="store_true", help="also the held-out extra sets (final run only)"
    )
    args = parser.parse_args(argv)
    if not (args.corpus / "parallel").is_dir():
        print(f"error: corpus not found at {args.corpus} (pass --corpus PATH)", file=sys.stderr)
        return 2
    extra: list[Article] = []
    for stem in ("ntrex", "pud"):
        for split in ("dev", "heldout") if args.heldout else ("dev",):
            path = args.extra / "parallel" / f"{stem}.{split}.jsonl"
            if path.is_file():
                name = f"{stem}-new" if split == "dev" else f"{stem}-heldout"
                extra += load_extra(path, name)
    if not extra:
        print(f"extra sets not found at {args.extra} (benchmarks/extra_corpus.py builds them)")
    rng = random.Random(args.seed)
    english_pairs, reference_pairs = build_pairs(args.corpus, rng, extra)
    parallel = sorted(
        {p.article.doc_id: p.article for p in english_pairs}.values(), key=lambda a: a.doc_id
    )
    references = [p.article for p in reference_pairs]
    english_corrupt = corrupt_all(english_pairs, name_pool(parallel, "en"), rng)
    reference_corrupt = corrupt_all(reference_pairs, name_pool(references, "id"), rng)
    results = []
    for config in args.config or CONFIGS:
        if config == "reference":
            pairs = reference_pairs + reference_corrupt
        else:
            pairs = english_pairs + english_corrupt
        tally = evaluate(pairs, config)
        results.append(report(config, tally))
        for line in _head(tally.false_examples, args.show):
            print("  FLAG", line)
        for line in _head(tally.misses, args.show):
            print("  MISS", line)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


def _head(lines: list[str], n: int) -> Iterator[str]:
    yield from lines[:n]


if __name__ == "__main__":
    sys.exit(main())
