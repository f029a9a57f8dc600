"""The values a number, date or time can stand for (amounts, dates, weekdays, clock times),
and the mentions that carry them.

A *mention* is a span of text with one or more *readings*: alternative normalised values, e.g.
"1.500" reads as 1500 (thousands separator) or 1.5 (decimal point). The finders
(``numbers``, ``dates``) produce them; :mod:`ringkas.check.facts` indexes the source's.
"""

from __future__ import annotations

import datetime
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
    # Significant digits written (trailing zeros of a whole number excluded); a summary
    # number is a rounding only with at least two, and fewer than the source number's.
    significant: int = 0
    exact: bool = False  # an ordinal, a rank, a year or a "No. 7": never a rounding


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
