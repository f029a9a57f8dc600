"""Bookkeeping and tables for benchmarks/speed.py: what each run did, ratios, targets."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Targets of issue 4 on this machine.
TARGET_PER_ARTICLE = 6.0
TARGET_FOLDER = 8.0
TARGET_RSS_MB = 1000.0


@dataclass
class Article:
    """A corpus article and the size of the work it makes."""

    path: Path
    words: int
    sentences: int
    source_tokens: int
    longest_sentence: int

    @property
    def name(self) -> str:
        return self.path.stem


@dataclass
class Run:
    """One timed process: wall time, its own peak RSS, and what it reported."""

    arm: str
    setting: str
    articles: list[str]
    seconds: float
    peak_rss_mb: float
    returncode: int
    reports: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    # CPU seconds the process used, and the machine's 1-minute load average when it ended:
    # cores busy (cpu / wall) well under the core count, or a load over it, mark contention.
    cpu_seconds: float = 0.0
    load: float = 0.0

    @property
    def per_article(self) -> float:
        return self.seconds / len(self.articles)


def _stat(report: dict[str, Any], *keys: str) -> Any:
    value: Any = report.get("stats", {})
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def work_of(run: Run) -> list[dict[str, Any]]:
    """What a run did for each article: tokens generated, summarizer input, passes."""
    if run.arm == "a":
        return [
            {
                "translation_tokens": r["translation_tokens"],
                "summary_input_tokens": r["summary_input_tokens"],
                "summary_input_untruncated": r["summary_input_tokens_untruncated"],
                "passes": 1,
                "chunks": 1,
                "engine": "torch float32",
                "beam": r["beams"][0],
            }
            for r in run.reports
        ]
    return [
        {
            "translation_tokens": _stat(r, "translation", "tokens"),
            "summary_input_tokens": _stat(r, "summary", "input_tokens"),
            "passes": _stat(r, "passes"),
            "chunks": _stat(r, "chunks"),
            "engine": f"{r['settings'].get('engine')} {r['settings'].get('compute_type', '')}",
            "beam": r["settings"].get("beam_size"),
        }
        for r in run.reports
    ]


def summarize_arm(runs: list[Run], tokens: dict[str, int]) -> dict[str, Any]:
    """Seconds per article, peak RSS and the work done, over one arm's runs.

    ``tokens`` gives each article's source tokens, for the per-token figures.
    """
    ok = [r for r in runs if not r.error]
    failed = [r.error for r in runs if r.error]
    if not ok:
        return {"error": "; ".join(failed) or "not run"}
    names = [name for r in ok for name in r.articles]
    seconds = sum(r.seconds for r in ok)
    work = [w for r in ok for w in work_of(r)]
    return {
        "articles": names,
        "seconds_per_article": seconds / len(names),
        "seconds_each": [round(r.per_article, 2) for r in ok],
        "source_tokens": sum(tokens[n] for n in names),
        "seconds_per_1k_source_tokens": 1000 * seconds / sum(tokens[n] for n in names),
        "peak_rss_mb": max(r.peak_rss_mb for r in ok),
        "load": [round(r.load, 1) for r in ok],
        "cores_busy": [round(r.cpu_seconds / r.seconds, 2) for r in ok],
        "engine": sorted({str(w["engine"]).strip() for w in work}),
        "beam": sorted({w["beam"] for w in work}),
        "translation_tokens": [w["translation_tokens"] for w in work],
        "summary_input_tokens": [w["summary_input_tokens"] for w in work],
        "summary_input_untruncated": [
            w.get("summary_input_untruncated", w["summary_input_tokens"]) for w in work
        ],
        "passes": [w["passes"] for w in work],
        "chunks": [w["chunks"] for w in work],
        "failed": failed,
    }


ARM_LABELS = {
    "a": "(a) naive one-off script",
    "b": "(b) ringkas --engine torch",
    "c": "(c) ringkas --engine ctranslate2",
    "d": "(d) ringkas folder mode",
}


def _work_text(data: dict[str, Any]) -> str:
    work = list(
        zip(data["translation_tokens"], data["summary_input_tokens"], data["passes"], strict=True)
    )
    if len(work) <= 5:
        chunks = data.get("chunks") or [1] * len(work)
        return " ".join(f"{t}/{s}({c}c{p}p)" for (t, s, p), c in zip(work, chunks, strict=True))
    inputs = [s for _, s, _ in work]
    return (
        f"mean {statistics.mean(t for t, _, _ in work):.0f}/{statistics.mean(inputs):.0f}, "
        f"max input {max(inputs)}; {sum(p > 1 for _, _, p in work)} of {len(work)} chunked"
    )


def ratio(naive: dict[str, Any], data: dict[str, Any], key: str) -> float | None:
    """How many times faster than the naive path (None if either is missing)."""
    if key not in naive or key not in data:
        return None
    return float(naive[key] / data[key])


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}x"


def render_table(arms: dict[str, dict[str, Any]]) -> str:
    """One decoding setting: seconds/article, peak RSS, the work done, ratios to (a)."""
    naive = arms.get("a", {})
    head = (
        f"{'arm':<35}{'engine':<26}{'beam':>4}{'s/article':>10}{'RSS MB':>8}"
        f"{'a/x':>7}{'a/x per tok':>12}  tokens translated/summarizer input (chunks, passes)"
    )
    lines = [head, "-" * len(head)]
    for arm, label in ARM_LABELS.items():
        data = arms.get(arm)
        if data is None:
            continue
        if "error" in data:
            lines.append(f"{label:<35}failed: {data['error'][:300]}")
            continue
        if arm == "d":
            label = f"{label} ({len(data['articles'])} art.)"
        per_article = _times(None if arm == "a" else ratio(naive, data, "seconds_per_article"))
        per_token = _times(
            None if arm == "a" else ratio(naive, data, "seconds_per_1k_source_tokens")
        )
        lines.append(
            f"{label:<35}{', '.join(data['engine']):<26}{'/'.join(map(str, data['beam'])):>4}"
            f"{data['seconds_per_article']:>10.1f}{data['peak_rss_mb']:>8.0f}"
            f"{per_article:>7}{per_token:>12}  {_work_text(data)}"
        )
        lines.extend(f"    failed run: {failure[:300]}" for failure in data["failed"])
    busy = {arm: data["cores_busy"] for arm, data in arms.items() if data.get("cores_busy")}
    if busy:
        # On a machine shared with other work, few cores busy marks a timing as suspect.
        lines.append(
            "cores busy (process CPU s / wall s) per run: "
            + "; ".join(f"{arm} {' '.join(map(str, v))}" for arm, v in busy.items())
        )
    return "\n".join(lines)


def check_targets(arms: dict[str, dict[str, Any]]) -> list[str]:
    """Issue 4's targets, judged on the default-decoding table."""
    naive = arms.get("a", {})
    checks = []
    for arm, target in (("c", TARGET_PER_ARTICLE), ("d", TARGET_FOLDER)):
        data = arms.get(arm, {})
        value = ratio(naive, data, "seconds_per_article")
        if value is None:
            checks.append(f"a/{arm} >= {target:.0f}x: not measured")
            continue
        verdict = "PASS" if value >= target else "FAIL"
        checks.append(f"a/{arm} >= {target:.0f}x: {verdict} ({value:.1f}x)")
    for arm in ("c", "d"):
        rss = arms.get(arm, {}).get("peak_rss_mb")
        if rss is not None:
            verdict = "PASS" if rss <= TARGET_RSS_MB else "FAIL"
            checks.append(f"peak RSS {arm} <= {TARGET_RSS_MB:.0f} MB: {verdict} ({rss:.0f} MB)")
    return checks


def work_warnings(arms: dict[str, dict[str, Any]]) -> list[str]:
    """Where an arm did other work than the naive path on the same article (honesty check)."""
    naive = arms.get("a", {})
    if "summary_input_tokens" not in naive:
        return []
    notes = [
        f"a {name}: the naive script cut the summarizer input from {full} to {cut} tokens"
        for name, cut, full in zip(
            naive["articles"],
            naive["summary_input_tokens"],
            naive["summary_input_untruncated"],
            strict=True,
        )
        if full > cut
    ]
    base = {
        name: (translated, summarized)
        for name, translated, summarized in zip(
            naive["articles"],
            naive["translation_tokens"],
            naive["summary_input_tokens"],
            strict=True,
        )
    }
    for arm in ("b", "c"):
        data = arms.get(arm, {})
        for name, translated, summarized, passes in zip(
            data.get("articles", []),
            data.get("translation_tokens", []),
            data.get("summary_input_tokens", []),
            data.get("passes", []),
            strict=True,
        ):
            if name not in base:
                continue
            naive_translated, naive_summarized = base[name]
            if (
                abs(translated - naive_translated) > 0.05 * naive_translated
                or abs(summarized - naive_summarized) > 0.05 * naive_summarized
                or passes > 1
            ):
                notes.append(
                    f"{arm} {name}: {translated} tokens translated, summarizer input "
                    f"{summarized} in {passes} pass(es); naive: {naive_translated}, "
                    f"{naive_summarized} in 1 pass"
                )
    return notes
