"""Normalised facts (amounts, dates, weekdays, clock times) and the source index of them.

A *mention* is a span of text with one or more *readings*: alternative normalised values, e.g.
"1.500" reads as 1500 (thousands separator) or 1.5 (decimal point). A summary mention is
supported when any of its readings is found among the source's readings.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# Unit of an amount that was read without its scale word ("300" of "Rp 300 juta"): it supports a
# bare "300" in a summary but not "300 billion rupiah".
RAW = "*raw"
# Unit of an ordinal ("5th", "kelima"): "kelima" supports "5th" but not "5 people".
ORDINAL = "*ordinal"


@dataclass(frozen=True)
class Amount:
    """A number with its scale applied and an optional unit ("IDR", "%", "day", ...)."""

    value: Decimal
    unit: str | None = None
    alt: bool = False  # the less likely reading of an ambiguous literal ("1.500" as 1.5)
    decimals: int = 0  # digits written after the decimal mark, for rounding tolerance
    scale: int = 0  # power of ten of the scale word ("juta" = 6)
    significant: int = 0  # significant digits written; rounding needs at least two


@dataclass(frozen=True)
class DateValue:
    """A calendar date; any part may be unknown ("8 March", "March 2023", "2023")."""

    year: int | None
    month: int | None
    day: int | None


@dataclass(frozen=True)
class Weekday:
    """A day of the week, Monday = 0."""

    day: int


@dataclass(frozen=True)
class Clock:
    """A time of day on the 24-hour clock."""

    hour: int
    minute: int


Reading = Amount | DateValue | Weekday | Clock


@dataclass(frozen=True)
class Mention:
    """A number, date or time found in text, with its alternative readings."""

    kind: str
    start: int
    end: int
    text: str
    readings: tuple[Reading, ...]


def valid_date(year: int | None, month: int | None, day: int | None) -> bool:
    """Whether the known parts of a date can exist (29 February needs a leap year)."""
    if month is not None and not 1 <= month <= 12:
        return False
    if day is None:
        return True
    if month is None or not 1 <= day <= 31:
        return False
    try:
        datetime.date(year if year is not None else 2000, month, day)
    except ValueError:
        return False
    return True


_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    """Lower-case ``text`` and collapse runs of whitespace, for verbatim comparison."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip().lower()


class FactIndex:
    """Every reading found in the source texts, ready for membership tests."""

    def __init__(self, texts: Iterable[str]) -> None:
        from ringkas.check.quantities import find_mentions

        self.amounts: dict[Decimal, list[Amount]] = {}
        self.dates: set[tuple[int, int, int]] = set()
        self.month_days: set[tuple[int, int]] = set()
        self.yearless_month_days: set[tuple[int, int]] = set()
        self.year_months: set[tuple[int, int]] = set()
        self.months: set[int] = set()
        self.years: set[int] = set()
        self.weekdays: set[int] = set()
        self.clocks: set[tuple[int, int]] = set()
        texts = list(texts)
        # One pass over all sentences: no pattern crosses a line break.
        for mention in find_mentions("\n".join(t.replace("\n", " ") for t in texts), source=True):
            for reading in mention.readings:
                self._add(reading)
        self._text = "\n".join(squash(t) for t in texts)

    def _add(self, reading: Reading) -> None:
        if isinstance(reading, Amount):
            self.amounts.setdefault(reading.value, []).append(reading)
            if reading.value == reading.value.to_integral_value() and 1900 <= reading.value <= 2100:
                self.years.add(int(reading.value))
        elif isinstance(reading, DateValue):
            self._add_date(reading)
        elif isinstance(reading, Weekday):
            self.weekdays.add(reading.day)
        else:
            self.clocks.add((reading.hour, reading.minute))

    def _add_date(self, date: DateValue) -> None:
        year, month, day = date.year, date.month, date.day
        if year is not None:
            self.years.add(year)
        if month is None:
            return
        self.months.add(month)
        if year is not None:
            self.year_months.add((year, month))
        if day is not None:
            self.month_days.add((month, day))
            if year is None:
                self.yearless_month_days.add((month, day))
            else:
                self.dates.add((year, month, day))

    def verbatim(self, text: str) -> bool:
        """Whether ``text`` occurs in the source as a whole token sequence (case-insensitive)."""
        needle = squash(text)
        if not needle:
            return False
        start = self._text.find(needle)
        while start >= 0:
            end = start + len(needle)
            before = self._text[start - 1] if start else " "
            after = self._text[end] if end < len(self._text) else " "
            # "8" must not be found inside "8/3/2023" or "1,8".
            if not (before.isalnum() or _glued_digit(self._text, start - 1, -1)) and not (
                after.isalnum() or _glued_digit(self._text, end, 1)
            ):
                return True
            start = self._text.find(needle, start + 1)
        return False

    def supports(self, mention: Mention) -> bool:
        """Whether any reading of ``mention`` is found in the source, or its text is."""
        return any(self._supports_reading(r) for r in mention.readings) or self.verbatim(
            mention.text
        )

    def _supports_reading(self, reading: Reading) -> bool:
        if isinstance(reading, Amount):
            return self._supports_amount(reading)
        if isinstance(reading, DateValue):
            return self._supports_date(reading)
        if isinstance(reading, Weekday):
            return reading.day in self.weekdays
        return (reading.hour, reading.minute) in self.clocks

    def _supports_amount(self, wanted: Amount) -> bool:
        candidates = list(self.amounts.get(wanted.value, ()))
        if not candidates and wanted.significant >= 2 and not wanted.alt:
            candidates = self._rounded(wanted)
        for found in candidates:
            if wanted.alt and not found.alt:
                # "1,700" read as 1.7 only matches a source literal that is just as ambiguous.
                continue
            if wanted.unit == ORDINAL or found.unit == wanted.unit:
                return True  # "50th" may stand for "ke-50", "50 tahun" or "kelima puluh"
            if found.unit == ORDINAL:
                continue  # "fifth" does not support "5 people"
            if found.unit == RAW:
                if wanted.unit is None:
                    return True
            elif wanted.unit is None or found.unit is None:
                return True
        return False

    def _rounded(self, wanted: Amount) -> list[Amount]:
        """Source amounts that round to ``wanted`` at the precision the summary wrote it."""
        half = Decimal(5) * Decimal(10) ** (wanted.scale - wanted.decimals - 1)
        return [
            found
            for value, amounts in self.amounts.items()
            if abs(value - wanted.value) <= half and value != 0
            for found in amounts
            if found.unit != RAW
        ]

    def _supports_date(self, date: DateValue) -> bool:
        year, month, day = date.year, date.month, date.day
        if month is None:
            return year is not None and (year in self.years or Decimal(year) in self.amounts)
        if day is not None:
            if year is None:
                return (month, day) in self.month_days
            return (year, month, day) in self.dates or (
                (month, day) in self.yearless_month_days and year in self.years
            )
        if year is not None:
            return (year, month) in self.year_months or (
                month in self.months and year in self.years
            )
        return month in self.months


def _glued_digit(text: str, index: int, step: int) -> bool:
    """Whether a digit sits just past a separator at ``index`` ("8" in "8/3", "1,8")."""
    if not 0 <= index < len(text) or text[index] not in "./,:":
        return False
    nxt = index + step
    return 0 <= nxt < len(text) and text[nxt].isdigit()
