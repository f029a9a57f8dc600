"""The source index of facts: every reading of the article's numbers, dates and times, and
whether a summary mention is supported by one of them (exactly, or as a rounding of it).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

from ringkas.check.quantities import find_mentions
from ringkas.check.values import ORDINAL, RAW, Amount, DateValue, Mention, Reading, Weekday

_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    """Lower-case ``text`` and collapse runs of whitespace, for verbatim comparison."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip().lower()


class FactIndex:
    """Every reading found in the source texts, ready for membership tests."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.amounts: dict[Decimal, list[Amount]] = {}
        self.dates: set[tuple[int, int, int]] = set()
        self.month_days: set[tuple[int, int]] = set()
        self.yearless_month_days: set[tuple[int, int]] = set()
        self.year_months: set[tuple[int, int]] = set()
        self.months: set[int] = set()
        self.years: set[int] = set()
        self.weekdays: set[int] = set()
        self.clocks: set[tuple[int, int]] = set()
        self._sorted: list[Decimal] | None = None  # amounts' values, for rounding look-ups
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
        roundable = not (wanted.alt or wanted.exact or wanted.unit == ORDINAL)
        if not candidates and wanted.significant >= 2 and roundable:
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
        """Source amounts that ``wanted`` is a rounding of: the source number is more precise
        (more significant digits) and rounds to ``wanted`` at the precision it was written.

        A summary number as precise as the source's, or more, is never a rounding of it:
        "18,280" or "18,251" for 18.250 is a different number; "nearly 18,000" is not.
        """
        # The power of ten of the last significant digit as written ("18,000": 3).
        last = wanted.scale - wanted.decimals
        if not wanted.decimals and wanted.value:
            written = wanted.value.scaleb(-wanted.scale).normalize()
            last += max(0, int(written.as_tuple().exponent))
        half = Decimal(5) * Decimal(10) ** (last - 1)
        if self._sorted is None:
            self._sorted = sorted(self.amounts)
        low = bisect.bisect_left(self._sorted, wanted.value - half)
        high = bisect.bisect_right(self._sorted, wanted.value + half)
        return [
            found
            for value in self._sorted[low:high]
            if value != 0 and _rounds_to(value, last, wanted.value)
            for found in self.amounts[value]
            if found.unit not in (RAW, ORDINAL)
            and not found.exact
            and found.significant > wanted.significant
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


def _rounds_to(value: Decimal, last: int, wanted: Decimal) -> bool:
    """Whether ``value`` rounded at the power of ten ``last`` is ``wanted`` (a tie may go
    up or to even: 18,250 is "18,300" or "18,200"; 1,335 is "1,340", never "1,330")."""
    place = Decimal(1).scaleb(last)
    try:
        return wanted in (
            value.quantize(place, rounding=ROUND_HALF_UP),
            value.quantize(place, rounding=ROUND_HALF_EVEN),
        )
    except InvalidOperation:  # beyond Decimal's precision: only a plain distance is left
        return abs(value - wanted) <= place / 2


def _glued_digit(text: str, index: int, step: int) -> bool:
    """Whether a digit sits just past a separator at ``index`` ("8" in "8/3", "1,8")."""
    if not 0 <= index < len(text) or text[index] not in "./,:":
        return False
    nxt = index + step
    return 0 <= nxt < len(text) and text[nxt].isdigit()
