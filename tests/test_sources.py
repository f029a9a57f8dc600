"""Reading inputs: folders, path lists, encodings, binary and bad files, web pages, JSON lines."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import random
import threading
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ringkas.errors import InputError, UsageError
from ringkas.pipeline import Document
from ringkas.sources import (
    DEFAULT_GLOBS,
    DEFAULT_MAX_BYTES,
    STDIN,
    InputItem,
    SourceError,
    decode,
    discover,
    document_from_bytes,
    read_document,
    read_item,
    read_jsonl,
)

ARTICLE = (
    "Pemerintah Kota Ambon menyalurkan bantuan modal usaha senilai Rp 300 juta.\n"
    "Wali Kota mengatakan bantuan itu diharapkan membantu pedagang bangkit.\n"
)
CP1252_LINE = "Bantuan Rp 300 juta – “kutipan” dari wali kota, kata dia."


def item(path: Path) -> InputItem:
    return InputItem(str(path), path, None, Path(path.name))


def read(
    path: Path, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    return read_item(item(path), encoding=encoding, max_bytes=max_bytes)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def error_of(path: Path, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    with pytest.raises(InputError) as caught:
        read(path, encoding=encoding, max_bytes=max_bytes)
    message = caught.value.one_line()
    assert str(path) in message  # every error names its file
    assert "\n" not in message
    return message


# -- encodings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ARTICLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (ARTICLE.encode("utf-16"), "utf-16"),  # native order, with a BOM
        (b"\xff\xfe" + ARTICLE.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + ARTICLE.encode("utf-16-be"), "utf-16"),
        (ARTICLE.encode("utf-32"), "utf-32"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32-bom"],
)
def test_unicode_encodings_are_detected(tmp_path: Path, data: bytes, encoding: str) -> None:
    document = read(write(tmp_path / "a.txt", data))
    assert document.text == ARTICLE  # no BOM character left
    assert document.metadata == {"encoding": encoding, "format": "text"}
    assert document.source == str(tmp_path / "a.txt")


def test_line_endings_become_newlines(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "satu\r\ndua\rtiga\nempat\f\x1a")
    assert read(path).text == "satu\ndua\ntiga\nempat\n"


def test_cp1252_text_is_detected(tmp_path: Path) -> None:
    document = read(write(tmp_path / "a.txt", CP1252_LINE.encode("cp1252")))
    assert document.text == CP1252_LINE
    assert document.metadata["encoding"] == "cp1252"


def test_latin1_and_latin9_text(tmp_path: Path) -> None:
    latin1 = "Kafe à la carte di Bandung: naïve, résumé, Größe 10½ cm."
    document = read(write(tmp_path / "a.txt", latin1.encode("latin-1")))
    assert (document.text, document.metadata["encoding"]) == (latin1, "latin-1")
    euro = "Harga tiket 300 € per orang, kata pengelola café itu."
    document = read(write(tmp_path / "b.txt", euro.encode("iso-8859-15")))
    assert (document.text, document.metadata["encoding"]) == (euro, "iso-8859-15")


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("日本語のニュース記事です。東京で会議が開かれました。", "shift_jis"),
        ("The meeting in Tokyo (東京都) was held on Monday with officials.", "shift_jis"),
        ("Pertemuan di Beijing (北京市政府) berlangsung Senin kemarin.", "gb18030"),
        ("政府周一宣布，明年将降低小企业的税收。", "gb18030"),
        ("Ważne informacje: możemy się spotkać w środę, żeby omówić sprawę.", "cp1250"),
        ("Правительство объявило, что налоги будут снижены.", "koi8-r"),
        ("서울에서 회의가 열렸다", "euc-kr"),
    ],
)
def test_other_encodings_are_an_error_not_mojibake(tmp_path: Path, text: str, codec: str) -> None:
    path = write(tmp_path / "a.txt", text.encode(codec))
    message = error_of(path)
    assert "cannot be decoded" in message
    assert "--encoding" in message
    # ... and the override reads it.
    document = read(path, encoding=codec)
    assert document.text == text
    assert document.metadata["encoding"] == codecs_name(codec)


def codecs_name(codec: str) -> str:
    import codecs

    return codecs.lookup(codec).name


def test_encoding_override_errors(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", CP1252_LINE.encode("cp1252"))
    assert "unknown text encoding 'klingon'" in error_of(path, encoding="klingon")
    assert "unknown text encoding 'base64'" in error_of(path, encoding="base64")
    message = error_of(path, encoding="utf-8")
    assert "cannot be decoded as utf-8" in message
    assert read(path, encoding="windows-1252").text == CP1252_LINE


def test_utf16_without_bom_says_which_encoding_to_use(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE.encode("utf-16-le"))
    assert "--encoding utf-16-le" in error_of(path)
    assert read(path, encoding="utf-16-le").text == ARTICLE
    path = write(tmp_path / "b.txt", ARTICLE.encode("utf-16-be"))
    assert "--encoding utf-16-be" in error_of(path)


def test_broken_utf16_after_a_bom_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"\xff\xfe" + "halo".encode("utf-16-le") + b"\x00\xd8")
    assert "not valid utf-16" in error_of(path)


# -- binary, empty, too big ------------------------------------------------------------


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("artikel.txt", ARTICLE)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64)), "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG image"),
        (gzip.compress(ARTICLE.encode("utf-8")), "gzip archive"),
        (zip_bytes(), "ZIP archive"),
        (docx_bytes(), "DOCX document"),
        (random.Random(5).randbytes(4096), "NUL bytes"),
        (b"teks \x01\x02\x03\x04\x05\x06 teks \x07\x08", "control characters"),
    ],
    ids=["pdf", "png", "jpeg", "gzip", "zip", "docx", "random", "controls"],
)
def test_binary_files_are_refused(tmp_path: Path, data: bytes, kind: str) -> None:
    message = error_of(write(tmp_path / "a.txt", data))
    assert f"looks like a binary file ({kind})" in message


def test_random_high_bytes_cannot_be_decoded(tmp_path: Path) -> None:
    data = bytes(byte | 0x80 for byte in random.Random(1).randbytes(3000))
    assert "cannot be decoded" in error_of(write(tmp_path / "a.txt", data))


def test_rtf_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"{\\rtf1\\ansi{\\fonttbl\\f0\\fswiss Helvetica;}\\f0 Halo}")
    assert "RTF document" in error_of(path)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the article is empty (0 bytes)"),
        (b"  \n\t\r\n  ", "the article is empty (only whitespace)"),
        ("\n\u3000\u00a0\n".encode("utf-16"), "the article is empty (only whitespace)"),
        (b"\xef\xbb\xbf", "the article is empty (only whitespace)"),
    ],
    ids=["empty", "whitespace", "utf-16-whitespace", "bom-only"],
)
def test_empty_files_are_refused(tmp_path: Path, data: bytes, reason: str) -> None:
    assert reason in error_of(write(tmp_path / "a.txt", data))


def test_size_limit(tmp_path: Path) -> None:
    limit = 1000
    at_limit = write(tmp_path / "ok.txt", b"a" * (limit - 1) + b"\n")
    assert len(read(at_limit, max_bytes=limit).text) == limit
    over = write(tmp_path / "big.txt", b"a" * (limit + 1))
    message = error_of(over, max_bytes=limit)
    assert "over the size limit of 1000 bytes" in message
    assert "--max-size" in message
    big = write(tmp_path / "huge.txt", b"kata " * (DEFAULT_MAX_BYTES // 5 + 100))
    assert "is 2,097,650 bytes, over the size limit of 2,097,152 bytes" in error_of(big)
    big = write(tmp_path / "huge.txt", b"kata " * (DEFAULT_MAX_BYTES // 2))
    assert "is 5.0 MB, over the size limit of 2.0 MB" in error_of(big)


def test_stdin(tmp_path: Path) -> None:
    stdin_item = InputItem(STDIN, None, None, Path("stdin"))
    document = read_item(stdin_item, stdin=io.BytesIO(CP1252_LINE.encode("cp1252")))
    assert (document.source, document.text) == ("-", CP1252_LINE)
    with pytest.raises(InputError, match=r"^stdin: is over the size limit of 100 bytes"):
        read_item(stdin_item, stdin=io.BytesIO(b"x" * 101), max_bytes=100)
    with pytest.raises(InputError, match=r"^stdin: the article is empty"):
        read_item(stdin_item, stdin=io.BytesIO(b""))


# -- files that cannot be read --------------------------------------------------------


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "no such file" in error_of(tmp_path / "tidak-ada.txt")
    (tmp_path / "folder.txt").mkdir()
    assert "is a folder" in error_of(tmp_path / "folder.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
@pytest.mark.parametrize("writer_first", [True, False], ids=["writer-waits", "reader-waits"])
def test_named_pipe_given_by_name_is_read(tmp_path: Path, writer_first: bool) -> None:
    # As `ringkas summarize <(curl ...)` or a pipe made with mkfifo gives it: the pipe is
    # read like a file, whether its writer is already waiting for a reader or comes later.
    # Ten rounds: opening such a pipe twice lost the writer of about one round in forty
    # (the read then hung, or found the article empty and the writer's pipe broken).
    for round_ in range(10):
        fifo = tmp_path / f"pipe{round_}.txt"
        os.mkfifo(fifo)
        assert pipe_round(fifo, writer_first) == ([ARTICLE], ["ok"]), f"round {round_}"


def pipe_round(fifo: Path, writer_first: bool) -> tuple[list[str], list[str]]:
    """What a reader of ``fifo`` got and what its writer saw, the first of the two started
    well before the other; neither is waited for more than 10 s."""
    read_back: list[str] = []
    written: list[str] = []

    def writer() -> None:
        try:
            fifo.write_bytes(ARTICLE.encode("utf-8"))
            written.append("ok")
        except OSError as exc:
            written.append(repr(exc))

    def reader() -> None:
        try:
            read_back.append(read(fifo).text)
        except InputError as exc:
            read_back.append(exc.one_line())

    order = (writer, reader) if writer_first else (reader, writer)
    threads = [threading.Thread(target=target, daemon=True) for target in order]
    try:
        threads[0].start()
        time.sleep(0.05)  # the first is waiting in open() for the other by now
        threads[1].start()
        for thread in threads:
            thread.join(timeout=10)
    finally:
        unblock(fifo)
    return read_back, written


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_file_that_becomes_a_pipe_while_opened_is_refused_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The look (stat) saw a plain file; by the open a pipe with no writer is in its place.
    fifo = tmp_path / "berita.txt"
    os.mkfifo(fifo)
    plain = write(tmp_path / "plain.txt", ARTICLE)
    real_stat = os.stat

    def looked_at(file: object, *args: object, **kwargs: object) -> os.stat_result:
        return real_stat(plain if Path(str(file)) == fifo else file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", looked_at)
    outcome: list[str] = []
    reader = threading.Thread(target=lambda: outcome.append(error_of(fifo)), daemon=True)
    try:
        reader.start()
        reader.join(timeout=10)
        assert outcome == [f"{fifo}: changed into a named pipe while it was opened"]
    finally:
        unblock(fifo)


def unblock(fifo: Path) -> None:
    """Free a thread left waiting in open() on either end of ``fifo``."""
    for flags in (os.O_RDONLY | os.O_NONBLOCK, os.O_WRONLY | os.O_NONBLOCK):
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, flags))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_device_hits_the_size_limit() -> None:
    assert "over the size limit of 100 bytes" in error_of(Path("/dev/zero"), max_bytes=100)


def test_unreadable_file_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod 000 does not stop root, who runs these tests in some containers: make the
    # operating system's answer the one a normal user gets.
    path = write(tmp_path / "rahasia.txt", ARTICLE)
    real_open = os.open

    def denied(file: object, flags: int, *args: object, **kwargs: object) -> int:
        if Path(str(file)) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)
    assert "permission denied" in error_of(path)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_unreadable_file_chmod(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode (see the monkeypatched test)")
    path = write(tmp_path / "rahasia.txt", ARTICLE)
    path.chmod(0)
    try:
        assert "permission denied" in error_of(path)
    finally:
        path.chmod(0o644)


def test_read_document_wrapper(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    assert read_document(str(path)).text == ARTICLE
    assert read_document("-", stdin=io.BytesIO(ARTICLE.encode())).source == "-"
    with pytest.raises(InputError, match=r"kosong\.txt: the article is empty"):
        read_document(str(write(tmp_path / "kosong.txt", "  \n")))
    with pytest.raises(InputError, match=r"tidak-ada\.txt: no such file"):
        read_document(str(tmp_path / "tidak-ada.txt"))


# -- web pages -------------------------------------------------------------------------

PARAGRAPHS = [
    "Pemerintah Kota Ambon menyalurkan bantuan modal usaha kepada 250 pelaku usaha mikro, "
    "kecil, dan menengah di kota itu pada Senin pagi.",
    "Wali Kota Ambon mengatakan bantuan senilai Rp 300 juta tersebut diharapkan dapat "
    "membantu para pedagang bangkit setelah masa sulit akibat kenaikan harga bahan pokok.",
    "Menurut data dinas koperasi setempat, jumlah pelaku usaha yang terdaftar meningkat dua "
    "kali lipat dibandingkan tahun lalu, sehingga pemerintah berencana menambah anggaran.",
]
CHROME = [  # navigation, ads, related links, footer: none of it is the article
    "Beranda",
    "Olahraga",
    "Diskon besar-besaran untuk ponsel terbaru",
    "Berita Terpopuler",
    "Harga cabai naik lagi",
    "Hak cipta 2024 Berita Maluku",
    "Pedoman Media Siber",
]


def page(charset: str = "utf-8", paragraphs: list[str] = PARAGRAPHS) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="id">
<head><meta charset="{charset}">
<title>Pemkot Ambon Salurkan Bantuan UMKM - Berita Maluku</title>
<script>var tracking = "jangan diambil";</script></head>
<body>
<header><nav><ul><li><a href="/">Beranda</a></li><li><a href="/politik">Politik</a></li>
<li><a href="/ekonomi">Ekonomi</a></li><li><a href="/olahraga">Olahraga</a></li></ul></nav>
</header>
<div class="ads">IKLAN: Diskon besar-besaran untuk ponsel terbaru, beli sekarang juga!</div>
<main><article>
<h1>Pemkot Ambon Salurkan Bantuan UMKM</h1>
<p class="byline">Oleh Redaksi</p>
{body}
</article></main>
<aside><h3>Berita Terpopuler</h3><ul><li><a href="/a">Harga cabai naik lagi</a></li>
<li><a href="/b">Banjir di Jakarta</a></li></ul></aside>
<footer><p>Hak cipta 2024 Berita Maluku. Seluruh hak dilindungi undang-undang.</p>
<p>Redaksi | Pedoman Media Siber | Kontak</p></footer>
</body></html>
"""


def assert_article(document: Document) -> None:
    lines = document.text.splitlines()
    for paragraph in PARAGRAPHS:
        assert paragraph in lines  # each paragraph whole, on its own line
    for chrome in CHROME:
        assert chrome not in document.text
    assert "tracking" not in document.text
    assert document.metadata["format"] == "html"
    assert document.metadata["title"].startswith("Pemkot Ambon Salurkan Bantuan UMKM")


def test_html_article_is_extracted(tmp_path: Path) -> None:
    document = read(write(tmp_path / "berita.html", page()))
    assert_article(document)
    assert document.text.splitlines()[0] != "Pemkot Ambon Salurkan Bantuan UMKM"  # the title


def test_html_is_recognised_by_content(tmp_path: Path) -> None:
    assert_article(read(write(tmp_path / "berita.txt", "\n  " + page())))
    stdin_item = InputItem(STDIN, None, None, Path("stdin"))
    assert_article(read_item(stdin_item, stdin=io.BytesIO(page().encode("utf-8"))))


def test_html_declared_charset(tmp_path: Path) -> None:
    paragraphs = [p.replace("Rp 300 juta", "Rp 300 juta – “bantuan”") for p in PARAGRAPHS]
    html = page("windows-1252", paragraphs).encode("cp1252")
    document = read(write(tmp_path / "berita.htm", html))
    assert "Rp 300 juta – “bantuan”" in document.text
    assert document.metadata["encoding"] == "cp1252"


def test_html_file_without_markup_is_text(tmp_path: Path) -> None:
    document = read(write(tmp_path / "a.html", ARTICLE))
    assert (document.text, document.metadata["format"]) == (ARTICLE, "text")


def test_html_without_article_is_an_error(tmp_path: Path) -> None:
    html = "<html><head><title>Memuat...</title><script>load()</script></head><body></body></html>"
    assert "no article text found in the web page" in error_of(write(tmp_path / "a.html", html))
    assert "the article is empty" in error_of(write(tmp_path / "b.html", " \n "))


# -- discovering inputs ----------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of articles with hidden files and other suffixes; the cwd is its parent."""
    monkeypatch.chdir(tmp_path)
    news = tmp_path / "news"
    for name in [
        "b.txt",
        "a.md",
        "c.html",
        "d.HTM",
        "e.pdf",
        "catatan.docx",
        "README",
        ".tersembunyi.txt",
        ".git/config.txt",
        "2024/z.txt",
        "2024/Besar.TXT",
        "2024/05/y.txt",
        "_arsip/x.txt",
    ]:
        write(news / name, page() if "htm" in name.lower() else ARTICLE)
    return news


def sources(items: list[InputItem]) -> list[str]:
    return [i.source for i in items]


def test_folders_are_walked_sorted_with_default_globs(tree: Path) -> None:
    items, errors = discover(["news"])
    assert errors == []
    assert sources(items) == [
        "news/2024/05/y.txt",
        "news/2024/Besar.TXT",
        "news/2024/z.txt",
        "news/_arsip/x.txt",
        "news/a.md",
        "news/b.txt",
        "news/c.html",
        "news/d.HTM",
    ]
    first = items[0]
    assert first.path == Path("news/2024/05/y.txt")
    assert first.root == Path("news")
    assert first.relative == Path("2024/05/y.txt")
    assert read_item(first).text == ARTICLE
    assert DEFAULT_GLOBS == ("*.txt", "*.md", "*.html", "*.htm")


def test_glob_option(tree: Path) -> None:
    assert sources(discover(["news"], globs=["*.md"])[0]) == ["news/a.md"]
    assert discover(["news"], globs=["**/*.md"])[0] == discover(["news"], globs=["*.MD"])[0]
    by_folder = discover(["news"], globs=["2024/*.txt"])[0]
    assert sources(by_folder) == ["news/2024/05/y.txt", "news/2024/Besar.TXT", "news/2024/z.txt"]
    assert sources(discover(["news/"], globs=["*.pdf", "README"])[0]) == [
        "news/README",
        "news/e.pdf",
    ]


def test_files_named_directly_are_taken_whatever_their_suffix(tree: Path) -> None:
    items, errors = discover(["news/e.pdf", "news/README", "news/.tersembunyi.txt"])
    assert errors == []
    assert sources(items) == ["news/e.pdf", "news/README", "news/.tersembunyi.txt"]
    assert items[0] == InputItem("news/e.pdf", Path("news/e.pdf"), None, Path("e.pdf"))


def test_command_line_order_and_duplicates(tree: Path) -> None:
    os.symlink("b.txt", tree / "tautan.txt")  # a symlink to a file already listed
    items, errors = discover(["news/b.txt", "news/2024", "-", "news", "news/2024/z.txt", "-"])
    assert errors == []
    assert sources(items) == [
        "news/b.txt",
        "news/2024/05/y.txt",
        "news/2024/Besar.TXT",
        "news/2024/z.txt",
        "-",
        "news/_arsip/x.txt",
        "news/a.md",
        "news/c.html",
        "news/d.HTM",
    ]
    assert items[4] == InputItem("-", None, None, Path("stdin"))


def test_nonexistent_path_is_an_error_and_the_rest_goes_on(tree: Path) -> None:
    items, errors = discover(["tidak-ada", "news/2024/z.txt", ""])
    assert sources(items) == ["news/2024/z.txt"]
    assert [e.one_line() for e in errors] == [
        "tidak-ada: no such file or folder",
        "'': an empty path",
    ]
    assert isinstance(errors[0], SourceError)
    assert errors[0].source == "tidak-ada"


def test_symlink_loop_is_an_error_once(tree: Path) -> None:
    os.symlink("..", tree / "2024" / "naik")  # news/2024/naik -> news
    items, errors = discover(["news"])
    assert len(sources(items)) == len(set(sources(items))) == 8
    assert [e.one_line() for e in errors] == [
        "news/2024/naik: symbolic link loop: it leads back to a folder above it; skipped"
    ]


def test_self_referencing_symlink(tree: Path) -> None:
    os.symlink("putar.txt", tree / "putar.txt")
    items, errors = discover(["news/putar.txt", "news"])
    assert len(items) == 8
    assert [e.one_line() for e in errors] == [
        "news/putar.txt: symbolic link loop",
        "news/putar.txt: symbolic link loop",
    ]


def test_symlinked_folder_outside_is_followed_only_when_asked(tree: Path, tmp_path: Path) -> None:
    write(tmp_path / "lain" / "w.txt", ARTICLE)
    os.symlink(tmp_path / "lain", tree / "lain")
    assert "news/lain/w.txt" not in sources(discover(["news"])[0])
    assert "news/lain/w.txt" in sources(discover(["news"], follow_links=True)[0])


def test_dangling_symlink(tree: Path) -> None:
    os.symlink("hilang.txt", tree / "tautan.txt")
    os.symlink("hilang.bin", tree / "tautan.bin")  # does not match the globs: ignored
    items, errors = discover(["news", "news/tautan.bin"])
    assert len(items) == 8
    assert [e.one_line() for e in errors] == [
        "news/tautan.txt: broken symbolic link (to hilang.txt, which does not exist)",
        "news/tautan.bin: broken symbolic link (to hilang.bin, which does not exist)",
    ]
    with pytest.raises(InputError, match="broken symbolic link"):
        read_item(item(tree / "tautan.txt"))


def test_unreadable_folder(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == Path("news/2024"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    items, errors = discover(["news"])
    assert [e.one_line() for e in errors] == ["news/2024: cannot read folder: permission denied"]
    assert "news/a.md" in sources(items)
    assert not any(s.startswith("news/2024") for s in sources(items))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_folder_with_one_unreadable_file(tree: Path) -> None:
    os.mkfifo(tree / "macet.txt")  # reading it would block forever; it is refused instead
    items, errors = discover(["news"])
    assert errors == []
    outcomes: dict[str, object] = {}
    for found in items:
        try:
            outcomes[found.source] = bool(read_item(found).text)
        except InputError as exc:
            outcomes[found.source] = exc.one_line()
    assert outcomes.pop("news/macet.txt") == (
        "news/macet.txt: is not a regular file (a named pipe); name it to read it"
    )
    assert all(ok is True for ok in outcomes.values())


def test_files_from_lines(tree: Path) -> None:
    listing = write(
        Path("daftar.txt"),
        b"\xef\xbb\xbfnews/b.txt\r\n\n   \nnews/2024\nnews/b.txt\ntidak-ada.txt\n-\n",
    )
    items, errors = discover(["news/a.md"], files_from=str(listing))
    assert sources(items) == [
        "news/a.md",
        "news/b.txt",
        "news/2024/05/y.txt",
        "news/2024/Besar.TXT",
        "news/2024/z.txt",
    ]
    assert [e.one_line() for e in errors] == [
        "tidak-ada.txt: no such file or folder",
        "--files-from daftar.txt: lists '-'; name stdin on the command line, not in the list",
    ]


def test_files_from_nul_separated_stdin(tree: Path) -> None:
    odd = write(tree / "nama aneh\nbaris.txt", ARTICLE)  # only NUL separation can list it
    stream = io.BytesIO(b"news/b.txt\0" + bytes(odd) + b"\0\0news/a.md\0")
    items, errors = discover([], files_from="-", null_separated=True, stdin=stream)
    assert errors == []
    assert [i.path for i in items] == [Path("news/b.txt"), odd, Path("news/a.md")]


def test_files_from_errors(tree: Path) -> None:
    items, errors = discover(["news/b.txt"], files_from="tidak-ada.lst")
    assert sources(items) == ["news/b.txt"]
    assert [e.one_line() for e in errors] == ["--files-from tidak-ada.lst: no such file"]
    with pytest.raises(UsageError):
        discover(["-"], files_from="-", stdin=io.BytesIO(b""))


# -- JSON lines --------------------------------------------------------------------------

JSONL = (
    '\ufeff{"id": "a-1", "text": "Teks pertama.\\r\\nBaris dua.", "url": "https://x.id/1"}\n'
    "\n"
    "   \n"
    '{"id": 7, "text": "Teks kedua."}\r\n'
    '{"text": "Tanpa id."}\n'
    "bukan json\n"
    '["text"]\n'
    '{"id": "b", "judul": "tanpa teks"}\n'
    '{"id": "c", "text": 5}\n'
    '{"id": "d", "text": "   "}\n'
    '{"id": null, "text": "Id null."}\n'
    '{"id": "e", "text": "\\ud800"}\n'
    '{"id": "", "text": "Id kosong."}'  # no newline at the end
)


def summary(outcomes: list[Document | InputError]) -> list[object]:
    return [
        (o.source, o.text, o.metadata) if isinstance(o, Document) else o.one_line()
        for o in outcomes
    ]


@pytest.mark.parametrize("binary", [True, False], ids=["bytes", "text"])
def test_jsonl(binary: bool) -> None:
    stream: io.BytesIO | io.StringIO
    stream = io.BytesIO(JSONL.encode("utf-8")) if binary else io.StringIO(JSONL, newline="")
    assert summary(list(read_jsonl(stream, source="items.jsonl"))) == [
        (
            "a-1",
            "Teks pertama.\nBaris dua.",
            {"id": "a-1", "line": 1, "input": {"url": "https://x.id/1"}},
        ),
        ("7", "Teks kedua.", {"id": 7, "line": 4}),
        ("items.jsonl:5", "Tanpa id.", {"id": None, "line": 5}),
        "items.jsonl:6: not valid JSON (Expecting value, column 1)",
        'items.jsonl:7: expected an object like {"id": ..., "text": ...}, got an array',
        'items.jsonl:8: the object has no "text"',
        'items.jsonl:9: "text" must be a string, not a number',
        'items.jsonl:10: "text" is empty',
        ("items.jsonl:11", "Id null.", {"id": None, "line": 11}),
        'items.jsonl:12: "text" has an unpaired surrogate (broken UTF-16 escape)',
        ("items.jsonl:13", "Id kosong.", {"id": "", "line": 13}),
    ]


def test_jsonl_errors_carry_line_and_id() -> None:
    [error] = read_jsonl(io.BytesIO(b'{"id": "x9", "text": ""}\n'))
    assert isinstance(error, SourceError)
    assert (error.source, error.line, error.id) == ("-", 1, "x9")
    assert error.one_line() == 'stdin:1: "text" is empty'
    [document] = read_jsonl(io.BytesIO(b'{"text": "Halo."}\n'))
    assert isinstance(document, Document)
    assert document.source == "-:1"


def test_jsonl_long_and_undecodable_lines_do_not_stop_reading() -> None:
    data = (
        b'{"id": 1, "text": "' + b"a" * 500 + b'"}\n'
        b'{"id": 2, "text": "caf\xe9"}\n'
        b'{"id": 3, "text": "Baik."}\n'
    )
    outcomes = summary(list(read_jsonl(io.BytesIO(data), max_bytes=100)))
    assert outcomes == [
        "stdin:1: the line is over the size limit of 100 bytes (raise the limit with --max-size)",
        "stdin:2: not UTF-8 (byte 22)",
        ("3", "Baik.", {"id": 3, "line": 3}),
    ]


# -- properties ---------------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=2000) | st.binary(max_size=2000).map(lambda b: b.replace(b"\0", b"")))
def test_decode_never_crashes(data: bytes) -> None:
    try:
        text, encoding = decode(data, "x")
    except InputError as exc:
        assert exc.one_line().startswith("x: ")
    else:
        assert isinstance(encoding, str)
        assert "\r" not in text
        assert "\0" not in text


HTML_PIECES = st.sampled_from(
    [
        *["<html>", "<!DOCTYPE html>", "<p>", "</p>", "<title>", "</title>", "<article>"],
        *["<nav>", "<script>", "<!--", "-->", "&amp;", "&#0;", "<meta charset='cp1252'>"],
        *["\x00", "\xe9", *PARAGRAPHS],
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(HTML_PIECES | st.text(max_size=20), max_size=20), st.booleans())
def test_web_pages_never_crash(pieces: list[str], html: bool) -> None:
    data = "".join(pieces).encode("utf-8", "surrogatepass")
    try:
        document = document_from_bytes(data, "p.html", html=html)
    except InputError as exc:
        assert exc.one_line().startswith("p.html: ")
    else:
        assert document.text.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))))
def test_utf8_text_round_trips(text: str) -> None:
    text = text.replace("\ufeff", "")
    assert decode(text.encode("utf-8")) == (text, "utf-8")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), st.integers(min_value=1, max_value=400))
def test_read_jsonl_never_crashes_on_bytes(data: bytes, limit: int) -> None:
    for outcome in read_jsonl(io.BytesIO(data), max_bytes=limit):
        assert isinstance(outcome, (Document, InputError))
        if isinstance(outcome, Document):
            assert outcome.text.strip()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["id", "text", "x"]) | st.text(max_size=5), children)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(JSON_VALUES | st.text(max_size=60), max_size=8))
def test_read_jsonl_never_crashes_on_json(values: list[object]) -> None:
    lines = [json.dumps(v) if not isinstance(v, str) else v for v in values]
    text = "\n".join(lines)
    outcomes = list(read_jsonl(io.StringIO(text), source="in"))
    assert len(outcomes) <= len(text.split("\n"))
    for outcome in outcomes:
        assert isinstance(outcome, (Document, InputError))
