"""Bytes to text: byte-order marks, UTF-8, legacy Western encodings, binary files refused.

Every failure is a :class:`SourceError` naming the input and telling the fix (``--encoding``),
never mojibake passed on to the translator.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ringkas.sources.errors import SourceError

ENCODING_HINT = "say which encoding it is with --encoding NAME, e.g. cp1250, shift_jis, gb18030"


# -- decoding -------------------------------------------------------------------------------

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ZIP_KINDS = (  # a member whose name tells what the ZIP file is
    (b"word/document.xml", "DOCX document"),
    (b"xl/workbook.xml", "XLSX spreadsheet"),
    (b"ppt/presentation.xml", "PPTX presentation"),
    (b"application/epub+zip", "EPUB book"),
    (b"application/vnd.oasis.opendocument", "OpenDocument file"),
)

# Control characters that text files do contain; any others are dropped, and many of them
# mean the file is not text.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")  # \x1a ends DOS files
_CONTROL_SHARE = 0.02
LINE_BREAKS = re.compile(r"\r\n?|[\f\v\x85\u2028\u2029]")
# Applied after line breaks are made "\n": every other C0/C1 control, and stray BOMs.
DROPPED_CONTROLS = dict.fromkeys([*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0xFEFF])


def decode(
    data: bytes,
    source: str = "<bytes>",
    *,
    encoding: str | None = None,
    declared: str | None = None,
) -> tuple[str, str]:
    """Decode a text file's bytes: (text with "\\n" line ends, the encoding used).

    ``encoding`` forces a codec. Otherwise: a byte-order mark (UTF-8, UTF-16, UTF-32), else
    strict UTF-8, else ``declared`` (a web page's charset), else a Western single-byte
    encoding (cp1252, latin-1, iso-8859-15) when the text reads plausibly in it. Binary
    data and bytes that fit none of these raise a :class:`SourceError`, never mojibake.
    """
    kind = _binary_kind(data)
    if kind:
        raise SourceError(source, f"looks like a binary file ({kind}), not text")
    if data.startswith(b"{\\rtf"):
        raise SourceError(
            source, "is an RTF document, not plain text", hint="save it as plain text first"
        )
    if encoding:
        text, used = _decode_as(data, source, encoding)
    else:
        text, used = _detect(data, source, declared)
    controls = len(_CONTROLS.findall(text))
    if "\0" in text or controls > _CONTROL_SHARE * len(text):
        what = "NUL characters" if "\0" in text else "control characters"
        raise SourceError(source, f"looks like a binary file ({what}), not text")
    text = LINE_BREAKS.sub("\n", text).translate(DROPPED_CONTROLS)
    return text, used


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(_ZIP_MAGIC):
        for member, kind in _ZIP_KINDS:
            if member in data:
                return kind
        return "ZIP archive"
    return None


def _decode_as(data: bytes, source: str, encoding: str) -> tuple[str, str]:
    try:
        name = codecs.lookup(encoding).name
        text = data.decode(name)
    except (LookupError, TypeError) as exc:  # TypeError: a bytes-to-bytes codec
        raise SourceError(
            source,
            f"unknown text encoding {encoding!r}",
            hint="use a name Python knows, e.g. utf-8, cp1252, latin-1, utf-16, shift_jis",
        ) from exc
    except (UnicodeError, ValueError) as exc:
        where = f" (byte {exc.start})" if isinstance(exc, UnicodeDecodeError) else ""
        raise SourceError(
            source, f"cannot be decoded as {encoding}{where}", hint="check the --encoding value"
        ) from exc
    return text, name


def _detect(data: bytes, source: str, declared: str | None) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise SourceError(
                    source,
                    f"starts like {name.upper()} text but is not valid {name} (byte {exc.start})",
                    hint=ENCODING_HINT,
                ) from exc
    if b"\0" in data:
        order = _utf16_without_bom(data)
        if order:
            raise SourceError(
                source,
                "looks like UTF-16 text without a byte-order mark",
                hint=f"read it with --encoding utf-16-{order}",
            )
        raise SourceError(source, "looks like a binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if declared and not declared.startswith(("utf-16", "utf-32")):  # those need a BOM here
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass  # the page's declaration is wrong: guess as for any file
    guess = _single_byte(data)
    if guess:
        return guess
    raise SourceError(
        source,
        f"cannot be decoded: not UTF-8 (byte {first_bad}) and not Western single-byte text",
        hint=ENCODING_HINT,
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """The byte order ("le", "be") of bytes that look like UTF-16 text, else None."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0 : 2 * pairs : 2].count(0) / pairs
    odd = sample[1 : 2 * pairs : 2].count(0) / pairs
    if odd > 0.5 and even < 0.05:
        return "le"
    if even > 0.5 and odd < 0.05:
        return "be"
    return None


# A web page's declared charset, as it appears near the top of the page.
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{2,40})""", re.I)
_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html)",
    re.I | re.S,
)
MARKUP = re.compile(r"<[A-Za-z!/?]")


def starts_like_html(head: str) -> bool:
    """Whether a text starts like a web page (``<!DOCTYPE html``, ``<html``)."""
    return bool(_HTML_START.match(head))


def declared_charset(data: bytes) -> str | None:
    """The charset a web page's ``<meta>`` declares near its top, if Python knows it."""
    match = _CHARSET.search(data[:4096])
    return charset_name(match.group(1).decode("ascii")) if match else None


def charset_name(name: str) -> str | None:
    """A declared charset (a page's <meta>, an HTTP header) as Python's codec name."""
    try:
        found = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    # As browsers do: a page that says latin-1 or ASCII means windows-1252.
    return "cp1252" if found in ("latin-1", "iso8859-1", "ascii") else found


# Non-letters that do not sit inside a word in Western text ("wa¿ne", "mo³e": Polish read as
# cp1252): symbols, superscripts and fractions, and some punctuation. The acute accent is
# written for an apostrophe often enough ("Jum´at") to be let through.
_NOT_IN_WORD = frozenset("¿¡§¶«»")
_NON_ASCII = re.compile(r"[^\x00-\x7f\xa0]+")  # a no-break space is as good as a space
_CP1252_ONLY = re.compile(rb"[\x80-\x9f]")  # typographic quotes, dashes, € in cp1252
_RUN = 3  # this many non-ASCII characters in a row are rare in Western text
_NON_ASCII_SHARE = 0.3  # of the visible characters
_SUSPICIOUS_SHARE = 0.15  # of the non-ASCII characters


def _single_byte(data: bytes) -> tuple[str, str] | None:
    """The text in a Western single-byte encoding, if it reads plausibly in one."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None  # 0x81, 0x8D, 0x8F, 0x90 or 0x9D: C1 controls in Latin-1, not text either
    if not _plausible_western(text):
        return None
    if _CP1252_ONLY.search(data):
        return text, "cp1252"
    if 0xA4 in data:  # "¤" in Latin-1 is nearly unused; in ISO-8859-15 it is the euro sign
        return data.decode("iso-8859-15"), "iso-8859-15"
    return text, "latin-1"


def _plausible_western(text: str) -> bool:
    """Whether non-ASCII characters sit in ``text`` as in real Western writing.

    Real text is mostly ASCII with accented letters and typographic punctuation here and
    there. Bytes of another encoding read as cp1252 give long runs of non-ASCII characters
    (CJK: two bytes per character), symbols inside words, or odd characters.
    """
    visible = len("".join(text.split()))
    wide = suspicious = 0
    for match in _NON_ASCII.finditer(text):
        run = match.group()
        wide += len(run)
        # Typographic punctuation comes in runs ("’’’", "…”"), other characters do not.
        if len(run) >= _RUN and not all(unicodedata.category(c)[0] == "P" for c in run):
            suspicious += len(run)
        for offset, char in enumerate(run, start=match.start()):
            category = unicodedata.category(char)
            if category in ("Cc", "Co", "Cn", "Cs"):
                return False
            if (category[0] == "S" or category == "No" or char in _NOT_IN_WORD) and (
                char not in "´`"
                and text[offset - 1 : offset].isalpha()
                and text[offset + 1 : offset + 2].isalpha()
            ):
                suspicious += 1  # "wa¿ne": Polish read as cp1252
    return wide <= _NON_ASCII_SHARE * visible and suspicious <= _SUSPICIOUS_SHARE * wide
