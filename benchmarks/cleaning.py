"""Audit the news cleaner over every article of the shared corpus.

Usage: python benchmarks/cleaning.py [--corpus PATH] [--verbose]

For each ``<corpus>/articles/*.txt`` the article is cleaned with
``ringkas.text.clean_article`` and checked by rules that live here, independent of the
cleaner (see benchmarks/README.md):

- surviving boilerplate: markers of the boilerplate listed in issue 3 that are still in
  the cleaned text (datelines, "Baca juga", ADVERTISEMENT, video and WhatsApp promos,
  editor codes, bylines, source lines, repeated paragraphs, ...);
- words kept: every removed item is audited; items that these rules confirm as
  boilerplate (or, for repeats, whose words all remain in the output) are not content.
  Words kept % = words of the remaining content that the cleaned text still has.

An article passes when no boilerplate survives and at least 98% of its words are kept.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
MIN_KEPT = 0.98

# Markers that must not survive cleaning, by the list of boilerplate.
SURVIVOR_PATTERNS: dict[str, re.Pattern[str]] = {
    "advertisement": re.compile(
        r"SCROLL TO CONTINUE WITH CONTENT|^(?:ADVERTISEMENT|Advertisement)$|Loading\.\.\.", re.M
    ),
    "read_also": re.compile(
        r"\bBaca [Jj]uga\b\s*(?:[:\-–]|$)|\bBACA JUGA\b|Baca Ini Juga|[Bb]aca [Jj]uga(?=[A-Z])"
        r"|^Lihat Juga:|Pilihan [Ee]ditor\s*:|Cek Yang Lain Juga",
        re.M,
    ),
    "video_promo": re.compile(r"\[Gambas:|^(?:Simak|Lihat|Tonton) juga [Vv]ideo", re.M),
    "social_promo": re.compile(
        r"(?i)saluran whatsapp|whatsapp channel|whatsapp\.com/channel|google news"
        r"|bergabung di grup telegram|ayo ikuti"
    ),
    "byline": re.compile(r"^Laporan [Ww]artawan|Reporter\s*:|Editor\s*:|^Penulis\s*:", re.M),
    "source_line": re.compile(r"^[Ss]umber\s*:|[.\"]\s*[Ss]umber\s*:\s*\S+$", re.M),
    "editor_code": re.compile(
        r"\((?:[a-z]{2,4}/)+[a-z]{2,4}\)\.?$|\([A-Z]{1,4}-\d{1,3}\)\.?$|^\([a-z]{2,4}\)$|\(\*\)$",
        re.M,
    ),
    "dateline": re.compile(
        r"\A(?:[A-Z][A-Za-z]+\s*,\s*)?[A-Za-z0-9]+\.(?:com|co\.id|co|id)\b\s*[,:\-–—]"
        r"|\A[A-Z]{3,}(?: [A-Z]{3,})?\s*[-–—]\s|\A[A-Z][a-z]+\s*\n?[-–—]\s"
    ),
}

# Rules that confirm a removed item is boilerplate of the kind the cleaner claims.
VERIFY_PATTERNS: dict[str, re.Pattern[str]] = {
    "advertisement": re.compile(
        r"(?i)^(?:advertisement|advertorial|iklan|scroll to continue with content|loading\.\.\.)$"
    ),
    "read_also": re.compile(
        r"(?i)^\(?\s*(?:baca(?: ini)? juga|lihat juga|simak juga\s*:|pilihan editor|"
        r"cek yang lain juga|artikel terkait|berita terkait)"
    ),
    "video_promo": re.compile(
        r"(?i)^(?:\[gambas:|(?:simak|lihat|tonton|saksikan) (?:juga )?video)"
    ),
    "social_promo": re.compile(
        r"(?i)whats\s?app|telegram|google news|install aplikasi|hanya di [a-z]+"
    ),
    "social_embed": re.compile(r"(?:#\w+\s*){2,}$"),
    "program_promo": re.compile(r"(?i)^saksikan\b"),
    "editor_code": re.compile(r"^\([^()]{1,40}\)\.?$"),
    "byline": re.compile(
        r"(?i)^(?:laporan (?:wartawan|reporter)|reporter\s*:|editor\s*:|penulis\s*:|"
        r"pewarta\s*:|oleh\s*:)"
    ),
    "source_line": re.compile(r"(?i)^sumber\s*:"),
    "photo_caption": re.compile(r"(?i)\((?:credit|image by|[^)]*photo/|foto)|^dok\.|^foto\s*:"),
    "tags": re.compile(r"^[a-z0-9 '&-]+$"),
    "separator": re.compile(r"^[\W_]+$"),
    "dateline": re.compile(
        r"^(?:[A-Za-z][A-Za-z .]*\s*,\s*)?[A-Za-z0-9.-]+\.(?:com|co\.id|co|id)\b.{0,30}$"
        r"|^[A-Za-z][A-Za-z .,]{1,40}\s*(?:\([^()]{1,30}\)\s*)?[-–—:]{1,2}$"
        r"|^[A-Z]+ [A-Z]+\s*[-–—]$",
        re.S | re.I,
    ),
}
_LOWER_FUNCTION = {"di", "ke", "dari", "dan", "yang", "untuk", "dengan", "pada", "atau", "usai"}


@dataclass
class ArticleReport:
    """What the audit found for one article."""

    name: str
    raw_words: int
    content_words: int
    kept_words: int
    lost_silently: int
    survivors: list[tuple[str, str]] = field(default_factory=list)
    unverified: list[dict[str, str]] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def kept(self) -> float:
        return self.kept_words / self.content_words if self.content_words else 1.0

    @property
    def passed(self) -> bool:
        return not self.survivors and self.kept >= MIN_KEPT


def words(text: str) -> Counter[str]:
    """Lower-cased word tokens; glued words ("JakartaManchester", "ke-4Hingga") count apart.

    Characters are repaired first as the cleaner repairs them (mojibake such as "â€"",
    curly quotes), so a repaired character does not count as a lost word.
    """
    from ringkas.text._layout import normalize_characters

    text = re.sub(
        r"(?<=[a-z0-9])(?=[A-Z][a-z])|(?<=[a-z])(?=[A-Z])", " ", normalize_characters(text)
    )
    return Counter(re.findall(r"\w+", text.lower()))


def _title_like(text: str) -> bool:
    tokens = [t for t in re.findall(r"[^\s\"'(),:;]+", text) if t.lower() not in _LOWER_FUNCTION]
    capitals = sum(1 for t in tokens if t[:1].isupper() or t[:1].isdigit())
    return len(tokens) >= 3 and capitals / len(tokens) >= 0.6 and not text.endswith(".")


def verify(items: list[dict[str, str]], cleaned: Counter[str]) -> list[bool]:
    """Decide, item by item, whether a removal is confirmed boilerplate.

    A repeat is confirmed when all its words are still in the output or in another
    removed item (its last word may be cut off: scrapers truncate repeated copies).
    """
    pool = cleaned.copy()
    for item in items:
        if item["kind"] != "duplicate_paragraph":
            pool += words(item["text"])
    verdicts: list[bool] = []
    after_marker = False
    for item in items:
        kind, text = item["kind"], item["text"].strip()
        if kind == "duplicate_paragraph":
            checked = text if re.search(r"[.!?\")]$", text) else text.rsplit(" ", 1)[0]
            ok = not (words(checked) - pool)
        elif kind == "read_also" and after_marker and _title_like(text):
            ok = True  # a linked title listed under a bare "Baca juga"
        else:
            pattern = VERIFY_PATTERNS.get(kind)
            ok = bool(pattern and pattern.search(text))
        if kind == "read_also":
            bare = re.fullmatch(r"(?i)baca(?: ini)? juga\s*[:\-–]?", text) is not None
            after_marker = bare or (after_marker and ok)
        verdicts.append(ok)
    return verdicts


def audit(path: Path) -> ArticleReport:
    from ringkas.text import clean_article

    raw = path.read_text(encoding="utf-8")
    result = clean_article(raw)
    raw_words, cleaned_words = words(raw), words(result.text)
    verdicts = verify(result.removed, cleaned_words)
    boilerplate: Counter[str] = Counter()
    all_removed: Counter[str] = Counter()
    unverified = []
    for item, ok in zip(result.removed, verdicts, strict=True):
        all_removed += words(item["text"])
        if ok:
            boilerplate += words(item["text"])
        else:
            unverified.append(item)
    content = raw_words - boilerplate
    report = ArticleReport(
        name=path.stem,
        raw_words=sum(raw_words.values()),
        content_words=sum(content.values()),
        kept_words=sum((content & cleaned_words).values()),
        lost_silently=sum((raw_words - cleaned_words - all_removed).values()),
        unverified=unverified,
        kinds=Counter(item["kind"] for item in result.removed),
    )
    for kind, pattern in SURVIVOR_PATTERNS.items():
        for match in pattern.finditer(result.text):
            report.survivors.append((kind, match.group()))
    lines = [line for line in result.text.split("\n") if len(line.split()) >= 6]
    for line, count in Counter(lines).items():
        if count > 1:
            report.survivors.append(("duplicate_paragraph", line[:60]))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--verbose", action="store_true", help="list unverified removals")
    args = parser.parse_args(argv)
    articles = sorted((args.corpus / "articles").glob("*.txt"))
    if not articles:
        print(f"no articles in {args.corpus / 'articles'} (use --corpus PATH)", file=sys.stderr)
        return 2

    reports = [audit(path) for path in articles]
    print(
        f"{'article':<16} {'words':>6} {'content':>7} {'kept%':>7} {'lost':>4} "
        f"{'surv':>4}  {'removed by kind':<60} result"
    )
    totals: Counter[str] = Counter()
    for report in reports:
        totals += report.kinds
        kinds = ", ".join(f"{kind}:{n}" for kind, n in sorted(report.kinds.items()))
        print(
            f"{report.name:<16} {report.raw_words:>6} {report.content_words:>7} "
            f"{100 * report.kept:>6.2f}% {report.lost_silently:>4} {len(report.survivors):>4}  "
            f"{kinds[:60]:<60} {'PASS' if report.passed else 'FAIL'}"
        )
        for kind, text in report.survivors:
            print(f"    surviving {kind}: {text!r}")
        if args.verbose:
            for item in report.unverified:
                print(f"    unverified {item['kind']}: {item['text'][:100]!r}")

    passed = sum(report.passed for report in reports)
    kept = [report.kept for report in reports]
    content = sum(r.content_words for r in reports)
    overall = sum(r.kept_words for r in reports) / content if content else 1.0
    print()
    print(f"articles: {len(reports)}  passed: {passed}  failed: {len(reports) - passed}")
    print(
        f"words kept: overall {100 * overall:.2f}%  min {100 * min(kept):.2f}%  "
        f"mean {100 * sum(kept) / len(kept):.2f}%  (threshold {100 * MIN_KEPT:.0f}% per article)"
    )
    print(f"surviving boilerplate hits: {sum(len(r.survivors) for r in reports)}")
    print(f"unverified removals: {sum(len(r.unverified) for r in reports)}")
    print("removed items by kind: " + ", ".join(f"{k}:{n}" for k, n in sorted(totals.items())))
    return 0 if passed == len(reports) else 1


if __name__ == "__main__":
    sys.exit(main())
