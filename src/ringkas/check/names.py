"""Names (people, places, organisations, acronyms, codes) and whether the source has them.

A name is a run of capitalised words, an acronym ("KUMKM") or a code ("MB-01"). It is supported
when the whole name, or each of its significant words, occurs in the source or its translation,
allowing case, possessive, hyphen/space and plural/demonym variants and the Indonesian form of
common name words ("Maluku Province" ~ "Provinsi Maluku"). Honorifics never count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ringkas.check.words import (
    ALIASES,
    FUNCTION_WORDS,
    HONORIFICS,
    NAME_CONNECTORS,
    NAME_WORD_TRANSLATIONS,
    SENTENCE_OPENERS,
    normalise_token,
)

# Words with inner apostrophes/hyphens, dotted abbreviations ("U.S."), codes ("COVID-19").
TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}[^\W\d_]?|\w(?:[\w’']*\w|)(?:-\w(?:[\w’']*\w|))*")
_OPENING = re.compile(r"""(?:^|[:;“"‘(\[]|[.!?]\s)\s*$""")
# Ordinary-word endings: an unknown capitalised word at the start of a sentence with one of
# these is taken for a common word ("Speaking", "Reportedly"), not a name.
_COMMON_ENDINGS = ("ing", "ed", "ly", "tion", "tions", "ment", "ments", "ness", "ity", "ies")
# Indonesian derived nouns ("Kebijakan", "Penyidikan", "Pertemuan", "Modernisasi").
_INDONESIAN_DERIVED = re.compile(r"(?:ke|pe|per)\w{3,}an|\w{3,}isasi")
_NUMBER_SIGNS = frozenset({"No", "NO", "Nos", "Nr", "Nomor", "NOMOR", "Number"})
_NUMBER_AFTER = re.compile(r"\.?[ \u00a0]*\d")


@dataclass(frozen=True)
class NameMention:
    """A name span in a sentence and the words that must be found for it."""

    start: int
    end: int
    text: str
    words: tuple[str, ...]


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """Lower-case and strip accents ("Jokowi’s" -> "jokowi's", "José" -> "jose")."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def _alnum(text: str) -> str:
    return "".join(c for c in _fold(text) if c.isalnum())


class NameIndex:
    """Word forms of the source texts, for name lookups."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.words: set[str] = set()
        self.capitalised: set[str] = set()
        self.lowercase_roots: set[str] = set()
        self._token_lists: list[list[str]] = []
        self._spans: set[str] | None = None  # built on first use: most names match by words
        lowercase: set[str] = set()
        words: set[str] = set()
        for text in texts:
            tokens = TOKEN.findall(text)
            self._token_lists.append(tokens)
            for token in tokens:
                word = normalise_token(_fold(token))
                if token.islower():
                    lowercase.add(word)
                else:
                    self.capitalised.add(word.replace(".", "").replace("-", ""))
                    if len(token) > 2 and token.endswith("s") and token[:-1].isupper():
                        self.capitalised.add(word[:-1])  # "WMPs" also supports "WMP"
                words.add(word)
        for word in words:
            self._add(word)
        for word in lowercase:
            self.lowercase_roots.update(roots(word))

    def _add(self, word: str) -> None:
        bare = word.replace(".", "")
        forms = {word, bare}
        if "-" in word:
            forms.add(bare.replace("-", ""))
            forms.update(p for p in bare.split("-") if p)
        for clitic in ("nya", "lah", "pun"):
            if word.endswith(clitic) and len(word) > len(clitic) + 2:
                forms.add(word[: -len(clitic)])
        self.words.update(forms)
        self.words.update(transliterate(f) for f in forms)

    def has_word(self, word: str) -> bool:
        """Whether ``word`` (normalised) or a plural/possessive/demonym variant is in the source."""
        if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
            word = word[:-1]  # "AMs", "SMEs": plural of an acronym
        # An acronym is not supported by a lower-case word: "US" is not "us", "IT" not "it".
        acronym = word.isupper() and len(word) > 1
        pool = self.capitalised if acronym else self.words
        word = normalise_token(_fold(word)).replace(".", "")
        if any(v in pool or transliterate(v) in pool for v in _variants(word)):
            return True
        if "-" in word:
            parts = [p for p in word.split("-") if p]
            if parts and all(self.has_word(p) for p in parts):
                return True
        forms = NAME_WORD_TRANSLATIONS.get(word, ()) + ALIASES.get(word, ())
        return any(all(w in pool for w in form.split()) for form in forms)

    def is_ordinary(self, word: str) -> bool:
        """Whether ``word`` shares a root with a lower-case word of the source."""
        return not roots(normalise_token(_fold(word))).isdisjoint(self.lowercase_roots)

    def has_span(self, text: str) -> bool:
        """Whether ``text`` occurs with spacing and punctuation ignored ("e-KTP" ~ "e - KTP")."""
        if self._spans is None:
            # Runs of two to four tokens with spacing and punctuation removed.
            keys = [[_alnum(t) for t in tokens] for tokens in self._token_lists]
            self._spans = {
                "".join(k[i : i + n]) for k in keys for i in range(len(k)) for n in range(2, 5)
            }
        return _alnum(text) in self._spans

    def supports(self, name: NameMention) -> bool:
        """Whether every significant word of ``name``, or the whole name, is in the source."""
        return all(self.has_word(w) for w in name.words) or self.has_span(name.text)


def _variants(word: str) -> list[str]:
    """Forms to look up for ``word``: plural, demonym and "-based" style variants."""
    forms = [word, word.replace("-", "")]
    if len(word) > 3 and word.endswith("s"):
        forms.append(word[:-1])
        if word.endswith("es"):
            forms.append(word[:-2])
    for suffix, replacement in (("ian", "ia"), ("an", "a"), ("n", ""), ("ese", ""), ("i", "")):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            forms.append(word[: -len(suffix)] + replacement)
    return forms


# Both sides are folded, so only spelling differences matter ("Macedonia" ~ "Makedonia").
_TRANSLITERATIONS = [("ph", "f"), ("th", "t"), ("x", "ks"), ("q", "k"), ("ch", "k"),
                     ("c", "k"), ("oe", "u"), ("dj", "j"), ("tj", "c")]  # fmt: skip


@lru_cache(maxsize=1 << 16)
def transliterate(word: str) -> str:
    """Fold English and old/new Indonesian spellings together ("Mexico" ~ "Meksiko")."""
    if len(word) < 5:
        return word  # short words would collide ("Ann" ~ "an")
    for old, new in _TRANSLITERATIONS:
        word = word.replace(old, new)
    return re.sub(r"([^aeiou])\1", r"\1", word)


_PREFIXES = ("meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "pe", "per",
             "ber", "be", "ter", "di", "ke", "se")  # fmt: skip
_SUFFIXES = ("nya", "kan", "lah", "an", "i", "ers", "er", "ing", "ed", "es", "s")


@lru_cache(maxsize=1 << 16)
def roots(word: str) -> frozenset[str]:
    """Possible roots of a word, English or Indonesian ("Penyidikan" -> "sidik")."""
    found = {word}
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            found.add(word[: -len(suffix)])
    for stem in list(found):
        for prefix in _PREFIXES:
            rest = stem[len(prefix) :]
            if stem.startswith(prefix) and len(rest) >= 4:
                found.add(rest)
                if prefix.endswith("ny"):
                    found.add("s" + rest)  # nasal assimilation: penyidik <- sidik
                elif prefix.endswith("m"):
                    found.add("p" + rest)
                elif prefix.endswith("n") and not prefix.endswith("ng"):
                    found.add("t" + rest)
                elif prefix.endswith("ng"):
                    found.add("k" + rest)
    return frozenset(r for r in found if len(r) >= 4) or frozenset({word})


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper() or any(c.isupper() for c in token[1:])


def _significant(token: str) -> bool:
    word = normalise_token(_fold(token)).replace(".", "")
    if word in HONORIFICS or word in NAME_CONNECTORS:
        return False
    if len(word) == 1 and not any(c.isdigit() for c in word):
        return False  # initials
    return not (word in FUNCTION_WORDS and token[1:].islower())


def find_names(
    sentence: str, index: NameIndex, skip: Sequence[tuple[int, int]] = ()
) -> list[NameMention]:
    """Capitalised spans of ``sentence`` that name something; ``skip`` masks dates and amounts."""
    masked = bytearray(len(sentence) + 1)
    for start, end in skip:
        masked[start:end] = b"\x01" * (end - start)
    # A token is kept when no masked character lies inside it (one look per character).
    tokens = [m for m in TOKEN.finditer(sentence) if not any(masked[m.start() : m.end()])]
    names: list[NameMention] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        while run and normalise_token(run[-1].group()) in NAME_CONNECTORS:
            run.pop()
        if run:
            start, end = run[0].start(), run[-1].end()
            text = sentence[start:end]
            words = tuple(t.group() for t in run if _significant(t.group()))
            if words:
                names.append(NameMention(start, end, text, words))
        run.clear()

    for i, match in enumerate(tokens):
        token = match.group()
        gap = sentence[run[-1].end() : match.start()] if run else ""
        if run and not re.fullmatch(r"[ \u00a0]+", gap):
            close()
        if token in _NUMBER_SIGNS and _NUMBER_AFTER.match(sentence, match.end()):
            close()  # "No. 7", "Nomor 12": the number is checked as a number, not a name
            continue
        if _is_capitalised(token):
            if _opens_sentence(sentence, match.start()) and _ordinary_opener(
                token, tokens[i + 1].group() if i + 1 < len(tokens) else "", index
            ):
                close()
                continue
            run.append(match)
        elif run and token.lower() in NAME_CONNECTORS and _next_capitalised(tokens, i):
            run.append(match)
        else:
            close()
    close()
    return names


def _next_capitalised(tokens: list[re.Match[str]], i: int) -> bool:
    for match in tokens[i + 1 : i + 3]:
        if _is_capitalised(match.group()):
            return True
        if match.group().lower() not in NAME_CONNECTORS:
            return False
    return False


def _opens_sentence(sentence: str, start: int) -> bool:
    return start == 0 or _OPENING.search(sentence[max(0, start - 3) : start]) is not None


def _ordinary_opener(token: str, following: str, index: NameIndex) -> bool:
    """Whether a capitalised first word is just an ordinary word ("The", "Officials", "Dalam")."""
    word = normalise_token(_fold(token))
    if word in FUNCTION_WORDS or word in SENTENCE_OPENERS:
        return True
    if token.isupper() and len(token) > 1:
        return False  # acronyms are names wherever they stand
    if index.is_ordinary(word):
        return True
    if following[:1].isupper():
        return False  # "Joko Widodo said" – the first word starts a name
    if following in {"ini", "itu", "tersebut"}:
        return True  # "Dana tersebut": a demonstrative follows common nouns, not names
    return word.endswith(_COMMON_ENDINGS) or _INDONESIAN_DERIVED.fullmatch(word) is not None
