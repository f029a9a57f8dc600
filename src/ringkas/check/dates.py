"""Dates, weekdays and clock times in English or Indonesian notation.

"March 8, 2023", "8 Maret 2023", "8/3/2023", "Rabu (8/3/2023)" and the scraped
"(08 - 09/08/03/23)" all read as :class:`DateValue` s; "Wednesday" and "Rabu" as the same
:class:`Weekday`; "8:30 a.m." and "pukul 08.30 WIT" as the same :class:`Clock`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ringkas.check.values import Clock, DateValue, Mention, Reading, Weekday, valid_date

MONTHS = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
    "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
    "Januari": 1, "Februari": 2, "Pebruari": 2, "Maret": 3, "Mei": 5, "Juni": 6, "Juli": 7,
    "Agustus": 8, "Oktober": 10, "Nopember": 11, "Desember": 12,
}  # fmt: skip
# Abbreviations count only next to a day or a year ("Jan" alone may be a first name).
MONTH_ABBREVIATIONS = {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Agu": 8, "Agt": 8,
    "Agus": 8, "Sep": 9, "Sept": 9, "Oct": 10, "Okt": 10, "Nov": 11, "Dec": 12, "Des": 12,
}  # fmt: skip
WEEKDAYS = {
    "Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5,
    "Sunday": 6, "Senin": 0, "Selasa": 1, "Rabu": 2, "Kamis": 3, "Jumat": 4, "Jum'at": 4,
    "Jum’at": 4, "Sabtu": 5, "Minggu": 6, "Ahad": 6,
}  # fmt: skip


def _alternation(words: list[str]) -> str:
    forms = {w for word in words for w in (word, word.upper())}
    return "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True))


_MONTH_ANY = rf"(?P<mon>{_alternation([*MONTHS, *MONTH_ABBREVIATIONS])})\.?"
_MONTH_FULL = rf"(?P<mon>{_alternation(list(MONTHS))})"
_DAY = r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?"
_DAY_RANGE = (
    rf"{_DAY}(?:[ \u00a0]*(?:-|–|—|to|and|dan|s/d|hingga|sampai)[ \u00a0]*"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?"
)
_YEAR = r"(?P<y>\d{4})(?![\d])"
_B = r"(?<![\w.,/])"  # no digit, letter or separator glued before
_E = r"(?![\w/]|[.,]\d)"  # nor a letter, digit or decimal part after

_SLASH_DATE = re.compile(
    rf"{_B}(?:(?P<r>\d{{1,2}})[ \u00a0]*[-–][ \u00a0]*)?"
    rf"(?P<chain>\d{{1,4}}(?:[ \u00a0]*/[ \u00a0]*\d{{1,4}})+){_E}"
)
_DAY_MONTH = re.compile(
    rf"{_B}{_DAY_RANGE}[ \u00a0]+(?:of[ \u00a0]+)?{_MONTH_ANY}(?:,?[ \u00a0]+{_YEAR})?(?![\w])"
)
# Numeric patterns first, then those that need a month name (skipped when there is none).
DATE_PATTERNS = [
    re.compile(rf"{_B}(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d1>\d{{1,2}}){_E}"),
    _SLASH_DATE,
    re.compile(rf"{_B}(?P<d1>\d{{1,2}})[-.](?P<m>\d{{1,2}})[-.]{_YEAR}"),
    _DAY_MONTH,
    re.compile(rf"\b{_MONTH_ANY}[ \u00a0]+{_DAY_RANGE}(?![\d])(?:,?[ \u00a0]+{_YEAR})?(?![\w])"),
    re.compile(rf"\b{_MONTH_ANY},?[ \u00a0]+{_YEAR}"),
    re.compile(rf"\b{_MONTH_FULL}\b"),
]
_MONTH_WORD = re.compile(rf"\b(?:{_alternation([*MONTHS, *MONTH_ABBREVIATIONS])})")
# In a source, an abbreviation alone still names a month ("enlisting on Sept.").
_MONTH_ABBREVIATION_ALONE = re.compile(rf"\b(?P<mon>{_alternation(list(MONTH_ABBREVIATIONS))})\.")
_WEEKDAY = re.compile(rf"\b(?P<wd>{_alternation(list(WEEKDAYS))})\b")

_TIME_PREFIX = (
    r"(?:(?P<pre>pukul|pk\.?|jam|at|around|about|by|until|from|before|after|sekitar)[ \u00a0]+)?"
)
_TIME_SUFFIX = (
    r"(?:[ \u00a0]*(?P<suf>a\.m\.?|p\.m\.?|am|pm|AM|PM|WIB|WITA|WIT|pagi|siang|sore|malam"
    r"|o'clock|GMT|UTC)(?![^\W\d_]))?"
)
_CLOCK = r"(?P<h{n}>\d{{1,2}})(?:(?P<sep{n}>[:.])(?P<m{n}>\d{{2}}))?"
TIME_PATTERN = re.compile(
    rf"(?<![\w.,:]){_TIME_PREFIX}{_CLOCK.format(n=1)}(?![\d])"
    rf"(?:[ \u00a0]*(?:-|–|—|s/d|sampai|hingga|to|until)[ \u00a0]*(?:pukul[ \u00a0]+)?"
    rf"{_CLOCK.format(n=2)}(?![\d]))?{_TIME_SUFFIX}",
    re.IGNORECASE,
)
_ZONES = {"wib", "wita", "wit", "gmt", "utc"}


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        return 2000 + year if year < 50 else 1900 + year
    return year


def _month(name: str) -> int:
    name = name.rstrip(".")
    title = name[:1] + name[1:].lower()
    return MONTHS.get(title) or MONTH_ABBREVIATIONS[title]


def _chain_dates(range_start: str | None, chain: str) -> list[list[DateValue]]:
    """Read "8/3/2023", "27/7", "3/2023" and "08 - 09/08/03/23"; one list per day mentioned."""
    parts = [p.strip() for p in chain.split("/")]
    if len(parts) == 2 and len(parts[1]) == 4:
        year, month = _year(parts[1]), int(parts[0])
        return [[DateValue(year, month, None)]] if valid_date(year, month, None) else []
    if len(parts) == 2:
        first, second = int(parts[0]), int(parts[1])
        options = [(second, first), (first, second)]  # day/month first, month/day as a fallback
        return [
            [DateValue(None, m, d) for m, d in dict.fromkeys(options) if valid_date(None, m, d)]
        ]
    if len(parts[0]) == 4 and len(parts) == 3:
        year, month, day = (int(p) for p in parts)
        return [[DateValue(year, month, day)]] if valid_date(year, month, day) else []
    year, month = _year(parts[-1]), int(parts[-2])
    days = [int(p) for p in parts[:-2]]
    if range_start is not None:
        days.insert(0, int(range_start))
    result = []
    for day in dict.fromkeys(days):
        options = [(month, day)]
        if len(parts) == 3 and range_start is None:
            options.append((day, month))  # 3/8/2023 in US order
        readings = [
            DateValue(year, m, d) for m, d in dict.fromkeys(options) if valid_date(year, m, d)
        ]
        if readings:
            result.append(readings)
    return result


def _match_dates(match: re.Match[str]) -> list[list[DateValue]]:
    groups = match.groupdict()
    if groups.get("chain"):
        return _chain_dates(groups.get("r"), groups["chain"])
    year = int(groups["y"]) if groups.get("y") else None
    month = _month(groups["mon"]) if groups.get("mon") else int(groups["m"])
    days = [int(d) for d in (groups.get("d1"), groups.get("d2")) if d]
    if not days:
        return [[DateValue(year, month, None)]] if valid_date(year, month, None) else []
    # An impossible day ("72 hingga 14 Desember") is kept: no source can support it.
    return [[DateValue(year, month, d)] for d in days]


def find_dates(
    text: str, is_free: Callable[[int, int], bool], source: bool = False
) -> Iterator[Mention]:
    """Dates and weekdays; a range yields one mention per day, all with the range's span."""
    patterns = list(DATE_PATTERNS)
    if "/" not in text:
        patterns.remove(_SLASH_DATE)
    if _MONTH_WORD.search(text) is None:
        patterns = patterns[: DATE_PATTERNS.index(_DAY_MONTH)]  # no month name: skip those
    elif source:
        patterns.append(_MONTH_ABBREVIATION_ALONE)
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not is_free(start, end):
                continue
            for readings in _match_dates(match):
                if readings:
                    yield Mention("date", start, end, match.group(), tuple(readings))
    for match in _WEEKDAY.finditer(text):
        if is_free(*match.span()):
            name = match.group("wd")
            day = WEEKDAYS.get(name[:1] + name[1:].lower(), WEEKDAYS.get(name))
            if day is not None:
                yield Mention("date", *match.span(), name, (Weekday(day),))


def _clock_readings(hour: int, minute: int, suffix: str, exact: bool) -> list[Clock]:
    """24-hour readings of a clock time, both halves of the day when nothing says which."""
    if hour > 24 or minute > 59:
        return []
    suffix = suffix.lower().replace(".", "")
    if suffix in {"am", "pagi"}:
        hours = [hour % 12]
    elif suffix == "pm":
        hours = [hour % 12 + 12]
    elif suffix == "siang":
        hours = [hour if hour >= 11 else hour + 12]
    elif suffix == "sore":
        hours = [hour + 12 if hour < 12 else hour]
    elif suffix == "malam":
        hours = [hour + 12 if 6 <= hour < 12 else hour % 12 if hour == 12 else hour]
    elif exact or hour == 0 or hour >= 12:
        hours = [hour % 24]
    else:
        hours = [hour, hour + 12]
    return [Clock(h, minute) for h in hours]


def find_times(text: str, is_free: Callable[[int, int], bool]) -> Iterator[Mention]:
    """Clock times: "8:30 a.m.", "pukul 08.30 WIT", "08.00-10.00 WIB", "pukul 8 malam"."""
    for match in TIME_PATTERN.finditer(text):
        pre = (match.group("pre") or "").lower().rstrip(".")
        suffix = match.group("suf") or ""
        seps = [match.group("sep1"), match.group("sep2")]
        clocks = [(match.group(f"h{n}"), match.group(f"m{n}"), seps[n - 1], n) for n in (1, 2)]
        clocks = [c for c in clocks if c[0] is not None]
        has_minutes = all(c[1] is not None for c in clocks)
        # "08.30" alone may be a decimal: a time needs a colon, am/pm, "pukul", or minutes
        # with a time zone ("08.30 WIT") or "at"/"jam" before them.
        explicit = (
            suffix.lower() not in {"", *_ZONES}
            or ":" in seps
            or pre in {"pukul", "pk"}
            or (has_minutes and (suffix != "" or pre in {"jam", "at"}))
        )
        if not explicit:
            continue
        for hour, minute, _sep, n in clocks:
            # "pukul" belongs to the time; "at"/"around" are just English prepositions.
            own_prefix = n == 1 and pre in {"pukul", "pk", "jam"}
            start = match.start("pre") if own_prefix else match.start(f"h{n}")
            if n == len(clocks):
                end = match.end()
            else:
                end = match.end(f"m{n}") if minute is not None else match.end(f"h{n}")
            if not is_free(start, end):
                continue
            # Indonesian writes the 24-hour clock with a leading zero: "pukul 08.30" is morning.
            exact = hour.startswith("0") or (pre in {"pukul", "pk"} and minute is not None)
            readings: list[Reading] = list(
                _clock_readings(int(hour), int(minute or 0), suffix, exact)
            )
            if readings:
                yield Mention("time", start, end, text[start:end], tuple(readings))
