"""Links and feeds through the CLI, on tiny models, against the local news site."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED, TinyModels
from ringkas.cli import cli
from ringkas.errors import ExitCode
from web_site import Reply, WebSite, atom, detik_page, paywall_page, rss20, seed_articles

ARTICLES = seed_articles()


def invoke(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), input=input, env=env)


def models(tiny: TinyModels) -> list[str]:
    return ["-t", str(tiny.marian), "-s", str(tiny.t5), "-l", "short"]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("ringkas: error: ")]


def test_a_link_and_a_file_together(tiny: TinyModels, web_site: WebSite) -> None:
    article = ARTICLES[0]
    url = web_site.article("detik", article)
    result = invoke("summarize", str(SEED), url, *models(tiny), "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [item["source"] for item in data] == [str(SEED), url]
    from_file, from_link = data
    assert from_link["summary"].strip()
    metadata = from_link["metadata"]
    assert {
        k: metadata[k] for k in ("url", "final_url", "title", "date", "author", "sitename")
    } == {
        "url": url,
        "final_url": url,
        "title": article.title,
        "date": "2023-03-08",
        "author": article.author,
        "sitename": article.site,
    }
    assert metadata["format"] == "html"
    # The same story read from the page and from the file: the same sentences, once the
    # cleaner has done its work (the page's "Baca juga" box and ads are gone).
    assert [s["source"] for s in from_link["sentences"]] == [
        s["source"] for s in from_file["sentences"]
    ]
    assert "url" not in from_file["metadata"]
    assert web_site.requests[-1].headers["User-Agent"].startswith("ringkas/")


def test_bad_links_fail_alone(tiny: TinyModels, web_site: WebSite, tmp_path: Path) -> None:
    good = web_site.article("kompas", ARTICLES[1])
    web_site.page("/lambat", detik_page(ARTICLES[0], "x"), delay=10)
    web_site.page("/premium", paywall_page(ARTICLES[0], "x"))
    web_site.page("/laporan.pdf", b"%PDF-1.7", content_type="application/pdf")
    web_site.page("/rusak", "x", status=500)
    bad = {
        web_site.url("/hilang"): "HTTP 404 Not Found",
        web_site.url("/lambat"): "timed out (the server sent nothing for 2 s)",
        web_site.url("/premium"): "the article is for subscribers only",
        web_site.url("/laporan.pdf"): "is not a web page (application/pdf)",
        web_site.url("/rusak"): "HTTP 500 Internal Server Error",
    }
    listing = tmp_path / "daftar.txt"
    listing.write_text("\n".join([*bad, str(SEED)]) + "\n", "utf-8")
    result = invoke(
        "summarize",
        good,
        "--files-from",
        str(listing),
        *models(tiny),
        "--timeout",
        "2",
        "-f",
        "jsonl",
        env={"RINGKAS_RETRIES": "0"},
    )
    assert result.exit_code == ExitCode.INPUT_FAILED, result.stderr
    errors = error_lines(result.stderr)
    assert len(errors) == len(bad)
    for line, (url, reason) in zip(errors, bad.items(), strict=True):
        assert line.startswith(f"ringkas: error: {url}: {reason}"), line
    records = [json.loads(line) for line in result.stdout.splitlines()]
    done = [r["source"] for r in records if "summary" in r]
    failed = [r["source"] for r in records if "error" in r]
    assert done == [good, str(SEED)]
    assert failed == list(bad)
    assert web_site.hits("/rusak") == 1  # RINGKAS_RETRIES=0


def test_offline_fetches_nothing(tiny: TinyModels, web_site: WebSite) -> None:
    urls = [web_site.article("detik", a) for a in ARTICLES[:2]]
    result = invoke("summarize", *urls, str(SEED), *models(tiny), env={"RINGKAS_OFFLINE": "1"})
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert error_lines(result.stderr) == [
        f"ringkas: error: {url}: not fetched: offline (RINGKAS_OFFLINE is set)" for url in urls
    ]
    assert result.stdout.strip()  # the file is summarised
    assert web_site.requests == []


def test_user_agent_and_size_limit(tiny: TinyModels, web_site: WebSite, tmp_path: Path) -> None:
    url = web_site.article("tribun", ARTICLES[0])
    result = invoke("translate", url, "-t", str(tiny.marian), "--user-agent", "Redaksi/1.0")
    assert result.exit_code == 0, result.stderr
    assert web_site.requests[-1].headers["User-Agent"] == "Redaksi/1.0"
    config = tmp_path / "config.toml"
    config.write_text('user_agent = "Dari Konfigurasi/2.0"\n', "utf-8")
    result = invoke("translate", url, "-t", str(tiny.marian), "--config", str(config))
    assert result.exit_code == 0, result.stderr
    assert web_site.requests[-1].headers["User-Agent"] == "Dari Konfigurasi/2.0"
    result = invoke("translate", url, "-t", str(tiny.marian), "--max-size", "4KB")
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert "over the size limit of 4 KB (raise the limit with --max-size)" in result.stderr
    result = invoke("translate", url, "-t", str(tiny.marian), "--user-agent", "a\tb")
    assert result.exit_code == ExitCode.USAGE


def test_check_reads_the_article_from_a_link(
    tiny: TinyModels, web_site: WebSite, tmp_path: Path
) -> None:
    url = web_site.article("wordpress", ARTICLES[0])
    summary = tmp_path / "ringkasan.txt"
    summary.write_text("The meeting was held at Hotel Santika on 8 March 2023.\n", "utf-8")
    result = invoke("check", url, str(summary), "--no-translate", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["metadata"]["url"] == url
    assert data["checks"] is not None


# -- feeds -----------------------------------------------------------------------------------


def feed_job(tiny: TinyModels, feed: str, out: Path, report: Path, *more: str):
    return invoke(
        "summarize",
        "--feed",
        feed,
        *models(tiny),
        "-O",
        str(out),
        "-f",
        "json",
        "--report",
        str(report),
        *more,
    )


def test_a_feed_twice_does_nothing_the_second_time_and_a_new_item_next(
    tiny: TinyModels, web_site: WebSite, tmp_path: Path
) -> None:
    for article in ARTICLES:
        web_site.article("detik", article)
    first, later = ARTICLES[:2], ARTICLES[2]
    web_site.page("/rss", rss20(first, web_site.base), content_type="application/rss+xml")
    feed, out, report = web_site.url("/rss"), tmp_path / "ringkasan", tmp_path / "laporan.json"

    result = feed_job(tiny, feed, out, report)
    assert result.exit_code == 0, result.stderr
    counts = json.loads(report.read_text())["counts"]
    assert (counts["done"], counts["skipped"]) == (2, 0)
    host = f"127.0.0.1-{web_site.port}"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert written == sorted(f"{host}/berita/{a.slug}.json" for a in first)
    result_json = json.loads((out / f"{host}/berita/{first[0].slug}.json").read_text())
    assert result_json["metadata"]["feed"] == feed
    assert result_json["metadata"]["title"] == first[0].title

    result = feed_job(tiny, feed, out, report)
    assert result.exit_code == 0, result.stderr
    counts = json.loads(report.read_text())["counts"]
    assert (counts["done"], counts["skipped"]) == (0, 2)  # same links, same text: nothing

    web_site.page("/rss", rss20(ARTICLES, web_site.base), content_type="application/rss+xml")
    result = feed_job(tiny, feed, out, report)
    assert result.exit_code == 0, result.stderr
    items = json.loads(report.read_text())["items"]
    assert [(i["source"], i["status"]) for i in items if i["status"] == "done"] == [
        (web_site.url(f"/berita/{later.slug}"), "done")
    ]
    assert sum(i["status"] == "skipped" for i in items) == 2

    # A page whose boilerplate changed (another "Baca juga" link, a new layout) is the same
    # article: not done again. One whose article text changed is, at the same address.
    shuffled = replace(first[0], related=("Banjir Rob Genangi Pesisir Ambon",))
    web_site.article("kompas", shuffled)
    result = feed_job(tiny, feed, out, report)
    counts = json.loads(report.read_text())["counts"]
    assert (counts["done"], counts["skipped"]) == (0, 3)
    corrected = replace(first[0], paragraphs=(*first[0].paragraphs[:-1], "Ralat: rakor diundur."))
    web_site.article("kompas", corrected)
    result = feed_job(tiny, feed, out, report)
    items = json.loads(report.read_text())["items"]
    assert [i["source"] for i in items if i["status"] == "done"] == [
        web_site.url(f"/berita/{first[0].slug}")
    ]


def test_feeds_with_limit_since_and_a_bad_feed(
    tiny: TinyModels, web_site: WebSite, tmp_path: Path
) -> None:
    for article in ARTICLES:
        web_site.article("liputan6", article)
    web_site.page("/rss", rss20(ARTICLES, web_site.base), content_type="application/rss+xml")
    web_site.page("/atom", atom(ARTICLES, web_site.base), content_type="application/atom+xml")
    result = invoke(
        "summarize",
        "--feed",
        web_site.url("/rss"),
        "--feed",
        web_site.url("/atom"),  # the same items: each link is read once
        "--feed",
        web_site.url("/tidak-ada"),
        "--limit",
        "2",
        *models(tiny),
        "-f",
        "json",
    )
    assert result.exit_code == ExitCode.INPUT_FAILED, result.stderr
    assert error_lines(result.stderr) == [
        f"ringkas: error: {web_site.url('/tidak-ada')}: HTTP 404 Not Found (check the address)"
    ]
    newest = sorted(ARTICLES, key=lambda a: a.published, reverse=True)
    data = json.loads(result.stdout)
    assert [d["source"] for d in data] == [web_site.url(f"/berita/{a.slug}") for a in newest[:2]]

    result = invoke(
        "summarize",
        "--feed",
        web_site.url("/rss"),
        "--since",
        "2023-03-09T00:00+09:00",
        *models(tiny),
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["source"] == web_site.url(f"/berita/{newest[0].slug}")


def test_feed_usage_errors(tiny: TinyModels, web_site: WebSite) -> None:
    result = invoke("summarize", str(SEED), "--limit", "3", *models(tiny))
    assert result.exit_code == ExitCode.USAGE
    assert "--limit and --since choose among the items of a --feed" in result.stderr
    result = invoke("summarize", "--feed", web_site.url("/rss"), "--since", "kemarin")
    assert result.exit_code == ExitCode.USAGE
    assert "kemarin" in result.stderr or "--since" in result.stderr


def test_retry_after_through_the_cli(tiny: TinyModels, web_site: WebSite) -> None:
    page = Reply(detik_page(ARTICLES[0], "x"))
    calls = []

    def route(request: object) -> Reply:
        calls.append(request)
        if len(calls) == 1:
            return Reply("sibuk", status=429, headers={"Retry-After": "1"})
        return page

    web_site.routes["/ramai"] = route
    result = invoke("translate", web_site.url("/ramai"), "-t", str(tiny.marian))
    assert result.exit_code == 0, result.stderr
    assert len(calls) == 2


@pytest.mark.parametrize("command", ["summarize", "translate"])
def test_help_mentions_links_and_feeds(command: str) -> None:
    result = invoke(command, "--help")
    assert "URL" in result.stdout and "--feed" in result.stdout and "--user-agent" in result.stdout
