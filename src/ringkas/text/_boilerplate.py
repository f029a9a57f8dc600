"""Recognisers for news boilerplate: whole lines, inline inserts and trailing codes.

Every recogniser is anchored on a marker that real prose does not use in that place
("Baca juga:" opening a line or glued after a sentence, "(kpl/wri)" closing the
article, "SCROLL TO CONTINUE WITH CONTENT"), so a sentence that merely contains one of
the words ("Ia membaca juga ...", a quote with "Baca") is left alone.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from ringkas.text._dedupe import Removal

# Words that stay lower case in Indonesian (and English) headlines.
_FUNCTION_WORD_LIST = """
di ke dari dan yang untuk dengan pada atau dalam oleh karena usai soal hingga meski tak tidak
ini itu vs jadi akan bagi sebagai saat jelang setelah sebelum bisa ada juga lagi belum sudah
masih per terhadap tentang atas bukan kok pun lho deh sih ya nih agar demi sejak antara para
si sang of the and in for to a an at on by with from as is are
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())

_ADVERTISEMENT = re.compile(
    r"(?:ADVERTISEMENT|Advertisement|ADVERTORIAL|IKLAN|Iklan|"
    r"SCROLL TO CONTINUE WITH CONTENT|Scroll to continue with content|Loading\.{3})"
)
_VIDEO_PROMO = re.compile(
    r"\[Gambas:[^\]]*\]|(?:Simak|Lihat|Tonton|Saksikan)\s+(?:[Jj]uga\s+)?(?:[Vv]ideo|VIDEO)\b.*"
    r"|(?:VIDEO|Video)\s*:.*"
)
_SOCIAL_PROMO = re.compile(
    r"\(?\s*(?:ayo\s+|yuk\s+)?(?:ikuti|gabung|bergabung|follow|simak|dapatkan)\b"
    r".{0,200}\b(?:whats\s?app|telegram|google\s+news)\b.*"
    r"|.*whatsapp\.com/channel.*|.*pastikan\s+kamu\s+sudah\s+install\s+aplikasi.*"
    r"|(?:artikel|berita)\s+lainnya\s+di\s+google\s+news.*",
    re.IGNORECASE,
)
# Text of an embedded Instagram/TikTok/YouTube post: it ends in a row of hashtags.
_SOCIAL_EMBED = re.compile(r".*(?:\s#\w+){2,}\s*")
_PROGRAM_PROMO = re.compile(r"Saksikan\s+(?:pembahasan|siaran|tayangan|selengkapnya|live)\b.*")
_SEPARATOR = re.compile(r"(?:[_=~*•·.\-–—]\s*){2,}")
_BYLINE = re.compile(
    r"Laporan\s+(?:[Ww]artawan|[Rr]eporter|[Kk]oresponden|[Kk]ontributor)\b.*"
    r"|(?:Reporter|Editor|Penulis|Pewarta|Kontributor|Redaktur|Penyunting|Oleh)\s*:\s*\S.*"
)
_SOURCE_LINE = re.compile(r"[Ss]umber\s*:\s*(?P<value>\S.*)")
# A syndication note closing a regional outlet's copy: "Artikel ini telah tayang di
# Tribunnews.com dengan judul ...", "Berita ini sudah terbit di ...", "Sebagian artikel ini
# telah dimuat di ...".
_SYNDICATION = re.compile(
    r"(?:(?:[Ss]ebagian|[Ii]si)\s+)?(?:[Aa]rtikel|ARTIKEL|[Bb]erita|BERITA|[Tt]ulisan|[Kk]onten)"
    r"\s+ini\s+(?:(?:telah|sudah|juga|pernah)\s+){1,2}"
    r"(?:tayang|terbit|dimuat|diterbitkan|dipublikasikan|ditayangkan)\s+(?:di|pada|dalam)\b.*"
)
_CAPTION_START = re.compile(r"(?:Dok\.|Foto\s*:|FOTO\s*:).*")
# A credit in brackets that closes the line: "(Foto: ANTARA/Budi)", "(AP Photo/Jane Doe)".
_CAPTION_CREDIT = re.compile(
    r"\((?:[Cc]redit|[Kk]redit|[Ff]oto|FOTO|[Pp]hoto|[Ii]mage by|[Ss]umber [Ff]oto"
    r"|[Dd]ok\.?)\b[^)]*\)$"
    r"|\((?:AP|AFP|EPA|Reuters|REUTERS|ANTARA|Getty Images)?\s?"
    r"(?:Photo|PHOTO|Foto|FOTO)\s*/[^)]*\)$"
)


class _Caption:
    """A photo caption line; matched without backtracking over the whole line."""

    def fullmatch(self, line: str) -> re.Match[str] | None:
        start = _CAPTION_START.fullmatch(line)
        if start or not line.endswith(")"):
            return start
        # The credit's brackets hold no ")": look only after the one before the last.
        tail = line.rfind(")", 0, len(line) - 1) + 1
        return _CAPTION_CREDIT.search(line, tail)


_CAPTION = _Caption()
# "Baca juga", "Baca Ini Juga Deh", "Lihat Juga", "Pilihan editor", "Cek Yang Lain Juga".
_READ_ALSO = re.compile(
    r"(?:Baca|BACA)\s+(?:[Ii]ni\s+|INI\s+)?(?:[Jj]uga|JUGA)(?:\s+[Dd]eh)?"
    r"|(?:Lihat|LIHAT)\s+(?:[Jj]uga|JUGA)|Pilihan\s+[Ee]ditor|Cek\s+[Yy]ang\s+[Ll]ain\s+[Jj]uga,?\s*[Yy]uk!?"
    r"|(?:Artikel|Berita)\s+[Tt]erkait|(?:Simak|SIMAK)\s+(?:[Jj]uga|JUGA)(?=\s*:)"
)
# "( Baca juga : Judul Artikel )" inside a paragraph.
_READ_ALSO_BRACKETED = re.compile(
    r"\(\s*(?:Baca|BACA|Simak|SIMAK|Lihat|LIHAT)\s+(?:[Jj]uga|JUGA)\s*:?[^()]{1,200}\)"
)
_AFTER_MARKER = re.compile(r"\s*[:\-–—]\s*|\s*$|(?=[A-Z0-9\"'])|\s+(?=[A-Z0-9\"'])")
_CODE = (
    r"\((?:[A-Za-z]{2,6}(?:/[A-Za-z]{2,6}){0,3}|[A-Z]{1,5}-\d{1,3}|\*|"
    r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,3})\)"
)
_CODE_LINE = re.compile(_CODE + r"\.?")
# A code closing the last paragraph, after its final punctuation: "kata Sekda. (MB-01)."
_TRAILING_CODE = re.compile(r"(?<=[.!?\"'])\s*(?P<code>" + _CODE + r")\.?$")
# Bounded: an unbounded [^.!?]* from every "Simak berita" of a long line is quadratic.
_OUTLET_PROMO = re.compile(
    r"Simak\s+(?:update|berita|informasi|artikel)\b[^.!?]{0,200}?\bhanya\s+di\b[^.!?]{0,200}[.!?]"
)
_WHATSAPP_INLINE = re.compile(
    r"Ikuti\s+(?:[Ss]aluran\s+|[Kk]anal\s+)?Whats[Aa]pp\s+Channel(?:\s?[A-Z][a-z]+?(?=sumber\b|Sumber\b|[\s.]|$))?"
)
_LOADING_INLINE = re.compile(r"Loading\.{3}(?=\s*[A-Z]|\s*$)")
_SCROLL_INLINE = re.compile(r"SCROLL TO CONTINUE WITH CONTENT|\[Gambas:[^\]]*\]")
_SOURCE_INLINE = re.compile(
    r"(?<=[.!?\"')\]])\s*[Ss]umber\s*:\s*(?P<value>https?://\S+|[^:]{1,60})$"
)
_SOURCE_INLINE_ANY = re.compile(r"[Ss]umber\s*:\s*(?P<value>https?://\S+|[^:]{1,60})$")
_URL = re.compile(r"https?://\S+|www\.\S+")
_GLUE = re.compile(r"(?<=[a-z0-9)\]!?\"'])(?=[A-Z][a-z])")
# Titles may contain "?" or "!" ("Bebas? Ini Jawabannya"); a full stop ends prose.
_INNER_SENTENCE_END = re.compile(r"\.[\"')\]]*\s+[\"']?[A-Z]|\.[\"')\]]*$")
_LIST_MARKER = re.compile(r"^(?:\d{1,3}[.)]|[-•*]\s)")
_SENTENCE_CLOSERS = frozenset(".!?\"')]")
_MAX_TITLE_WORDS = 25
_TITLE_WINDOW = 1000


# (kind, pattern for the whole line, most words such a line has)
_LINE_RULES: tuple[tuple[str, re.Pattern[str] | _Caption, int], ...] = (
    ("advertisement", _ADVERTISEMENT, 5),
    ("separator", _SEPARATOR, 40),
    ("video_promo", _VIDEO_PROMO, 30),
    ("social_promo", _SOCIAL_PROMO, 60),
    ("social_embed", _SOCIAL_EMBED, 80),
    ("program_promo", _PROGRAM_PROMO, 80),
    ("photo_caption", _CAPTION, 40),
    ("syndication", _SYNDICATION, 80),
)


@dataclass
class LineVerdict:
    """What a whole line is, and metadata that it carries."""

    kind: str
    metadata: dict[str, Any] = field(default_factory=dict)


def _word_is_titled(word: str) -> bool | None:
    """True for a capitalised word or number, False for a lower-case content word."""
    core = word.strip("\"'()[],.:;!?-–—")
    if not core:
        return None
    if core.lower() in _FUNCTION_WORDS:
        return None
    first = core[0]
    if first.isupper() or first.isdigit():
        return True
    return False if first.islower() else None


def is_title_like(text: str, threshold: float = 0.6) -> bool:
    """Whether ``text`` reads like a headline (most content words capitalised)."""
    votes = [v for v in map(_word_is_titled, text.split()) if v is not None]
    return len(votes) >= 2 and sum(votes) / len(votes) >= threshold


def is_headline(line: str) -> bool:
    """A related-article title: 5-25 words, title case, no final full stop."""
    words = line.split()
    return (
        5 <= len(words) <= 25
        and not line.rstrip("\"'").endswith(".")
        and not _LIST_MARKER.match(line)
        and is_title_like(line)
    )


def classify_line(line: str) -> LineVerdict | None:
    """Return the boilerplate kind of a whole line, or None for content."""
    words = len(line.split())
    for kind, pattern, max_words in _LINE_RULES:
        if words <= max_words and pattern.fullmatch(line):
            source = _SOURCE_INLINE_ANY.search(line)
            return LineVerdict(kind, _source_metadata(source.group("value")) if source else {})
    if words <= 25 and (byline := _BYLINE.fullmatch(line)):
        return LineVerdict("byline", _byline_metadata(byline.group()))
    if words <= 20 and (source := _SOURCE_LINE.fullmatch(line)):
        return LineVerdict("source_line", _source_metadata(source.group("value")))
    return None


def read_also_at_start(line: str) -> tuple[int, bool] | None:
    """If ``line`` opens with a read-also marker, return (length removed, bare marker)."""
    marker = _READ_ALSO.match(line)
    if not marker:
        return None
    after = _AFTER_MARKER.match(line, marker.end())
    if not after:
        return None  # "Baca juga buku ini": the words go on as prose
    rest_start = after.end()
    if rest_start >= len(line):
        return len(line), True
    return rest_start + title_extent(line[rest_start:]), False


def remove_inline(line: str) -> tuple[str, list[Removal], dict[str, Any]]:
    """Strip boilerplate glued into a content line; return the rest, removals, metadata."""
    removed: list[Removal] = []
    metadata: dict[str, Any] = {}

    def cut(pattern: re.Pattern[str], kind: str, text: str) -> str:
        return pattern.sub(lambda m: _record(removed, kind, m.group()), text)

    line = cut(_READ_ALSO_BRACKETED, "read_also", line)
    line = cut(_SCROLL_INLINE, "advertisement", line)
    line = cut(_LOADING_INLINE, "advertisement", line)
    line = cut(_WHATSAPP_INLINE, "social_promo", line)
    line = cut(_OUTLET_PROMO, "social_promo", line)
    line = _cut_inline_read_also(line, removed)
    source = _SOURCE_INLINE.search(line)
    if source and line[: source.start()].strip():
        removed.append(Removal("source_line", source.group()))
        metadata.update(_source_metadata(source.group("value")))
        line = line[: source.start()]
    return " ".join(line.split()), removed, metadata


def strip_trailing_code(line: str) -> tuple[str, str | None]:
    """Remove an editor code that closes ``line``; return the rest and the code."""
    if _CODE_LINE.fullmatch(line):
        return "", line
    match = _TRAILING_CODE.search(line)
    if not match or not line[: match.start()].strip():
        return line, None
    return line[: match.start()].rstrip(), match.group()


def code_value(code_text: str) -> str:
    """Return the code inside its brackets: "(MB-01)." -> "MB-01"."""
    return code_text.strip().rstrip(".").strip("()").strip()


def is_tag_line(line: str) -> bool:
    """A topic tag as detik lists them after the article: short, all lower case."""
    return (
        len(line.split()) <= 5
        and re.fullmatch(r"[a-z0-9][a-z0-9 '&-]*", line) is not None
        and any(char.isalpha() for char in line)
    )


def title_extent(text: str) -> int:
    """Return how many leading characters of ``text`` are related-article titles.

    Titles are glued to each other and to the prose after them ("...Garuda Finis
    ke-4Hingga berita ini"), or separated by a plain space ("Penjelasan BMKG BMKG
    memastikan"). Glued segments are taken while they read as titles; otherwise the
    title ends at the capitalised word that opens the first lower-case clause. When no
    plausible title is found nothing is taken, so prose is never lost.
    """
    # Titles are short: only the start of the text is examined, which keeps a long line
    # with many markers linear. A segment cut off by that window is never a whole title.
    window = text[:_TITLE_WINDOW]
    cuts = [m.start() for m in _GLUE.finditer(window) if _glue_is_word_boundary(window, m.start())]
    bounds = [0, *cuts, len(window)]
    consumed = 0
    for start, end in itertools.pairwise(bounds):
        segment = window[start:end]
        whole_title = (
            (end < len(window) or len(window) == len(text))
            and len(segment.split()) <= _MAX_TITLE_WORDS
            and not _INNER_SENTENCE_END.search(segment)
            and (start == 0 or is_title_like(segment))
        )
        if whole_title:
            consumed = end
            continue
        if start == 0 or is_title_like(segment[: _title_prefix(segment)]):
            consumed = start + _title_prefix(segment)
        break
    return consumed


def _glue_is_word_boundary(text: str, index: int) -> bool:
    # "iPhone": a one-letter stem before the capital is part of the word, not glue.
    start = index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return index - start >= 2


def _title_prefix(segment: str) -> int:
    """Length of the title-cased words that open ``segment``, minus the prose subject."""
    words = list(re.finditer(r"\S+", segment))
    stop = len(words)
    for index, word in enumerate(words):
        verdict = _word_is_titled(word.group())
        if verdict is False:
            stop = index
            break
        if re.search(r"\.[\"')\]]*$", word.group()):
            return word.end() if index < _MAX_TITLE_WORDS else 0
    else:
        return len(segment) if len(words) <= _MAX_TITLE_WORDS else 0
    # The prose opens with the run of capitalised words before its first lower-case
    # word; the title ends where that run starts. When a word repeats at the seam
    # ("... Penjelasan BMKG | BMKG memastikan") the seam is plain. Otherwise the whole
    # run is left to the prose: a title fragment is kept rather than a subject lost.
    start = stop
    while (
        start > 0
        and _word_is_titled(words[start - 1].group())
        and not re.search(r"[,:;?!]$", words[start - 1].group())
    ):
        start -= 1
    seam = start
    for index in range(start, stop - 1):
        if words[index].group() == words[index + 1].group():
            seam = index + 1
    if not 0 < seam <= _MAX_TITLE_WORDS or not is_title_like(segment[: words[seam - 1].end()]):
        return 0
    return words[seam - 1].end()


def _cut_inline_read_also(line: str, removed: list[Removal]) -> str:
    pieces: list[str] = []
    kept = 0  # line[:kept] is in pieces (or removed)
    last_kept = ""  # the last visible character in pieces
    position = 0
    while True:
        marker = _READ_ALSO.search(line, position)
        if not marker:
            pieces.append(line[kept:])
            return "".join(pieces)
        start = marker.start()
        glued_before = start > 0 and line[start - 1].isalpha()
        before = line[kept:start].rstrip()
        after_sentence = (before[-1:] or last_kept) in _SENTENCE_CLOSERS
        after = _AFTER_MARKER.match(line, marker.end())
        if start == 0 or not (glued_before or after_sentence) or not after:
            position = marker.end()
            continue
        # Without a plausible title only the marker goes, so no prose is lost. A title
        # never runs into the next marker.
        following = _READ_ALSO.search(line, after.end())
        limit = following.start() if following else len(line)
        end = after.end() + title_extent(line[after.end() : limit])
        removed.append(Removal("read_also", line[start:end]))
        pieces += [line[kept:start], " "]
        last_kept = before[-1:] or last_kept
        kept = position = end


def _record(removed: list[Removal], kind: str, text: str) -> str:
    removed.append(Removal(kind, text))
    return ""


def _byline_metadata(text: str) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    reporter = re.search(r"Laporan\s+\w+\s+(?:[\w.]+,\s*)?(?P<name>.+)$", text)
    if reporter:
        metadata["reporter"] = reporter.group("name").strip()
    for key, label in (
        ("reporter", "Reporter|Pewarta"),
        ("editor", "Editor|Redaktur|Penyunting"),
        ("author", "Penulis|Oleh|Kontributor"),
    ):
        found = re.search(
            rf"(?:{label})\s*:\s*(?P<name>.+?)\s*(?=(?:Reporter|Editor|Penulis|Pewarta)\s*:|$)",
            text,
        )
        if found and found.group("name"):
            metadata[key] = found.group("name").strip(" ,;")
    return metadata


def _source_metadata(value: str) -> dict[str, Any]:
    value = value.strip()
    url = _URL.search(value)
    if url:
        return {"source_url": url.group().rstrip(".,;)")}
    return {"source": value.rstrip(".")}
