"""Crafted inputs against each text stage: time must grow about linearly with input size.

    python benchmarks/adversarial.py [--sizes 50,100,200] [--kind NAME] [--limit SECONDS]

Each crafted input is built to hit one stage's worst case (very short lines, repeated
caption markers, nested fake delimiters, runs of number words, date-like tokens, ...).
For each it prints:

- the seconds per 100 KB of the stage it targets, at each size (flat when the stage is
  linear; growing with the size when it is not);
- ``path``: the seconds of everything ringkas does to such an input without a model, at
  the largest size: an article is cleaned, split into sentences, its language detected,
  indexed and checked against a summary, and put into a prompt and a chat template; a
  summary (``ringkas check``) is checked against an article;
- ``ratio``: that path's time over a normal article's (or summary's) of the same size.
  Target (issue 18): ≤ 3 for every crafted input at 200 KB.

Normal articles are the repository's example article and, when the shared corpus is
beside the checkout, its articles, repeated to the size wanted. Nothing here needs a
model or the network. ``--limit`` stops a run that takes longer than that many seconds
(shown as ``>LIMIT``), so a quadratic stage cannot keep the benchmark busy for hours.

The generators are importable (``KINDS``, ``crafted``, ``normal_article``) and so are
the stages (``stages``): the tests count the steps each stage takes on them.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
EXAMPLE = REPO / "examples" / "articles" / "maluku-kumkm.txt"
KB = 1000
TARGET_RATIO = 3.0


def normal_article(size: int) -> str:
    """Real news text repeated to ``size`` characters."""
    texts = [EXAMPLE.read_text("utf-8")]
    articles = CORPUS / "articles"
    if articles.is_dir():
        texts += [p.read_text("utf-8") for p in sorted(articles.glob("*.txt"))]
    pieces: list[str] = []
    length = 0
    index = 0
    while length < size:
        text = texts[index % len(texts)].strip() + "\n"
        pieces.append(text)
        length += len(text)
        index += 1
    return "".join(pieces)[:size]


def normal_summary(size: int) -> str:
    """An English summary-like text of ``size`` characters (sentences with figures)."""
    sentence = (
        "The ministry said 1,500 cooperatives in Maluku received Rp 7.4 billion on March 8, "
        "2023, and officials expect 2.5 percent growth over the next two years. "
    )
    return (sentence * (size // len(sentence) + 1))[:size]


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _collapse_lines(size: int) -> str:
    """Up to 1,500 distinct long lines (the repeated-paragraph check compares them pairwise)."""
    count = min(1500, max(1, size // 130))
    width = max(80, size // count - 1)
    lines = [
        (f"Paragraf {i} berisi kalimat yang berbeda dari yang lain " * 4)[:width]
        for i in range(count)
    ]
    return "\n".join(lines)[:size]


# Each crafted input: (stage, generator). Generators take a size in characters.
KINDS: dict[str, tuple[str, Callable[[int], str]]] = {
    # Cleaning
    "short-lines": ("clean", lambda n: _repeat("a\n", n)),
    "short-words-lines": ("clean", lambda n: _repeat("Kata\nitu\n", n)),
    "open-brackets": ("clean", lambda n: _repeat("(kata\n", n)),
    "caption-markers": ("clean", lambda n: _repeat("(Foto", n)),
    "caption-markers-spaced": ("clean", lambda n: _repeat("(Foto: x ", n)),
    "hashtag-run": ("clean", lambda n: _repeat(" #a", n) + " x"),
    "read-also-run": ("clean", lambda n: _repeat("kata. Baca juga: Judul Berita ", n)),
    "separator-run": ("clean", lambda n: _repeat("-=", n) + "x"),
    "source-markers": ("clean", lambda n: _repeat("Sumber: ", n)),
    "editor-codes": ("clean", lambda n: _repeat("kata. (ab/cd)\n", n)),
    "dateline-run": ("clean", lambda n: _repeat("JAKARTA - ", n)),
    "glued-capitals": ("clean", lambda n: "Baca juga: " + _repeat("aB", n)),
    "outlet-promo-run": ("clean", lambda n: _repeat("Simak berita terbaru ", n)),
    "collapse-lines": ("clean", lambda n: _collapse_lines(n)),
    "distinct-lines": (
        "clean",
        lambda n: "".join(
            f"baris nomor {i} dari artikel ini panjang sekali dan berbeda.\n"
            for i in range(n // 60 + 1)
        )[:n],
    ),
    # Sentence segmentation
    "terminator-run": ("segment", lambda n: _repeat("a.", n)),
    "quote-run": ("segment", lambda n: _repeat('"a. ', n)),
    "closer-run": ("segment", lambda n: "Kata!" + _repeat(")", n) + " Lagi."),
    "abbreviation-run": ("segment", lambda n: _repeat("Dr. ", n)),
    "one-long-line": ("segment", lambda n: _repeat("kata ", n)),
    # Language detection
    "one-long-word": ("language", lambda n: "a" * n),
    "space-run": ("language", lambda n: " " * n + "kata"),
    "letters-and-spaces": ("language", lambda n: _repeat("a ", n)),
    # The checker: crafted summaries against a normal article
    "number-words": ("check-summary", lambda n: _repeat("one two three and four ", n)),
    "number-words-and": ("check-summary", lambda n: _repeat("hundred and ", n)),
    "date-tokens": ("check-summary", lambda n: _repeat("8/3/2023 ", n)),
    "date-words": ("check-summary", lambda n: _repeat("8 March 2023, ", n)),
    "times": ("check-summary", lambda n: _repeat("pukul 08.30 WIB ", n)),
    "capitalised-run": ("check-summary", lambda n: _repeat("Jakarta ", n)),
    "digit-run": ("check-summary", lambda n: "1" * n),
    "separated-digits": ("check-summary", lambda n: _repeat("1.", n) + "5"),
    # The checker: crafted articles (the source index) against a normal summary
    "article-number-words": ("check-article", lambda n: _repeat("satu dua tiga ", n)),
    "article-date-tokens": ("check-article", lambda n: _repeat("8/3/2023 ", n)),
    # Prompt rendering and neutralising
    "nested-delimiters": ("prompt", lambda n: "<" * (n // 10) + "article>" * (n // 10)),
    "nested-markers": ("prompt", lambda n: "article " * (n // 14) + "end " * (n // 14)),
    "nested-control": ("prompt", lambda n: "<|" * (n // 6) + "x" + "|>" * (n // 6)),
    "delimiter-run": ("prompt", lambda n: _repeat("</article>", n)),
    "lt-run": ("prompt", lambda n: _repeat("<", n)),
    # Chat templates (a template shaped like the Hub's, the article in the user turn)
    "chat-nested-delimiters": ("chat", lambda n: "<" * (n // 10) + "article>" * (n // 10)),
}


@dataclass
class Stage:
    """A stage's work on one input: ``run(text)``."""

    name: str
    run: Callable[[str], object]


def stages() -> dict[str, Stage]:
    """Each stage as ringkas runs it; the checker's article and summary are built once."""
    from ringkas.check import SourceIndex, check_summary
    from ringkas.prompts import load_template, render
    from ringkas.text import clean_article, sentence_spans
    from ringkas.text.language import detect_language

    article = normal_article(5 * KB)
    index = SourceIndex([line for line in article.splitlines() if line.strip()])
    summary = normal_summary(600)
    template = load_template("brief")

    def chat(text: str) -> object:
        from ringkas.models.chat import chat_text

        return chat_text(CHAT_TEMPLATE, render(template, text))

    def article_path(text: str) -> object:
        cleaned = clean_article(text).text
        sentences = [cleaned[a:b].strip() for a, b in sentence_spans(cleaned)]
        detect_language(cleaned)
        check_summary(summary, [s for s in sentences if s])
        return chat(" ".join(sentences))

    return {
        "clean": Stage("clean", clean_article),
        "segment": Stage("segment", sentence_spans),
        "language": Stage("language", detect_language),
        "check-summary": Stage("check-summary", index.check),
        "check-article": Stage(
            "check-article",
            lambda t: check_summary(summary, [s for s in t.splitlines() if s.strip()]),
        ),
        "prompt": Stage("prompt", lambda t: render(template, t)),
        "chat": Stage("chat", chat),
        "article-path": Stage("article-path", article_path),
        "summary-path": Stage("summary-path", index.check),
    }


def path_of(stage: str) -> str:
    """The whole path an input of ``stage`` goes through: as an article, or as a summary."""
    return "summary-path" if stage == "check-summary" else "article-path"


# A chat template in the shape of the Hub's (Qwen/ChatML style).
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def normal_input(stage: str, size: int) -> str:
    """What a normal input of ``size`` characters is for ``stage``."""
    if stage in ("check-summary", "summary-path"):
        return normal_summary(size)
    return normal_article(size)


def crafted(kind: str, size: int) -> str:
    """The crafted input ``kind`` at ``size`` characters."""
    return KINDS[kind][1](size)


def _timed(stage: str, text: str) -> float:
    run = stages()[stage].run
    started = time.perf_counter()
    run(text)
    return time.perf_counter() - started


def _worker(stage: str, text: str, queue: multiprocessing.Queue[float]) -> None:
    queue.put(_timed(stage, text))


def measure(stage: str, text: str, limit: float) -> float | None:
    """Seconds for ``stage`` on ``text`` in a child process; None past ``limit``."""
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    queue: multiprocessing.Queue[float] = context.Queue()
    process = context.Process(target=_worker, args=(stage, text, queue))
    process.start()
    process.join(limit)
    if process.is_alive():
        process.kill()
        process.join()
        return None
    return queue.get() if not queue.empty() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200", help="sizes in KB (comma-separated)")
    parser.add_argument("--kind", action="append", help="only these crafted inputs")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a run is cut")
    args = parser.parse_args(argv)
    sizes = [int(s) * KB for s in args.sizes.split(",")]
    kinds = args.kind or list(KINDS)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        parser.error(f"unknown kind(s): {', '.join(unknown)}; known: {', '.join(KINDS)}")
    largest = max(sizes)

    def cell(seconds: float | None, size: int) -> str:
        return f">{args.limit:.0f}s" if seconds is None else f"{seconds / (size / 100_000):.4f}"

    header = " ".join(f"{s // KB:>8}KB" for s in sizes)
    print(f"stage: seconds per 100 KB; path: seconds at {largest // KB} KB; ratio: path / normal")
    print(f"{'input':<24} {'stage':<14} {header} {'path':>8} {'ratio':>6}  verdict")
    normal_path: dict[str, float | None] = {}
    failures = 0
    for stage in dict.fromkeys(KINDS[k][0] for k in kinds):
        path = path_of(stage)
        if path not in normal_path:
            normal_path[path] = measure(path, normal_input(path, largest), args.limit)
        seconds = [measure(stage, normal_input(stage, size), args.limit) for size in sizes]
        cells = " ".join(f"{cell(t, s):>10}" for t, s in zip(seconds, sizes, strict=True))
        base = normal_path[path]
        shown = f"{base:.3f}" if base is not None else "-"
        print(f"{'(normal)':<24} {stage:<14} {cells} {shown:>8}")
        for kind in (k for k in kinds if KINDS[k][0] == stage):
            seconds = [measure(stage, crafted(kind, size), args.limit) for size in sizes]
            cells = " ".join(f"{cell(t, s):>10}" for t, s in zip(seconds, sizes, strict=True))
            total = measure(path, crafted(kind, largest), args.limit)
            if total is None or base is None:
                shown, ratio_text, ok = f">{args.limit:.0f}s", "-", False
            else:
                ratio = total / base
                shown, ratio_text, ok = f"{total:.3f}", f"{ratio:.2f}", ratio <= TARGET_RATIO
            failures += not ok
            verdict = "PASS" if ok else "FAIL"
            print(f"{kind:<24} {stage:<14} {cells} {shown:>8} {ratio_text:>6}  {verdict}")
    if failures:
        print(
            f"\n{failures} crafted input(s) over {TARGET_RATIO:.0f}x a normal input at "
            f"{largest // KB} KB"
        )
    else:
        print(
            f"\nevery crafted input within {TARGET_RATIO:.0f}x a normal input at {largest // KB} KB"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
