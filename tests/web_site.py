"""A local news web site for the tests: real HTTP on 127.0.0.1, never anything else.

:class:`WebSite` serves whatever the test puts in ``site.routes`` (a path, with or without
its query, mapped to a :class:`Reply` or to a function of the :class:`Request` that returns
one) on a free port of 127.0.0.1. It counts what it served, bounds the number of requests,
the length of every slow or endless reply and its own lifetime, and is stopped by the
``web_site`` fixture (tests/test_web_site.py and the CLI tests use it through conftest).

The pages are built from real articles in the layouts of real Indonesian news sites (the
markup classes, navigation, "Baca juga" boxes, ads, comments and related links as those
sites have them; see :data:`LAYOUTS`), plus a paginated article, an index page and a
paywall stub. Feeds come in every format ringkas reads: RSS 0.91, RSS 1.0 (RDF), RSS 2.0
and Atom, and an OPML list of feeds.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

WIB = timezone(timedelta(hours=7), "WIB")
WIT = timezone(timedelta(hours=9), "WIT")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"

# -- articles -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """A news story as a site publishes it: headline, body paragraphs, byline, date."""

    slug: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    author: str
    site: str  # the outlet's name (og:site_name)
    related: tuple[str, ...] = ("Harga Cabai Rawit di Ambon Naik Jelang Ramadan",)


def seed_articles() -> list[Article]:
    """Three stories from the committed example article (examples/articles/, its source named
    in its last line): the whole article, and its opening and its closing as two shorter
    stories, so that a feed has several items with different text."""
    lines = (EXAMPLES / "maluku-kumkm.txt").read_text("utf-8").splitlines()
    paragraphs = tuple(line for line in lines if line.strip() and not line.startswith("Sumber"))
    base = Article(
        slug="sekda-mintakan-pengembangan-koperasi-dan-umkm",
        title="Sekda Mintakan Pengembangan Koperasi dan UMKM Miliki Potensi Kurangi Kemiskinan",
        paragraphs=paragraphs,
        published=datetime(2023, 3, 8, 14, 2, tzinfo=WIT),
        author="Nona Latuconsina",
        site="Maluku Bersatu",
    )
    opening = replace(
        base,
        slug="rakor-kumkm-maluku-dibuka-di-hotel-santika",
        title="Rakor KUMKM Maluku Dibuka di Hotel Santika",
        paragraphs=paragraphs[:2],
        published=datetime(2023, 3, 8, 10, 15, tzinfo=WIT),
    )
    closing = replace(
        base,
        slug="sekda-umkm-harus-bertransformasi-di-era-industri-4-0",
        title="Sekda: UMKM Harus Bertransformasi di Era Industri 4.0",
        paragraphs=paragraphs[2:],
        published=datetime(2023, 3, 9, 9, 30, tzinfo=WIT),
    )
    return [base, opening, closing]


def corpus_articles(corpus: Path, count: int = 6) -> list[Article]:
    """Stories from the shared corpus (``../shared/corpus``), titles from its manifest."""
    articles = []
    with (corpus / "manifest.jsonl").open(encoding="utf-8") as manifest:
        entries = [json.loads(line) for line in manifest if line.strip()]
    for number, entry in enumerate(e for e in entries if e.get("kind") == "article"):
        text = (corpus / entry["file"]).read_text("utf-8")
        paragraphs = tuple(line.strip() for line in text.splitlines() if line.strip())
        if len(paragraphs) < 2 or not entry.get("title"):
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", entry["title"].lower()).strip("-")[:60]
        articles.append(
            Article(
                slug=f"{number:03}-{slug}",
                title=entry["title"],
                paragraphs=paragraphs,
                published=datetime(2025, 6, 18, 8, 0, tzinfo=WIB) + timedelta(minutes=number),
                author="Tim Redaksi",
                site=entry.get("outlet") or "Berita",
            )
        )
        if len(articles) == count:
            break
    return articles


# -- pages in the layouts of real Indonesian news sites ----------------------------------

# What a reader sees around every article and what must never reach a summary.
NAVIGATION = ("Beranda", "Nasional", "Ekonomi Bisnis", "Olahraga", "Hiburan", "Otomotif")
CHROME = (
    "Berita Terpopuler",
    "Promo ponsel lipat diskon 40 persen hanya minggu ini",
    "Mantap pak Sekda, semoga UMKM Maluku makin maju",
    "Pedoman Media Siber",
    "Hak cipta dilindungi undang-undang",
)

_esc = html.escape


def _head(article: Article, url: str, extra: str = "", **structured: object) -> str:
    published = article.published.isoformat()
    ld: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": published,
        "dateModified": published,
        "author": {"@type": "Person", "name": article.author},
        "publisher": {"@type": "Organization", "name": article.site},
        "mainEntityOfPage": url,
        **structured,
    }
    return f"""<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(article.title)} - {_esc(article.site)}</title>
<meta name="description" content="{_esc(article.paragraphs[0][:150])}">
<meta name="author" content="{_esc(article.author)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{_esc(article.title)}">
<meta property="og:site_name" content="{_esc(article.site)}">
<meta property="og:url" content="{_esc(url)}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{_esc(url)}">
{extra}
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"kanal": "berita"}});</script>
<style>.ads {{ min-height: 250px }}</style>
</head>"""


def _nav(css: str = "navbar") -> str:
    items = "".join(
        f'<li><a href="/kanal/{i}">{_esc(name)}</a></li>' for i, name in enumerate(NAVIGATION)
    )
    return f'<header class="header"><nav class="{css}"><ul>{items}</ul></nav></header>'


def _popular(article: Article) -> str:
    links = "".join(
        f'<li><a href="/populer/{i}">{_esc(t)}</a></li>' for i, t in enumerate(article.related)
    )
    return f'<div class="box-populer"><h2>{CHROME[0]}</h2><ol>{links}</ol></div>'


def _ad() -> str:
    return f'<div class="ads"><ins class="adsbygoogle"></ins><a href="/promo">{CHROME[1]}</a></div>'


def _footer() -> str:
    return (
        '<footer class="footer"><ul><li><a href="/redaksi">Redaksi</a></li>'
        f'<li><a href="/pedoman">{CHROME[3]}</a></li></ul>'
        f"<p>Copyright 2025. {CHROME[4]}.</p></footer>"
    )


def _comments() -> str:
    return f"""<div id="comments" class="comments-area">
<h2 class="comments-title">2 tanggapan</h2>
<ol class="comment-list">
<li class="comment"><div class="comment-author">Andi</div>
<div class="comment-content"><p>{CHROME[2]}</p></div></li>
<li class="comment"><div class="comment-author">Rina</div>
<div class="comment-content"><p>Semoga bermanfaat untuk pelaku usaha kecil di desa.</p></div></li>
</ol>
<div id="respond"><h3>Tinggalkan Balasan</h3><form><textarea name="comment"></textarea>
<button>Kirim Komentar</button></form></div></div>"""


def _paragraphs(paragraphs: Iterable[str], insert: Callable[[int], str]) -> str:
    """The body's paragraphs with boxes inserted between them, as the sites do."""
    return "\n".join(f"<p>{_esc(p)}</p>{insert(i)}" for i, p in enumerate(paragraphs))


def detik_page(article: Article, url: str) -> str:
    """detik.com: detail__body-text, a "SCROLL TO CONTINUE" ad, a linksisip "Baca juga"."""
    related = article.related[0]

    def insert(i: int) -> str:
        if i == 0:
            return (
                '<div class="parallaxindetail scrollpage"><div class="ads-scrollpage-container">'
                '<div class="ads-scrollpage-top"><span>ADVERTISEMENT</span></div></div>'
                '<p class="para_caption">SCROLL TO CONTINUE WITH CONTENT</p></div>'
            )
        if i == 1:
            return (
                '<table class="linksisip"><tr><td><div class="lihatjg"><strong>Baca juga:'
                f'</strong> <a href="/berita/d-1/x">{_esc(related)}</a></div></td></tr></table>'
            )
        return ""

    date = article.published.strftime("%d %b %Y %H:%M WIB")
    publishdate = f'<meta name="publishdate" content="{article.published:%Y/%m/%d %H:%M:%S}">'
    return f"""<!DOCTYPE html>
<html lang="id">{_head(article, url, publishdate)}
<body>{_nav()}
<div class="container"><div class="grid-row content__bg"><div class="column-8">
<article class="detail">
<div class="detail__header"><h1 class="detail__title">{_esc(article.title)}</h1>
<div class="detail__author">{_esc(article.author)} - detikNews</div>
<div class="detail__date">Rabu, {date}</div></div>
<div class="detail__media"><figure class="detail__media-image"><img src="/foto.jpg" alt="">
<figcaption class="detail__media-caption">Foto: Dok. Pemprov (detikcom)</figcaption></figure></div>
<div class="detail__body itp_bodycontent_wrapper"><div class="detail__body-text itp_bodycontent">
{_paragraphs(article.paragraphs, insert)}
<p>(abc/def)</p>
</div></div>
<div class="detail__body-tag"><div class="nav">
<a class="nav__item" href="/tag/umkm">umkm</a></div></div>
</article>{_ad()}</div>
<div class="column-4">{_popular(article)}</div></div></div>
{_footer()}</body></html>"""


def kompas_page(article: Article, url: str, *, pages: int = 1, page: int = 1) -> str:
    """kompas.com: read__content, "Baca juga:" in its own paragraph; articles are cut into
    pages with a "Halaman" bar and, in the head, rel=next/prev links."""
    related = article.related[0]
    per_page = -(-len(article.paragraphs) // pages)
    shown = article.paragraphs[(page - 1) * per_page : page * per_page]

    def insert(i: int) -> str:
        if i == 0:
            return (
                f'<p><strong>Baca juga: <a href="/read/2023/x" class="inner-link-baca-juga">'
                f"{_esc(related)}</a></strong></p>"
            )
        return _ad() if i == 1 else ""

    base = url.split("?", 1)[0]
    links = ""
    if page < pages:
        links += f'<link rel="next" href="{_esc(base)}?page={page + 1}">'
    if page > 1:
        links += f'<link rel="prev" href="{_esc(base)}?page={page - 1}">'
    paging = ""
    if pages > 1:
        numbers = "".join(
            f'<a class="paging__link{" paging__link--active" if n == page else ""}" '
            f'href="{_esc(base)}?page={n}">{n}</a>'
            for n in range(1, pages + 1)
        )
        paging = f'<div class="paging"><div class="paging__wrap">Halaman: {numbers}</div></div>'
    date = article.published.strftime("%d/%m/%Y, %H:%M WIB")
    return f"""<!DOCTYPE html>
<html lang="id">{_head(article, url, links)}
<body>{_nav("nav")}
<div class="container clearfix"><div class="col-bs10-7">
<div class="read__header"><h1 class="read__title">{_esc(article.title)}</h1>
<div class="read__time">Kompas.com - {date}</div>
<div class="credit-title-name"><h6>Penulis {_esc(article.author)}</h6></div></div>
<div class="read__article clearfix"><div class="read__content"><div class="clearfix">
{_paragraphs(shown, insert)}
</div>{paging}</div></div></div>
<div class="col-bs10-3">{_popular(article)}</div></div>
{_footer()}</body></html>"""


def tribun_page(article: Article, url: str) -> str:
    """tribunnews.com: side-article txt-article, bold "Baca juga" links, "Artikel ini telah
    tayang" at the end, a related list below."""
    related = article.related[0]

    def insert(i: int) -> str:
        if i == 1:
            return f'<p><strong>Baca juga: <a href="/regional/x">{_esc(related)}</a></strong></p>'
        return _ad() if i == 2 else ""

    return f"""<!DOCTYPE html>
<html lang="id">{_head(article, url)}
<body>{_nav("menu")}
<div class="main"><div id="article">
<h1 id="arttitle">{_esc(article.title)}</h1>
<div class="credit"><div class="mt5"><a href="/penulis/x">Penulis: {_esc(article.author)}</a></div>
<time>{article.published.strftime("%A, %d %B %Y %H:%M WIB")}</time></div>
<div class="side-article txt-article multi-fontsize">
{_paragraphs(article.paragraphs, insert)}
<p>Artikel ini telah tayang di <a href="/">TribunAmbon.com</a></p>
</div>
<div class="mb20"><h3>Berita Terkait</h3><ul><li><a href="/x">{_esc(related)}</a></li></ul></div>
</div>{_popular(article)}</div>
{_footer()}</body></html>"""


def liputan6_page(article: Article, url: str) -> str:
    """liputan6.com: article-content-body items, an "Advertisement" label, a "Baca Juga"
    collection box."""
    related = article.related[0]

    def insert(i: int) -> str:
        if i == 0:
            return (
                '<div class="baca-juga-collections"><div class="baca-juga-collections__title">'
                f'Baca Juga</div><ul><li><a href="/news/read/1">{_esc(related)}</a></li></ul></div>'
            )
        if i == 1:
            return '<div class="advertisement-text">Advertisement</div>' + _ad()
        return ""

    return f"""<!DOCTYPE html>
<html lang="id">{_head(article, url)}
<body>{_nav("navbar--top")}
<article class="hentry main read-page--full">
<header class="read-page--header">
<h1 class="read-page--header--title entry-title">{_esc(article.title)}</h1>
<div class="read-page--header--author__wrapper"><span class="read-page--header--author__name fn">
{_esc(article.author)}</span>
<time class="read-page--header--author__datetime updated"
 datetime="{article.published.isoformat()}">
{article.published.strftime("%d %b %Y, %H:%M WIB")}</time></div></header>
<div class="article-content-body article-content-body_with-aside">
<div class="article-content-body__item-page">
<div class="article-content-body__item-content">
{_paragraphs(article.paragraphs, insert)}
</div></div></div></article>
{_popular(article)}{_footer()}</body></html>"""


def wordpress_page(article: Article, url: str) -> str:
    """A regional WordPress news site (malukubersatu.com and many like it): entry-content,
    ad blocks between paragraphs, Jetpack related posts, reader comments, a sidebar."""
    related = article.related[0]

    def insert(i: int) -> str:
        return f'<div class="code-block code-block-{i}">{_ad()}</div>' if i == 1 else ""

    return f"""<!DOCTYPE html>
<html lang="id-ID">{_head(article, url)}
<body class="post-template-default single single-post">
<div id="page" class="site">{_nav("main-navigation")}
<div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
<article class="post type-post status-publish format-standard hentry category-daerah">
<header class="entry-header"><h1 class="entry-title">{_esc(article.title)}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published"
datetime="{article.published.isoformat()}">{article.published.strftime("%d %B %Y")}</time></span>
<span class="byline"> oleh <span class="author vcard"><a class="url fn n" href="/author/x">
{_esc(article.author)}</a></span></span></div></header>
<div class="entry-content">
{_paragraphs(article.paragraphs, insert)}
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">Terkait</h3>
<div class="jp-relatedposts-items"><p class="jp-relatedposts-post-title">
<a href="/x">{_esc(related)}</a></p></div></div>
</div></article>
{_comments()}
</main></div>
<aside id="secondary" class="widget-area">{_popular(article)}</aside></div>
{_footer()}</div></body></html>"""


LAYOUTS: dict[str, Callable[[Article, str], str]] = {
    "detik": detik_page,
    "kompas": kompas_page,
    "tribun": tribun_page,
    "liputan6": liputan6_page,
    "wordpress": wordpress_page,
}


def index_page(articles: Iterable[Article], base: str) -> str:
    """A channel's front page: only headlines and teasers, no article."""
    teasers = "".join(
        f'<li class="list-content__item"><h3><a href="{base}/berita/{a.slug}">{_esc(a.title)}</a>'
        f"</h3><span>{a.published:%d/%m/%Y}</span></li>"
        for a in articles
    )
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Berita Daerah Terkini - Maluku Bersatu</title>
<meta property="og:type" content="website"></head>
<body>{_nav()}<main><h1>Berita Daerah</h1><ul class="list-content">{teasers}</ul>
<div class="paging"><a href="?page=2">Selanjutnya</a></div></main>{_footer()}</body></html>"""


def paywall_page(article: Article, url: str, *, teaser: bool = True) -> str:
    """A subscribers-only story: the headline and its opening paragraph, the rest behind a
    login; marked, as Google asks paywalled news to be, with isAccessibleForFree: false."""
    opening = f"<p>{_esc(article.paragraphs[0])}</p>" if teaser else ""
    head = _head(
        article,
        url,
        isAccessibleForFree=False,
        hasPart={
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": ".paywall",
        },
    )
    return f"""<!DOCTYPE html>
<html lang="id">{head}
<body>{_nav()}<main><article><h1>{_esc(article.title)}</h1>{opening}
<div class="paywall"><p>Artikel ini khusus untuk pelanggan.</p>
<a class="btn" href="/langganan">Berlangganan sekarang</a> <a href="/masuk">Masuk</a></div>
</article></main>{_footer()}</body></html>"""


# -- feeds --------------------------------------------------------------------------------


def _rfc822(when: datetime) -> str:
    return format_datetime(when)


def rss20(articles: Iterable[Article], base: str, *, title: str = "Maluku Bersatu") -> str:
    items = "".join(
        f"""<item><title>{_esc(a.title)}</title><link>{base}/berita/{a.slug}</link>
<guid isPermaLink="true">{base}/berita/{a.slug}</guid><pubDate>{_rfc822(a.published)}</pubDate>
<dc:creator>{_esc(a.author)}</dc:creator>
<description><![CDATA[<p>{_esc(a.paragraphs[0][:120])}...</p>]]></description></item>
"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>{_esc(title)}</title><link>{base}/</link><description>Berita terkini</description>
<language>id</language><atom:link href="{base}/rss" rel="self" type="application/rss+xml"/>
{items}</channel></rss>"""


def rss091(articles: Iterable[Article], base: str) -> str:
    """RSS 0.91 items have no dates."""
    items = "".join(
        f"<item><title>{_esc(a.title)}</title><link>{base}/berita/{a.slug}</link>"
        f"<description>{_esc(a.paragraphs[0][:120])}</description></item>\n"
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Maluku Bersatu</title><link>{base}/</link>
<description>Berita terkini</description><language>id</language>
{items}</channel></rss>"""


def rss10(articles: Iterable[Article], base: str) -> str:
    articles = list(articles)
    seq = "".join(f'<rdf:li rdf:resource="{base}/berita/{a.slug}"/>' for a in articles)
    items = "".join(
        f"""<item rdf:about="{base}/berita/{a.slug}"><title>{_esc(a.title)}</title>
<link>{base}/berita/{a.slug}</link><dc:date>{a.published.isoformat()}</dc:date>
<dc:creator>{_esc(a.author)}</dc:creator></item>
"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{base}/rdf"><title>Maluku Bersatu</title><link>{base}/</link>
<description>Berita terkini</description><items><rdf:Seq>{seq}</rdf:Seq></items></channel>
{items}</rdf:RDF>"""


def atom(articles: Iterable[Article], base: str) -> str:
    """Atom with relative links, resolved against xml:base as feed readers do."""
    entries = "".join(
        f"""<entry><title>{_esc(a.title)}</title>
<link rel="alternate" type="text/html" href="berita/{a.slug}"/>
<id>tag:malukubersatu.test,2023:{a.slug}</id><published>{a.published.isoformat()}</published>
<updated>{a.published.isoformat()}</updated><author><name>{_esc(a.author)}</name></author>
<summary>{_esc(a.paragraphs[0][:120])}</summary></entry>
"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base}/">
<title>Maluku Bersatu</title><id>tag:malukubersatu.test,2023:feed</id>
<link rel="self" href="{base}/atom"/><updated>2023-03-09T09:30:00+09:00</updated>
{entries}</feed>"""


def opml(feeds: Iterable[str]) -> str:
    outlines = "".join(
        f'<outline type="rss" text="Feed {i}" title="Feed {i}" xmlUrl="{_esc(url)}"/>'
        for i, url in enumerate(feeds)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Langganan redaksi</title></head>
<body><outline text="Daerah" title="Daerah">{outlines}</outline></body></opml>"""


# -- the server ---------------------------------------------------------------------------


@dataclass
class Reply:
    """What the site answers. ``body`` may be an iterator: sent chunked, as it comes.
    ``encode`` ("gzip" or "br") compresses the body when the client accepts it."""

    body: bytes | str | Iterable[bytes] = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow server)
    encode: str | None = None


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # with its query
    headers: dict[str, str]
    at: float


Route = Reply | Callable[[Request], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    site: WebSite

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (a size limit, a timeout) is part of the tests, not news."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError, ssl.SSLError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 10  # an idle keep-alive connection is closed by the site after this

    def do_GET(self) -> None:
        self.server.site._serve(self)

    def do_HEAD(self) -> None:
        self.server.site._serve(self, head=True)

    def log_message(self, format: str, *args: object) -> None:
        pass


class WebSite:
    """A news site on 127.0.0.1 at a free port; ``site.url("/path")`` is its address."""

    def __init__(
        self,
        *,
        max_requests: int = 500,
        lifetime: float = 300.0,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        self.tls = tls  # (certificate, key): serve https
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.max_requests = max_requests
        self.lifetime = lifetime
        self.refused = 0  # requests past max_requests
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None

    # -- lifecycle

    def start(self) -> WebSite:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.site = self
        if self.tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
            server.socket = context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self._timer = threading.Timer(self.lifetime, self.stop)  # never outlives a hung test
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._timer is not None:
            self._timer.cancel()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> WebSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "the site is not running"
        return int(self._server.server_address[1])

    @property
    def base(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    # -- content

    def page(self, path: str, body: str | bytes, **reply: object) -> str:
        """Serve ``body`` at ``path``; returns its URL."""
        self.routes[path] = Reply(body, **reply)  # type: ignore[arg-type]
        return self.url(path)

    def article(self, layout: str, article: Article, *, prefix: str = "/berita") -> str:
        path = f"{prefix}/{article.slug}"
        url = self.url(path)
        return self.page(path, LAYOUTS[layout](article, url))

    def paginated(self, article: Article, pages: int, *, prefix: str = "/read") -> str:
        path = f"{prefix}/{article.slug}"
        url = self.url(path)
        self.routes[path] = Reply(kompas_page(article, url, pages=pages, page=1))
        for number in range(1, pages + 1):
            page_url = f"{url}?page={number}"
            self.routes[f"{path}?page={number}"] = Reply(
                kompas_page(article, page_url, pages=pages, page=number)
            )
        return url

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        self.routes[path] = Reply(b"", status=status, content_type=None, headers={"Location": to})
        return self.url(path)

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.path == path)

    # -- serving

    def _route(self, path: str) -> Route | None:
        if path in self.routes:
            return self.routes[path]
        return self.routes.get(urlsplit(path).path)

    def _serve(self, handler: _Handler, *, head: bool = False) -> None:
        request = Request(
            handler.command, handler.path, dict(handler.headers.items()), time.monotonic()
        )
        with self._lock:
            if len(self.requests) >= self.max_requests:
                self.refused += 1
                handler.close_connection = True
                return  # bounded: a client in a loop gets nothing more
            self.requests.append(request)
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            route = self._route(handler.path)
            if route is None:
                reply = Reply(NOT_FOUND, 404)
            else:
                reply = route(request) if callable(route) else route
            if reply.delay and self._stopping.wait(reply.delay):
                return
            self._send(handler, request, reply, head=head)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            handler.close_connection = True  # the client went away: fine
        finally:
            with self._lock:
                self.active -= 1

    def _send(self, handler: _Handler, request: Request, reply: Reply, *, head: bool) -> None:
        body = reply.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        handler.send_response(reply.status)
        if reply.content_type:
            handler.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        if isinstance(body, bytes):
            accepted = request.headers.get("Accept-Encoding", "")
            if reply.encode and reply.encode in accepted:
                body = _compress(body, reply.encode)
                handler.send_header("Content-Encoding", reply.encode)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if not head:
                handler.wfile.write(body)
            return
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        if head:
            return
        for chunk in body:
            if self._stopping.is_set():
                handler.close_connection = True
                return
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")


NOT_FOUND = b"<html><body><h1>404 Halaman tidak ditemukan</h1></body></html>"
ENDLESS_CHUNK = b"<p>" + b"Berita tanpa akhir. " * 400 + b"</p>\n"


def _compress(data: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.compress(data)
    if encoding == "br":
        import brotli

        return bytes(brotli.compress(data, quality=4))  # what servers use on the fly
    raise ValueError(encoding)


def endless(chunk: bytes = ENDLESS_CHUNK, limit: int = 256 << 20) -> Iterator[bytes]:
    """A body that goes on and on (bounded at ``limit`` bytes so the site stops by itself)."""
    yield b"<!DOCTYPE html><html><body>"
    sent = 0
    while sent < limit:
        yield chunk
        sent += len(chunk)


def dripping(data: bytes, pieces: int, pause: float) -> Iterator[bytes]:
    """A body sent in pieces with pauses between them (a slow server that keeps sending)."""
    step = -(-len(data) // pieces)
    for start in range(0, len(data), step):
        yield data[start : start + step]
        time.sleep(pause)
