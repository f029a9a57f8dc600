"""Links and feeds read with real httpx from the local news site (tests/web_site.py).

Library level: the fetcher's care (timeouts, redirects, sizes, charsets, retries, hosts,
TLS, offline), the article and its metadata from the layouts of real Indonesian news sites,
paginated articles, pages that are not articles, feeds of every format and OPML. The CLI
over the same site is tested in test_web_cli.py.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ringkas.sources.errors import SourceError
from ringkas.sources.feeds import parse_feed, parse_since, read_feeds, select_items
from ringkas.sources.fetch import DEFAULT_USER_AGENT, Fetcher, FetchOptions
from ringkas.sources.urls import join, url_relative
from ringkas.sources.web import read_url
from ringkas.text import clean_article
from web_site import (
    CHROME,
    LAYOUTS,
    NAVIGATION,
    Article,
    Reply,
    WebSite,
    atom,
    corpus_articles,
    detik_page,
    endless,
    index_page,
    opml,
    paywall_page,
    rss091,
    rss10,
    rss20,
    seed_articles,
    wordpress_page,
)

ARTICLES = seed_articles()
QUICK = FetchOptions(timeout=2.0, retries=2, backoff=0.01)


@pytest.fixture
def fetcher() -> Fetcher:
    with Fetcher(QUICK) as client:
        yield client


def failure(url: str, fetcher: Fetcher) -> str:
    with pytest.raises(SourceError) as caught:
        read_url(url, fetcher)
    message = caught.value.one_line()
    assert message.startswith(f"{url}: ") and "\n" not in message
    return message


def body(text: str) -> list[str]:
    """The article as the pipeline reads it: cleaned, one paragraph a line."""
    return clean_article(text).text.splitlines()


def assert_is_article(text: str, article: Article) -> None:
    cleaned = "\n".join(body(text))
    for paragraph in body("\n".join(article.paragraphs)):
        assert paragraph in cleaned  # whole, in the cleaned article
    for junk in (*CHROME, *NAVIGATION, *article.related):
        assert junk not in cleaned, junk
    assert article.title not in body(text)[0]  # the headline is metadata, not a paragraph


# -- articles in the layouts of real news sites -----------------------------------------------


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_article_and_metadata_from_each_news_site_layout(
    web_site: WebSite, fetcher: Fetcher, layout: str
) -> None:
    article = ARTICLES[0]
    url = web_site.article(layout, article)
    document = read_url(url, fetcher)
    assert_is_article(document.text, article)
    assert document.source == url
    assert document.metadata == {
        "url": url,
        "final_url": url,
        "encoding": "utf-8",
        "format": "html",
        "title": article.title,
        "date": "2023-03-08",
        "author": article.author,
        "sitename": article.site,
    }


def test_corpus_articles_in_every_layout(web_site: WebSite, fetcher: Fetcher, corpus: Path) -> None:
    articles = corpus_articles(corpus, count=10)
    assert len(articles) == 10
    for number, article in enumerate(articles):
        layout = sorted(LAYOUTS)[number % len(LAYOUTS)]
        document = read_url(web_site.article(layout, article), fetcher)
        extracted = " ".join(document.text.split())
        for paragraph in article.paragraphs:
            assert " ".join(paragraph.split()) in extracted, (layout, article.slug)
        assert document.metadata["title"] == article.title
        own = "\n".join(article.paragraphs)
        for junk in (*CHROME, *NAVIGATION):
            assert junk in own or junk not in document.text, junk


def test_paginated_article_is_read_whole(web_site: WebSite, fetcher: Fetcher) -> None:
    article = ARTICLES[0]
    url = web_site.paginated(article, pages=3)
    document = read_url(url, fetcher)
    assert document.metadata["pages"] == 3
    assert_is_article(document.text, article)
    cleaned = body(document.text)
    wanted = body("\n".join(article.paragraphs))
    assert [line for line in cleaned if line in wanted] == wanted  # in order, once each
    path = url.removeprefix(web_site.base)
    assert [web_site.hits(f"{path}?page={n}") for n in (1, 2, 3)] == [0, 1, 1]


def test_a_next_article_link_is_not_a_next_page(web_site: WebSite, fetcher: Fetcher) -> None:
    article, other = ARTICLES[1], ARTICLES[2]
    html = wordpress_page(article, "x").replace(
        "</head>", f'<link rel="next" href="/berita/{other.slug}"></head>'
    )
    url = web_site.page(f"/berita/{article.slug}", html)
    document = read_url(url, fetcher)
    assert "pages" not in document.metadata
    assert web_site.hits(f"/berita/{other.slug}") == 0


def test_a_page_that_fails_makes_the_article_fail(web_site: WebSite, fetcher: Fetcher) -> None:
    url = web_site.paginated(ARTICLES[0], pages=2)
    path = url.removeprefix(web_site.base)
    web_site.routes[f"{path}?page=2"] = Reply("hilang", status=404)
    assert "page 2 of the article cannot be read: HTTP 404" in failure(url, fetcher)


# -- pages that are not articles -----------------------------------------------------------------


def test_index_page_and_paywall_are_not_articles(web_site: WebSite, fetcher: Fetcher) -> None:
    index = web_site.page("/kanal/daerah", index_page(ARTICLES, web_site.base))
    assert "no article text found in the web page" in failure(index, fetcher)
    paywall = web_site.page("/premium/a", paywall_page(ARTICLES[0], "x"))
    assert "for subscribers only" in failure(paywall, fetcher)
    stub = web_site.page("/premium/b", paywall_page(ARTICLES[0], "x", teaser=False))
    assert "for subscribers only" in failure(stub, fetcher)
    script = web_site.page("/app", "<!DOCTYPE html><html><body><div id=app></div></body></html>")
    assert "no article text found" in failure(script, fetcher)


def test_not_a_web_page(web_site: WebSite, fetcher: Fetcher) -> None:
    pdf = web_site.page("/laporan.pdf", b"%PDF-1.7 ...", content_type="application/pdf")
    assert "is not a web page (application/pdf)" in failure(pdf, fetcher)
    image = web_site.page("/foto", b"\x89PNG\r\n\x1a\n...", content_type="image/png")
    assert "is not a web page (image/png)" in failure(image, fetcher)
    feed = web_site.page("/rss", rss20(ARTICLES, web_site.base), content_type="application/xml")
    assert "is a news feed, not an article (read it with --feed URL)" in failure(feed, fetcher)
    empty = web_site.page("/kosong", b"")
    assert "the page is empty" in failure(empty, fetcher)


def test_plain_text_page_is_read_as_text(web_site: WebSite, fetcher: Fetcher) -> None:
    text = "\n".join(ARTICLES[0].paragraphs)
    url = web_site.page("/artikel.txt", text, content_type="text/plain; charset=utf-8")
    document = read_url(url, fetcher)
    assert document.text == text
    assert document.metadata["format"] == "text"


# -- charsets and compression ------------------------------------------------------------------


def test_charset_from_header_meta_or_detection(web_site: WebSite, fetcher: Fetcher) -> None:
    article = ARTICLES[2]  # its quotes are typographic: “...”
    html = detik_page(article, "x")
    assert "“" in html
    cp1252 = html.replace('<meta charset="utf-8">', "").encode("cp1252")
    cases = {
        "/header": (cp1252, "text/html; charset=windows-1252"),
        "/latin1-means-cp1252": (cp1252, "text/html; charset=ISO-8859-1"),
        "/wrong-header": (cp1252, "text/html; charset=utf-8"),  # says UTF-8, is not
        "/meta-only": (
            html.replace('charset="utf-8"', 'charset="windows-1252"').encode("cp1252"),
            "text/html",
        ),
        "/utf8-said-latin1": (html.encode("utf-8"), "text/html; charset=iso-8859-1"),
    }
    for path, (data, content_type) in cases.items():
        document = read_url(web_site.page(path, data, content_type=content_type), fetcher)
        assert_is_article(document.text, article)
        assert "“Pengembangan KUMKM" in document.text, path
        assert document.metadata["encoding"] in ("cp1252", "utf-8"), path


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compressed_pages(web_site: WebSite, fetcher: Fetcher, encoding: str) -> None:
    url = web_site.page("/berita/z", detik_page(ARTICLES[0], "x"), encode=encoding)
    document = read_url(url, fetcher)
    assert_is_article(document.text, ARTICLES[0])
    assert encoding in web_site.requests[-1].headers["Accept-Encoding"]


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compression_bomb_stops_at_the_size_limit(web_site: WebSite, encoding: str) -> None:
    bomb = b"<html><body><p>" + b" " * (32 << 20)  # 32 MB unpacked, a few KB sent
    web_site.page("/bom", bomb, encode=encoding)
    with Fetcher(FetchOptions(max_bytes=1 << 20, retries=0)) as small:
        message = failure(web_site.url("/bom"), small)
    assert "is over the size limit of 1.0 MB (raise the limit with --max-size)" in message


def test_damaged_compression(web_site: WebSite, fetcher: Fetcher) -> None:
    data = gzip.compress(detik_page(ARTICLES[0], "x").encode())
    web_site.page("/rusak", data[: len(data) // 2], headers={"Content-Encoding": "gzip"})
    assert "cut short" in failure(web_site.url("/rusak"), fetcher)
    web_site.page("/sampah", b"bukan gzip sama sekali", headers={"Content-Encoding": "gzip"})
    assert "the compressed page is damaged" in failure(web_site.url("/sampah"), fetcher)


# -- limits: size, time, redirects -----------------------------------------------------------


def test_endless_body_and_announced_size(web_site: WebSite) -> None:
    web_site.page("/tanpa-akhir", endless())
    web_site.page("/besar", b"<p>" + b"x" * (3 << 20))
    with Fetcher(FetchOptions(max_bytes=256 << 10, retries=0)) as small:
        assert "is over the size limit of 256 KB" in failure(web_site.url("/tanpa-akhir"), small)
        assert "is 3.0 MB, over the size limit of 256 KB" in failure(web_site.url("/besar"), small)


def test_slow_page_times_out(web_site: WebSite) -> None:
    url = web_site.page("/lambat", detik_page(ARTICLES[0], "x"), delay=5)
    started = time.monotonic()
    with Fetcher(FetchOptions(timeout=0.3, retries=2, backoff=0.01)) as quick:
        assert "timed out (the server sent nothing for 0.3 s)" in failure(url, quick)
    assert time.monotonic() - started < 4.5  # not the page's 5 s: a timeout is not retried
    assert web_site.hits("/lambat") == 1


def test_dripping_page_hits_the_deadline(web_site: WebSite) -> None:
    def drip():  # always something within the read timeout, never done
        yield b"<!DOCTYPE html><html><body>"
        for _ in range(200):
            time.sleep(0.05)
            yield b"<p>sedikit demi sedikit</p>"

    web_site.routes["/menetes"] = lambda request: Reply(drip())
    with Fetcher(FetchOptions(timeout=1.0, deadline=0.5, retries=0)) as quick:
        message = failure(web_site.url("/menetes"), quick)
    assert "took too long to download (over 0.5 s)" in message


def test_redirects_followed_and_limited(web_site: WebSite, fetcher: Fetcher) -> None:
    article = ARTICLES[0]
    final = web_site.article("detik", article)
    web_site.redirect("/r1", "/r2", 302)
    web_site.redirect("/r2", "/r3", 307)
    web_site.redirect("/r3", final, 301)
    document = read_url(web_site.url("/r1"), fetcher)
    assert document.metadata["url"] == web_site.url("/r1")
    assert document.metadata["final_url"] == final
    web_site.redirect("/a", "/b")
    web_site.redirect("/b", "/a")
    assert "redirects in a loop (back to " in failure(web_site.url("/a"), fetcher)
    for n in range(7):
        web_site.redirect(f"/jauh/{n}", f"/jauh/{n + 1}")
    assert "too many redirects (more than 5)" in failure(web_site.url("/jauh/0"), fetcher)
    web_site.redirect("/ftp", "ftp://127.0.0.1/berita.txt")
    assert "which is not a web page" in failure(web_site.url("/ftp"), fetcher)


# -- status codes, retries, hosts ----------------------------------------------------------------


def test_http_errors(web_site: WebSite, fetcher: Fetcher) -> None:
    assert "HTTP 404 Not Found" in failure(web_site.url("/tidak-ada"), fetcher)
    web_site.page("/dilarang", "no", status=403)
    message = failure(web_site.url("/dilarang"), fetcher)
    assert "HTTP 403 Forbidden" in message and "--user-agent" in message
    web_site.page("/pilihan", "<p>a</p>", status=300)
    assert "HTTP 300 Multiple Choices" in failure(web_site.url("/pilihan"), fetcher)
    web_site.page("/rusak", "no", status=500)
    assert "HTTP 500 Internal Server Error" in failure(web_site.url("/rusak"), fetcher)
    assert web_site.hits("/rusak") == 3  # the first try and two retries


def flaky(*failures: Reply, then: Reply) -> object:
    """A route that fails with each reply in turn, then answers."""
    left = list(failures)
    lock = threading.Lock()

    def route(request: object) -> Reply:
        with lock:
            return left.pop(0) if left else then

    return route


def test_retry_after_is_honoured(web_site: WebSite, fetcher: Fetcher) -> None:
    page = Reply(detik_page(ARTICLES[0], "x"))
    busy = Reply("sibuk", status=429, headers={"Retry-After": "1"})
    web_site.routes["/ramai"] = flaky(busy, then=page)  # type: ignore[assignment]
    document = read_url(web_site.url("/ramai"), fetcher)
    assert_is_article(document.text, ARTICLES[0])
    first, second = (r.at for r in web_site.requests if r.path == "/ramai")
    assert second - first >= 1.0
    down = Reply("gangguan", status=503, headers={"Retry-After": "86400"})
    web_site.routes["/tutup"] = down
    message = failure(web_site.url("/tutup"), fetcher)
    assert "HTTP 503 Service Unavailable (the server asks to wait 86400 s)" in message
    assert web_site.hits("/tutup") == 1


def test_backoff_grows(web_site: WebSite) -> None:
    web_site.routes["/goyah"] = flaky(  # type: ignore[assignment]
        Reply("x", status=502), Reply("x", status=500), then=Reply(detik_page(ARTICLES[0], "x"))
    )
    with Fetcher(FetchOptions(retries=2, backoff=0.2)) as patient:
        read_url(web_site.url("/goyah"), patient)
    times = [r.at for r in web_site.requests if r.path == "/goyah"]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.2 and times[2] - times[1] >= 0.4


def test_at_most_two_requests_at_once_per_host(web_site: WebSite) -> None:
    urls = []
    for n in range(6):
        html = detik_page(ARTICLES[0], "x")
        web_site.routes[f"/pelan/{n}"] = Reply(html, delay=0.3)
        urls.append(web_site.url(f"/pelan/{n}"))
    with Fetcher(FetchOptions(per_host=2)) as polite:
        threads = [threading.Thread(target=polite.fetch, args=(url,)) for url in urls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert web_site.max_active == 2
    assert len(web_site.requests) == 6


def test_user_agent(web_site: WebSite) -> None:
    url = web_site.article("kompas", ARTICLES[0])
    with Fetcher() as default:
        default.fetch(url)
    assert web_site.requests[-1].headers["User-Agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("ringkas/")
    with Fetcher(FetchOptions(user_agent="Mozilla/5.0 (redaksi)")) as custom:
        custom.fetch(url)
    assert web_site.requests[-1].headers["User-Agent"] == "Mozilla/5.0 (redaksi)"


def test_offline_fetches_nothing(
    web_site: WebSite, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RINGKAS_OFFLINE", "1")
    url = web_site.article("kompas", ARTICLES[0])
    assert "not fetched: offline (RINGKAS_OFFLINE is set)" in failure(url, fetcher)
    assert web_site.requests == []


def test_refused_connection(web_site: WebSite) -> None:
    port = web_site.port
    web_site.stop()
    with Fetcher(FetchOptions(retries=1, backoff=0.01)) as quick:
        message = failure(f"http://127.0.0.1:{port}/berita", quick)
    assert "127.0.0.1 refused the connection" in message


def test_cancel_stops_a_wait(web_site: WebSite) -> None:
    web_site.page("/sibuk", "x", status=429, headers={"Retry-After": "30"})
    with Fetcher(FetchOptions(max_wait=60)) as waiting:
        threading.Timer(0.2, waiting.cancel).start()
        started = time.monotonic()
        assert "interrupted" in failure(web_site.url("/sibuk"), waiting)
    assert time.monotonic() - started < 5


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed: no test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def test_tls_certificate_is_checked(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with WebSite(tls=certificate) as site:
        url = site.article("detik", ARTICLES[0])
        assert url.startswith("https://")
        with Fetcher(QUICK) as strict:
            message = failure(url, strict)
        assert "TLS: the certificate is not trusted (self-signed certificate)" in message
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # the user's own trust store
        with Fetcher(QUICK) as trusting:
            assert_is_article(read_url(url, trusting).text, ARTICLES[0])


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1/",
        "http://x:abc/",
        "http://:80/x",
        "http://127.0.0.1:1/\x00",
        "https://",
        "http://127.0.0.1:1/\x1b[31m",
        "http://127.0.0.1:1/a b",
    ],
)
def test_unusable_addresses_fail_alone(fetcher: Fetcher, url: str) -> None:
    assert "not a usable web address" in failure(url, fetcher)


# -- output names ----------------------------------------------------------------------------


@given(st.text(max_size=60), st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_address_has_a_safe_name_and_joins_without_error(tail: str, href: str) -> None:
    url = "http://" + tail
    relative = url_relative(url)
    assert relative.parts and all(p not in ("", ".", "..") for p in relative.parts)
    assert all("/" not in p and "\0" not in p and len(p) <= 80 for p in relative.parts)
    joined = join(url, href)
    assert joined is None or joined.lower().startswith(("http://", "https://"))


def test_url_relative_names() -> None:
    assert url_relative(
        "https://news.detik.com/berita/d-7970439/gempa-m-4-8-terjadi-di-garut"
    ) == PurePosixPath("news.detik.com/berita/d-7970439/gempa-m-4-8-terjadi-di-garut")
    assert url_relative("http://127.0.0.1:8080/") == PurePosixPath("127.0.0.1-8080/index")
    assert url_relative("https://x.id/a/berita.html") == PurePosixPath("x.id/a/berita")
    one, two = url_relative("https://x.id/read?page=1"), url_relative("https://x.id/read?page=2")
    assert one != two and one.parent == two.parent and one.name.startswith("read-")
    dotted = url_relative("https://x.id/gempa-m-4.8")
    assert "." not in dotted.name and dotted != url_relative("https://x.id/gempa-m-4-8")
    hostile = url_relative("https://x.id/../../etc/%2e%2e/passwd%00" + "a" * 500)
    assert ".." not in hostile.parts and all(len(part) <= 80 for part in hostile.parts)
    assert str(hostile).startswith("x.id/")


# -- feeds ---------------------------------------------------------------------------------------


FEEDS = {
    "rss20": (rss20, "application/rss+xml; charset=utf-8"),
    "rss10": (rss10, "application/rdf+xml"),
    "rss091": (rss091, "text/xml; charset=iso-8859-1"),
    "atom": (atom, "application/atom+xml"),
}


@pytest.mark.parametrize("kind", sorted(FEEDS))
def test_every_feed_format(web_site: WebSite, fetcher: Fetcher, kind: str) -> None:
    build, content_type = FEEDS[kind]
    data = build(ARTICLES, web_site.base).encode("cp1252" if kind == "rss091" else "utf-8")
    feed = web_site.page(f"/{kind}", data, content_type=content_type)
    items, errors = read_feeds([feed], fetcher)
    assert errors == []
    expected = [web_site.url(f"/berita/{a.slug}") for a in ARTICLES]
    if kind == "rss091":  # no dates: the feed's own order
        assert [item.url for item in items] == expected
        assert all(item.published is None for item in items)
    else:  # newest first
        newest = sorted(ARTICLES, key=lambda a: a.published, reverse=True)
        assert [item.url for item in items] == [web_site.url(f"/berita/{a.slug}") for a in newest]
        assert items[0].published == newest[0].published.astimezone(timezone.utc)
    assert {item.title for item in items} == {a.title for a in ARTICLES}
    assert all(item.feed == feed for item in items)


def test_since_and_limit(web_site: WebSite, fetcher: Fetcher) -> None:
    feed = web_site.page("/rss", rss20(ARTICLES, web_site.base), content_type="application/xml")
    newest = sorted(ARTICLES, key=lambda a: a.published, reverse=True)
    items, _ = read_feeds([feed], fetcher, limit=2)
    assert [i.title for i in items] == [a.title for a in newest[:2]]
    since = datetime(2023, 3, 8, 12, 0, tzinfo=timezone(timedelta(hours=9)))
    items, _ = read_feeds([feed], fetcher, since=since)
    assert [i.title for i in items] == [a.title for a in newest if a.published >= since]
    assert len(items) == 2


def test_opml_lists_feeds_and_a_bad_feed_costs_only_itself(
    web_site: WebSite, fetcher: Fetcher, tmp_path: Path
) -> None:
    good = web_site.page("/rss", rss20(ARTICLES[:2], web_site.base), content_type="text/xml")
    other = web_site.page("/atom", atom(ARTICLES[1:], web_site.base), content_type="text/xml")
    listing = tmp_path / "langganan.opml"
    listing.write_text(opml([good, web_site.url("/hilang"), other]), "utf-8")
    items, errors = read_feeds([str(listing)], fetcher)
    assert [e.one_line() for e in errors] == [
        f"{web_site.url('/hilang')}: HTTP 404 Not Found (check the address)"
    ]
    assert sorted(i.url for i in items) == sorted(  # each article once
        web_site.url(f"/berita/{a.slug}") for a in ARTICLES
    )
    served = web_site.page("/langganan.opml", opml([good]), content_type="text/x-opml")
    items, errors = read_feeds([served], fetcher)
    assert (len(items), errors) == (2, [])


def test_site_page_names_its_feed(web_site: WebSite, fetcher: Fetcher) -> None:
    web_site.page("/feed", rss20(ARTICLES, web_site.base), content_type="application/rss+xml")
    front = index_page(ARTICLES, web_site.base).replace(
        "</head>", '<link rel="alternate" type="application/rss+xml" href="/feed"></head>'
    )
    items, errors = read_feeds([web_site.page("/", front)], fetcher)
    assert (len(items), errors) == (3, [])
    bare = web_site.page("/tanpa-feed", index_page(ARTICLES, web_site.base))
    _, errors = read_feeds([bare], fetcher)
    assert "is a web page, not a news feed, and names no feed" in errors[0].one_line()


def test_not_a_feed(web_site: WebSite, fetcher: Fetcher, tmp_path: Path) -> None:
    junk = web_site.page("/data.json", b'{"berita": []}', content_type="application/json")
    _, errors = read_feeds([junk, str(tmp_path / "tidak-ada.opml")], fetcher)
    messages = [e.one_line() for e in errors]
    assert messages[0].startswith(f"{junk}: is not a news feed (RSS or Atom)")
    assert "no such file" in messages[1]


def test_a_public_feed_never_leads_into_a_private_network(tmp_path: Path) -> None:
    from ringkas.sources.feeds import _private

    for private in (
        "http://127.0.0.1/a",
        "http://localhost:8080/a",
        "http://192.168.1.1/admin",
        "http://10.0.0.5/",
        "http://[::1]/x",
        "http://169.254.169.254/latest/meta-data",
        "http://printer.local/",
    ):
        assert _private(private), private
    for public in ("https://news.detik.com/berita/1", "http://93.184.216.34/", "https://x.id"):
        assert not _private(public), public


def test_private_links_of_a_public_feed_are_refused() -> None:
    from ringkas.sources.feeds import FeedItem, keep_reachable

    public = "https://www.example.id/rss"
    listed = [
        FeedItem("http://192.168.1.1/admin", public),
        FeedItem("https://www.example.id/berita/1", public),
        FeedItem("http://127.0.0.1:8080/a", "http://127.0.0.1:8080/rss"),  # local feed: fine
        FeedItem("http://10.1.2.3/b", "langganan.opml"),  # the user's own file: fine
    ]
    items, errors = keep_reachable(listed)
    assert [i.url for i in items] == [i.url for i in listed[1:]]
    assert (
        errors[0]
        .one_line()
        .startswith(
            "http://192.168.1.1/admin: not fetched: the feed https://www.example.id/rss links to a"
        )
    )


def test_feed_links_with_control_characters_are_left_out() -> None:
    data = rss20(ARTICLES[:1], "http://127.0.0.1:9").replace(
        "</channel>",
        "<item><title>x</title><link>http://127.0.0.1:9/a\x1b[31m</link></item></channel>",
    )
    items = parse_feed(data.encode("utf-8"), "rss.xml")
    assert [i.url for i in items] == [f"http://127.0.0.1:9/berita/{ARTICLES[0].slug}"]


def test_parse_feed_resolves_relative_links() -> None:
    data = atom(ARTICLES, "http://127.0.0.1:9").encode()
    items = parse_feed(data, "atom.xml")
    assert items[0].url == f"http://127.0.0.1:9/berita/{ARTICLES[0].slug}"


def test_select_items_keeps_undated_items_after_dated_ones() -> None:
    from ringkas.sources.feeds import FeedItem

    old = FeedItem("http://x/1", "f", published=datetime(2020, 1, 1, tzinfo=timezone.utc))
    new = FeedItem("http://x/2", "f", published=datetime(2025, 1, 1, tzinfo=timezone.utc))
    undated = FeedItem("http://x/3", "f")
    assert select_items([undated, old, new]) == [new, old, undated]
    since = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert select_items([undated, old, new], since=since) == [new, undated]
    assert select_items([undated, old, new], limit=1) == [new]


def test_parse_since() -> None:
    now = datetime(2025, 6, 18, 12, 0, tzinfo=timezone.utc)
    assert parse_since("6h", now=now) == now - timedelta(hours=6)
    assert parse_since("2d", now=now) == now - timedelta(days=2)
    assert parse_since("30m", now=now) == now - timedelta(minutes=30)
    assert parse_since("1w", now=now) == now - timedelta(weeks=1)
    assert parse_since("2025-06-18T08:00+07:00") == datetime(2025, 6, 18, 1, 0, tzinfo=timezone.utc)
    assert parse_since("2025-06-18T08:00Z") == datetime(2025, 6, 18, 8, 0, tzinfo=timezone.utc)
    local = parse_since("2025-06-18")
    assert local.tzinfo is not None and (local.year, local.month, local.day) == (2025, 6, 18)
    from ringkas.errors import UsageError

    with pytest.raises(UsageError, match="is not a date"):
        parse_since("kemarin")
