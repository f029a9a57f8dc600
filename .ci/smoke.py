#!/usr/bin/env python3
"""Smoke test of an installed ringkas, as a user runs it: real commands of the installed
``ringkas`` script on tiny models built here (tests/tiny_models.py, random weights).

    python .ci/smoke.py            # with the python of the venv where ringkas is installed

Run from outside the clone so that nothing of ``src/`` can be imported by accident. Fails
(exit 1, listing every failed command) on any traceback, any unexpected exit code or any
missing output. Needs only ringkas's runtime dependencies.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "examples" / "articles" / "maluku-kumkm.txt"
# What a Python failure looks like on stderr, whoever prints it.
CRASH_MARKS = ("Traceback (most recent call last)", "Exception ignored", "Fatal Python error")

Check = Callable[[subprocess.CompletedProcess[bytes]], str | None]


@dataclass
class Outcome:
    command: str
    seconds: float
    problem: str | None


def ringkas_script() -> str:
    """The console script of the installed ringkas, beside this interpreter."""
    script = Path(sys.executable).parent / "ringkas"
    if not script.exists():
        found = shutil.which("ringkas")
        if not found:
            raise SystemExit("smoke: no `ringkas` script installed beside this python")
        return found
    return str(script)


def page_html(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<title>Sekda Maluku Buka Rakor KUMKM</title></head><body>"
        "<nav><a href='/'>Beranda</a> | <a href='/politik'>Politik</a></nav>"
        f"<main><article><h1>Sekda Maluku Buka Rakor KUMKM</h1>{body}</article></main>"
        "<footer>Hak cipta 2023 Redaksi. Kontak iklan.</footer></body></html>"
    )


def json_summary(process: subprocess.CompletedProcess[bytes]) -> str | None:
    data = json.loads(process.stdout)
    return None if data.get("summary", "").strip() else "no summary in the JSON"


def non_empty(process: subprocess.CompletedProcess[bytes]) -> str | None:
    return None if process.stdout.strip() else "nothing on stdout"


def one_line(process: subprocess.CompletedProcess[bytes]) -> str | None:
    lines = process.stderr.decode("utf-8", "replace").strip().splitlines()
    if len(lines) == 1 and lines[0].startswith("ringkas: error: "):
        return None
    return f"not one `ringkas: error:` line on stderr: {lines!r}"


def names_extra(process: subprocess.CompletedProcess[bytes]) -> str | None:
    """One error line that names the extra to install."""
    problem = one_line(process)
    if problem is None and b"ringkas[ray]" not in process.stderr:
        return "the error does not name the extra `ringkas[ray]`"
    return problem


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def two_records(process: subprocess.CompletedProcess[bytes]) -> str | None:
    """Two JSON Lines records with a summary: both items of the feed."""
    records = [json.loads(line) for line in process.stdout.splitlines() if line.strip()]
    if len(records) != 2 or not all(record.get("summary") for record in records):
        return f"{len(records)} records, expected 2 with a summary"
    return None


class Site:
    """A folder served on 127.0.0.1 (a free port) while the links and feed run."""

    def __init__(self, folder: Path) -> None:
        handler = partial(_QuietHandler, directory=str(folder))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def rss(items: list[tuple[str, str]]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        f"<pubDate>Wed, 08 Mar 2023 0{n}:00:00 +0700</pubDate></item>"
        for n, (title, link) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Berita</title><link>http://127.0.0.1/</link>{entries}</channel></rss>"
    )


class Smoke:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.ringkas = ringkas_script()
        self.outcomes: list[Outcome] = []
        home = work / "home"
        self.env = {
            **os.environ,
            "HOME": str(home),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "HF_HOME": str(home / "hf"),
            "HF_HUB_OFFLINE": "1",  # the tiny models are local folders; nothing is fetched
            "RINGKAS_CACHE_DIR": str(work / "ringkas-cache"),
            "RINGKAS_THREADS": "1",
            "NO_COLOR": "1",
        }
        for name in ("PYTHONPATH", "RINGKAS_DEBUG"):
            self.env.pop(name, None)

    def run(
        self,
        args: list[str],
        *,
        expect: int = 0,
        stdin: bytes | None = None,
        check: Check | None = None,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        shown: str | None = None,
        stdout_path: str | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        command = shown or "ringkas " + " ".join(args)
        start = time.monotonic()
        with open(stdout_path or os.devnull, "wb") as target:
            process = subprocess.run(
                [self.ringkas, *args],
                input=stdin if stdin is not None else b"",
                stdout=target if stdout_path else subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=cwd or self.work,
                env={**self.env, **(env or {})},
                timeout=600,
            )
        problem = self._problem(process, expect, check)
        seconds = time.monotonic() - start
        self.outcomes.append(Outcome(command, seconds, problem))
        mark = "ok  " if problem is None else "FAIL"
        print(f"smoke: {mark} {seconds:5.1f} s  {command}", flush=True)
        if problem is not None:
            stderr = process.stderr.decode("utf-8", "replace")
            print(f"smoke:      {problem}\n{stderr[-3000:]}", flush=True)
        return process

    def watch(self, folder: Path, out: Path, models: list[str]) -> None:
        """`ringkas watch`: the article already there is done, then Ctrl-C stops it (130)."""
        command = f"ringkas watch {folder} --output-dir {out}   (then Ctrl-C)"
        start = time.monotonic()
        process = subprocess.Popen(
            [self.ringkas, "watch", str(folder), "--output-dir", str(out), *models],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=self.work,
            env=self.env,
        )
        deadline = time.monotonic() + 300
        while not list(out.glob("*.txt")) and process.poll() is None:
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        problem = None if list(out.glob("*.txt")) else "no result written"
        process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
        done = subprocess.CompletedProcess(process.args, process.returncode, b"", stderr)
        problem = problem or self._problem(done, 130, None)
        seconds = time.monotonic() - start
        self.outcomes.append(Outcome(command, seconds, problem))
        mark = "ok  " if problem is None else "FAIL"
        print(f"smoke: {mark} {seconds:5.1f} s  {command}", flush=True)
        if problem is not None:
            text = stderr.decode("utf-8", "replace")
            print(f"smoke:      {problem}\n{text[-3000:]}", flush=True)

    @staticmethod
    def _problem(
        process: subprocess.CompletedProcess[bytes], expect: int, check: Check | None
    ) -> str | None:
        stderr = process.stderr.decode("utf-8", "replace")
        for mark in CRASH_MARKS:
            if mark in stderr:
                return f"{mark!r} on stderr"
        if process.returncode != expect:
            return f"exit code {process.returncode}, expected {expect}"
        if check is not None:
            try:
                return check(process)
            except (ValueError, KeyError, TypeError) as exc:
                return f"unexpected output: {exc!r}"
        return None


def main() -> int:
    sys.path.insert(0, str(REPO / "tests"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from readme_commands import README, blocks_under

    from tiny_models import build_bart, build_marian

    # README's main job ("The two commands", first block), word for word.
    (readme_job,) = blocks_under("## The two commands", README.read_text(encoding="utf-8"))[0]

    with tempfile.TemporaryDirectory(prefix="ringkas-smoke-") as tmp:
        work = Path(tmp)
        marian = build_marian(work / "models" / "marian")
        bart = build_bart(work / "models" / "bart")
        smoke = Smoke(work)
        models = ["-t", str(marian), "-s", str(bart)]
        text = ARTICLE.read_text(encoding="utf-8")
        paragraphs = [line for line in text.splitlines() if line.strip()]
        article = work / "artikel.txt"
        article.write_text(text, encoding="utf-8")
        page = work / "halaman.html"
        page.write_text(page_html(paragraphs[1:5]), encoding="utf-8")
        folder = work / "berita"
        folder.mkdir()
        (folder / "a.txt").write_text(text, encoding="utf-8")
        (folder / "b.html").write_text(page_html(paragraphs[2:6]), encoding="utf-8")
        (folder / "kosong.txt").write_bytes(b"")  # the bad file
        summary = work / "ringkasan.txt"
        summary.write_text("Sekda Maluku membuka rapat pada 8 Maret 2023.\n", encoding="utf-8")

        smoke.run(["--version"], check=non_empty)
        smoke.run(["--help"], check=non_empty)
        # README's main job, word for word; the models come from RINGKAS_* variables.
        smoke.run(
            shlex.split(readme_job)[1:],
            cwd=REPO,
            env={"RINGKAS_TRANSLATOR": str(marian), "RINGKAS_SUMMARIZER": str(bart)},
            shown=f"{readme_job}   (RINGKAS_TRANSLATOR/RINGKAS_SUMMARIZER: tiny models)",
            check=non_empty,
        )
        smoke.run(["summarize", str(article), *models], check=non_empty)
        smoke.run(["summarize", str(page), *models, "-f", "json"], check=json_summary)
        smoke.run(
            ["summarize", "-", *models, "--format", "json"],
            stdin=text.encode("utf-8"),
            check=json_summary,
        )
        report = work / "laporan.json"
        out_dir = work / "ringkasan"

        def folder_outcome(process: subprocess.CompletedProcess[bytes]) -> str | None:
            counts = json.loads(report.read_text(encoding="utf-8"))["counts"]
            written = sorted(path.name for path in out_dir.glob("*.json"))
            if counts["done"] != 2 or counts["failed"] != 1 or written != ["a.json", "b.json"]:
                return f"counts {counts}, written {written}"
            if b"kosong.txt" not in process.stderr:
                return "the bad file is not named on stderr"
            return None

        outputs = ["-O", str(out_dir), "-f", "json", "--report", str(report)]
        smoke.run(
            ["summarize", str(folder), *models, *outputs],
            expect=1,
            check=folder_outcome,
        )
        for suffix, starts in ((".txt", ""), (".md", "# Summary"), (".json", "{")):
            target = work / f"keluaran{suffix}"

            def written(_: subprocess.CompletedProcess[bytes], target=target, starts=starts):
                content = target.read_text(encoding="utf-8") if target.exists() else ""
                return None if content.strip().startswith(starts) else f"{target} is wrong"

            smoke.run(["summarize", str(article), *models, "-o", str(target)], check=written)
        smoke.run(["summarize", str(article), *models, "-f", "jsonl"], check=json_summary)
        smoke.run(["translate", str(article), "-t", str(marian)], check=non_empty)
        smoke.run(["check", str(article), str(summary), "-t", str(marian)], check=non_empty)
        smoke.run(["check", str(article), str(summary), "--no-translate", "-f", "json"])
        smoke.run(["models", "list"], check=non_empty)
        smoke.run(["prompts", "list"], check=non_empty)
        smoke.run(["prompts", "show", "5w1h", "--example"], check=non_empty)
        smoke.run(["config", "show"], check=non_empty)
        # The default models are not there (no Hub here): doctor says so, exit 3.
        smoke.run(["doctor"], expect=3, check=non_empty)
        # A link and a feed, from a site on 127.0.0.1 (httpx, trafilatura, feedparser).
        site_folder = work / "situs"
        site_folder.mkdir()
        shutil.copy(page, site_folder / "berita-1.html")
        (site_folder / "berita-2.html").write_text(page_html(paragraphs[3:8]), encoding="utf-8")
        with Site(site_folder) as site:
            links = [(f"Berita {n}", f"{site.url}/berita-{n}.html") for n in (1, 2)]
            (site_folder / "rss.xml").write_text(rss(links), encoding="utf-8")
            smoke.run(
                ["summarize", links[0][1], *models, "-f", "json"],
                check=json_summary,
            )
            smoke.run(
                ["summarize", "--feed", f"{site.url}/rss.xml", *models, "-f", "jsonl"],
                check=two_records,
            )
        watched, watch_out = work / "masuk", work / "keluar"
        watched.mkdir()
        shutil.copy(article, watched / "artikel.txt")
        smoke.watch(watched, watch_out, models)
        # What needs the extra says so in one line (exit 2): Ray, and object stores.
        smoke.run(["summarize", str(article), *models, "--ray"], expect=2, check=names_extra)
        smoke.run(["summarize", "s3://berita/a.txt", *models], expect=2, check=names_extra)
        # Faults: one line on stderr and the documented exit code.
        smoke.run(["summarize", str(work / "tidak-ada.txt"), *models], expect=1, check=one_line)
        smoke.run(["summarize", str(article), *models, "--beam", "0"], expect=2, check=one_line)
        smoke.run(
            ["translate", str(article), "-t", str(marian)],
            expect=74,
            stdout_path="/dev/full",
            check=one_line,
            shown=f"ringkas translate {article} -t {marian} > /dev/full",
        )

        failed = [outcome for outcome in smoke.outcomes if outcome.problem]
        total = sum(outcome.seconds for outcome in smoke.outcomes)
        count = len(smoke.outcomes)
        verdict = f"{len(failed)} of {count} commands failed" if failed else f"all {count} ok"
        print(f"smoke: {verdict} ({total:.0f} s)")
        for outcome in failed:
            print(f"smoke: FAILED {outcome.command}: {outcome.problem}", file=sys.stderr)
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
