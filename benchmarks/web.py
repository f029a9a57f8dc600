"""Fetching links: one at a time against the batch job's reading ahead, on a local site.

Usage: python benchmarks/web.py [--links 24] [--latency 0.25]

Serves article pages from the tests' local news site (tests/web_site.py, 127.0.0.1 only),
each answered after ``--latency`` seconds as a distant server would, half of them under the
host name ``localhost`` so that there are two hosts. Reads every link twice with the real
code: one at a time (read_item in a loop), then as ``ringkas summarize`` does (the job's
reader: four downloads at a time, at most two per host, ahead of the pipeline). Prints the
seconds of each, their ratio, and the most requests the site saw at once; then how far a
compressed answer that unpacks to 256 MB gets before the size limit stops it.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]

from ringkas.batch import Job, JobOptions  # noqa: E402
from ringkas.progress import Progress  # noqa: E402
from ringkas.sources import Fetcher, FetchOptions, SourceError, read_item, url_item  # noqa: E402
from web_site import Reply, WebSite, detik_page, seed_articles  # noqa: E402


def _brotli_bomb(megabytes: int) -> bytes:
    """A brotli stream of ``megabytes`` MB of spaces, made without holding them."""
    import brotli

    compressor = brotli.Compressor(quality=4)
    parts = [compressor.process(b"<html><body><p>")]
    block = b" " * (1 << 20)
    parts += [compressor.process(block) for _ in range(megabytes)]
    parts.append(compressor.finish())
    return b"".join(parts)


class _NoStop:
    requested = False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=24)
    parser.add_argument("--latency", type=float, default=0.25)
    args = parser.parse_args()
    article = seed_articles()[0]
    with WebSite(max_requests=10 * args.links + 10) as site:
        urls = []
        for n in range(args.links):
            site.routes[f"/berita/{n}"] = Reply(detik_page(article, "x"), delay=args.latency)
            host = "localhost" if n % 2 else "127.0.0.1"
            urls.append(f"http://{host}:{site.port}/berita/{n}")
        items = [url_item(url) for url in urls]

        with Fetcher() as fetcher:
            read_item(items[0], fetcher=fetcher)  # trafilatura's first import, not timed
            started = time.perf_counter()
            for item in items:
                read_item(item, fetcher=fetcher)
            one_at_a_time = time.perf_counter() - started

        site.max_active = 0
        job = Job(None, JobOptions(), say=print, warn=print, error=print)  # type: ignore[arg-type]
        with Fetcher() as fetcher, Progress(None, enabled=False) as progress:
            started = time.perf_counter()
            pairs = ((item, None) for item in items)
            reader = job._read(pairs, _NoStop(), progress, fetcher)  # type: ignore[arg-type]
            read = [outcome for _, _, outcome in reader]
            ahead = time.perf_counter() - started
        assert all(not isinstance(outcome, SourceError) for outcome in read), read
        print(f"{args.links} links, {args.latency:g} s per answer, two hosts")
        print(f"one at a time   {one_at_a_time:6.2f} s")
        print(f"read ahead      {ahead:6.2f} s   ({one_at_a_time / ahead:.1f}x faster)")
        print(f"most requests at once: {site.max_active} (at most 2 per host)")

        site.routes["/bom"] = Reply(_brotli_bomb(256), headers={"Content-Encoding": "br"})
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with Fetcher(FetchOptions(retries=0)) as fetcher:
            started = time.perf_counter()
            try:
                fetcher.fetch(site.url("/bom"))
                stopped = "not stopped"
            except SourceError as exc:
                stopped = exc.reason
            seconds = time.perf_counter() - started
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        print(f"br answer unpacking to 256 MB: {stopped}")
        print(f"  after {seconds:.2f} s, peak memory grew by {grown:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
