"""Datelines that open Indonesian news articles ("JAKARTA, KOMPAS.com -", ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOMAIN = r"[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z]{2,6}){1,3}"
_DASH = r"(?:-{1,2}|–|—)"
# A dateline dash has a space on at least one side ("Bangkalan -Sebuah", "JAKARTA- Bank");
# a hyphen inside a word ("Anang-Ashanty", "COVID-19") has none.
_SEP = rf"(?:\s+{_DASH}[ \t]*|{_DASH}(?=\s)[ \t]*)"
# After an outlet (a domain, "(ANTARA)") the dash may also be glued to the first word
# ("TRIBUNNEWS.COM-Angkatan", "KOMPAS.com–Pemerintah"): the outlet already marks it.
_SEP_MARKED = rf"(?:\s*{_DASH}(?:[ \t]+|(?=[A-Z0-9\"'“‘(\n])))"
_CAPS_WORD = r"[A-Z][A-Z.']+(?:-[A-Z][A-Z.']+)*"
_PLACE_CAPS = rf"{_CAPS_WORD}(?: {_CAPS_WORD}){{0,3}}"
_TITLE_WORD = r"[A-Z][a-z][a-z'.]*(?:-[A-Z]?[a-z][a-z'.]*)*"
_PLACE_TITLE = rf"{_TITLE_WORD}(?: {_TITLE_WORD}){{0,2}}"
_PLACE_ANY = rf"(?:{_PLACE_CAPS}|{_PLACE_TITLE})"
# Next to an outlet, a place may mix the two ("Bandar LAMPUNG, Kompas.com -").
_PLACE_WORD = rf"(?:{_CAPS_WORD}|{_TITLE_WORD})"
_PLACE_MIXED = rf"{_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}}"
# Outlet names that open a dateline without a domain ("POSMETRO MEDAN–").
_BRANDS = r"(?:POSMETRO|ANTARA|ANTARANEWS|TRIBUN|SURYA|BISNIS|KONTAN)"

# Each pattern matches a whole dateline at the very start of the text, newlines allowed
# where scrapers put them ("JAKARTA, KOMPAS.com\n- Pemeriksaan", "Jakarta\n-\nTimnas").
_PATTERNS = [
    # AMBON,MALUKUBERSATU.COM -   JAKARTA, KOMPAS.com-   KARIMUN, POSMETRO.CO:
    re.compile(
        rf"^(?P<place>{_PLACE_MIXED})\s*,\s*(?P<outlet>{_DOMAIN})(?:{_SEP_MARKED}|\s*:[ \t]*)"
        rf"\n?[ \t]*"
    ),
    # Liputan6.com, Bangkalan -   REPUBLIKA.CO.ID, OKI --   TEMPO.CO,Jakarta-
    re.compile(rf"^(?P<outlet>{_DOMAIN})\s*,\s*(?P<place>{_PLACE_MIXED}){_SEP_MARKED}\n?[ \t]*"),
    # Liputan6.com, JakartaManchester United ... (the place glued to the first word)
    re.compile(rf"^(?P<outlet>{_DOMAIN})\s*,\s*(?P<place>{_PLACE_TITLE})(?=[A-Z][a-z])"),
    # Jakarta (ANTARA) -   JAKARTA (ANTARA)-Bank
    re.compile(
        rf"^(?P<place>{_PLACE_MIXED})\s*\(\s*(?P<outlet>[A-Za-z][\w .]{{1,30}}?)\s*\){_SEP_MARKED}"
    ),
    # Kapanlagi.com -   TRIBUNNEWS.COM-   SURYA.CO.ID –   SITE.com-Firstword
    re.compile(rf"^(?P<outlet>{_DOMAIN}){_SEP_MARKED}\n?[ \t]*"),
    # POSMETRO MEDAN–
    re.compile(rf"^(?P<outlet>{_BRANDS}) (?P<place>{_PLACE_CAPS})\s*{_DASH}[ \t]*"),
    # JAKARTA -   LOS ANGELES -   Jakarta\n-\n
    re.compile(rf"^(?P<place>{_PLACE_CAPS}){_SEP}\n?[ \t]*(?=\S)"),
    re.compile(rf"^(?P<place>{_PLACE_TITLE})(?: {_DASH} |[ \t]*\n{_DASH}[ \t]*\n)(?=[A-Z0-9\"])"),
]


@dataclass
class Dateline:
    """The dateline found at the start of a text."""

    text: str
    place: str | None
    outlet: str | None


def find_dateline(text: str) -> Dateline | None:
    """Return the dateline that opens ``text``, if any."""
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if not match or match.end() >= len(text):
            continue
        groups = match.groupdict()
        return Dateline(
            text=match.group(),
            place=_tidy_place(groups.get("place")),
            outlet=_tidy_outlet(groups.get("outlet")),
        )
    return None


def _tidy_place(place: str | None) -> str | None:
    if not place:
        return None
    words = place.strip(" .-").split()
    if len(words) == 1 and len(words[0]) <= 3:
        return words[0]  # an abbreviation such as OKI or NTT
    return " ".join(_title(word) for word in words) or None


def _title(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _tidy_outlet(outlet: str | None) -> str | None:
    if not outlet:
        return None
    outlet = outlet.strip()
    return outlet.lower() if "." in outlet else outlet.title()
