"""Find every number, amount, date and time in a text, most specific reading first.

Kinds reported: ``date`` (dates, weekdays, months, bare years), ``time`` (clock times),
``money`` (amounts with a currency), ``percent``, ``quantity`` (a scale word such as "juta"
or a unit such as "hari"/"days") and ``number`` (anything else).
"""

from __future__ import annotations

from ringkas.check.dates import find_dates, find_times
from ringkas.check.numbers import find_amounts, find_number_words
from ringkas.check.values import Mention

KINDS = ("number", "date", "time", "percent", "money", "quantity", "name")


def find_mentions(text: str, *, source: bool = False) -> list[Mention]:
    """Mentions in ``text`` ordered by position; ``source`` adds lenient extra readings."""
    taken = bytearray(len(text))

    def is_free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    found: list[Mention] = []

    def keep(mentions: list[Mention]) -> None:
        for mention in mentions:
            found.append(mention)
            taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)

    # Dates before times before plain numbers: "8/3/2023" is not three numbers and
    # "pukul 08.30" is not 8.3. Each pass sees only what earlier passes left.
    for mention in find_dates(text, is_free, source):
        keep([mention])
    for mention in find_times(text, is_free):
        keep([mention])
    keep(find_amounts(text, is_free, source))
    keep(find_number_words(text, is_free, source))
    found.sort(key=lambda m: (m.start, m.end))
    return found
