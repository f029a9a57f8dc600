"""Bookkeeping and tables for benchmarks/speed.py: what each run did, ratios, targets."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Targets of issue 15 on a 2-core machine: times faster than the naive script, per article
# (c) and in folder mode (d); cores busy during one article; ringkas's wall time over the
# engine floor in folder mode; peak RSS of one article and of a folder.
TARGET_PER_ARTICLE = 9.0
TARGET_CORES_BUSY = 1.8
TARGET_FOLDER = 13.0
TARGET_OVER_FLOOR = 1.25
TARGET_RSS_MB = {"c": 800.0, "d": 900.0}


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
    # Arms (c) and (d): where the wall time went (seconds by stage, all articles), and the
    # engine floor of the same CTranslate2 calls (floor.py's results).
    stages: dict[str, float] = field(default_factory=dict)
    floor: dict[str, Any] = field(default_factory=dict)

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
        "cores_busy_mean": sum(r.cpu_seconds for r in ok) / seconds if seconds else 0.0,
        **_floor_of(ok, len(names)),
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


def _floor_of(runs: list[Run], articles: int) -> dict[str, Any]:
    """Arms (c), (d): stage seconds and the engine floor, per article, over ``runs``."""
    if not any(r.stages for r in runs):
        return {}
    stages: dict[str, float] = {}
    for run in runs:
        for name, value in run.stages.items():
            stages[name] = stages.get(name, 0.0) + value / articles
    floors = [r.floor for r in runs if r.floor and "error" not in r.floor]
    data: dict[str, Any] = {"stages": stages}
    errors = [r.floor["error"] for r in runs if "error" in r.floor]
    if errors or not floors:
        data["floor"] = {"error": "; ".join(errors) or "not run"}
        return data
    floor: dict[str, Any] = {"load": sum(f["load_seconds"]["ringkas"] for f in floors) / articles}
    for f in floors:
        for role, value in f["median_seconds"]["ringkas"].items():
            floor[role] = floor.get(role, 0.0) + value / articles
    floor["peak_rss_mb"] = max(f["peak_rss_mb"] for f in floors)
    floor["cores_busy"] = statistics.mean(f["cores_busy"] for f in floors)
    floor["length_mismatches"] = sum(f["length_mismatches"] for f in floors)
    floor["layout"] = sorted({f["recorded_layout"] for f in floors})
    data["floor"] = floor
    wall = sum(r.seconds for r in runs) / articles
    data["over_floor"] = wall / floor["total"] if floor.get("total") else None
    return data


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


def render_layouts(found: dict[str, dict[str, Any]]) -> str:
    """The engine floor of (c)'s first article and of (d) under other thread layouts."""
    lines = [
        "engine floor under other thread layouts (WxT: W workers of T threads; a/b: "
        "translator a, summarizer b), median seconds; busiest thread: its CPU seconds, "
        "an estimate of the idle-machine time when others' work shares the cores"
    ]
    for arm, data in found.items():
        if "error" in data:
            lines.append(f"({arm}) failed: {data['error'][:300]}")
            continue
        env = ", ".join(f"{k}={v}" for k, v in data.get("env", {}).items()) or "OpenMP defaults"
        lines.append(f"({arm}) recorded layout: {data['recorded_layout']}; {env}")
        medians = data["median_seconds"]
        base = medians.get("ringkas", {}).get("total")
        if arm.startswith("c,") and "c" in found:  # a variant of (c): compare with (c)'s
            base = found["c"].get("median_seconds", {}).get("ringkas", {}).get("total")
        for name, median in medians.items():
            roles = ", ".join(f"{k} {v:.2f}" for k, v in median.items() if k != "total")
            busiest: dict[str, float] = {}
            for run in data["runs"][name]:
                for role, value in run.get("busiest_thread_seconds", {}).items():
                    busiest[role] = busiest.get(role, 0.0) + value / len(data["runs"][name])
            busy = ", ".join(f"{k} {v:.2f}" for k, v in busiest.items())
            versus = f" ({median['total'] / base:.2f}x ringkas's time)" if base else ""
            same = "" if data.get("same_tokens", {}).get(name, True) else "; OTHER TOKENS"
            lines.append(
                f"  {name:<10} total {median['total']:.2f}{versus}: {roles}; busiest thread "
                f"{busy}{same}"
            )
    return "\n".join(lines)


def check_targets(arms: dict[str, dict[str, Any]]) -> list[str]:
    """Issue 15's targets, judged on the default-decoding table."""
    naive = arms.get("a", {})
    checks = []

    def judge(what: str, value: float | None, target: float, *, most: bool = False) -> None:
        if value is None:
            checks.append(f"{what}: not measured")
            return
        ok = value <= target if most else value >= target
        checks.append(f"{what}: {'PASS' if ok else 'FAIL'} ({value:.2f})")

    for arm, target in (("c", TARGET_PER_ARTICLE), ("d", TARGET_FOLDER)):
        value = ratio(naive, arms.get(arm, {}), "seconds_per_article")
        judge(f"a/{arm} >= {target:.0f}x", value, target)
    busy = arms.get("c", {}).get("cores_busy_mean")
    judge(f"cores busy (c) >= {TARGET_CORES_BUSY}", busy, TARGET_CORES_BUSY)
    over = arms.get("d", {}).get("over_floor")
    judge(f"(d) / engine floor <= {TARGET_OVER_FLOOR}x", over, TARGET_OVER_FLOOR, most=True)
    for arm, limit in TARGET_RSS_MB.items():
        rss = arms.get(arm, {}).get("peak_rss_mb")
        judge(f"peak RSS ({arm}) <= {limit:.0f} MB", rss, limit, most=True)
    return checks


def render_floor(arms: dict[str, dict[str, Any]]) -> str:
    """Per stage, seconds per article of ringkas (arms c, d) beside the engine floor's."""
    shown = [arm for arm in ("c", "d") if arms.get(arm, {}).get("stages")]
    if not shown:
        return ""
    floor_role = {"loading": "load", "translation": "translator", "summary": "summarizer"}
    head = f"{'seconds per article':<24}" + "".join(
        f"{'(' + arm + ') ringkas':>13}{'floor':>8}{'x':>7}" for arm in shown
    )
    lines = [head, "-" * len(head)]
    stages = list(arms[shown[0]]["stages"])
    for stage in [*stages, "total", "peak RSS MB", "cores busy"]:
        row = f"{stage:<24}"
        for arm in shown:
            data = arms[arm]
            floor = data.get("floor", {})
            if stage == "total":
                mine, theirs = data["seconds_per_article"], floor.get("total")
            elif stage == "peak RSS MB":
                mine, theirs = data["peak_rss_mb"], floor.get("peak_rss_mb")
            elif stage == "cores busy":
                mine, theirs = data["cores_busy_mean"], floor.get("cores_busy")
            else:
                mine = data["stages"].get(stage, 0.0)
                theirs = floor.get(floor_role.get(stage, ""))
            times = f"{mine / theirs:.2f}" if theirs and stage not in ("cores busy",) else ""
            width = ".0f" if stage == "peak RSS MB" else ".2f"
            their_text = "-" if theirs is None else format(theirs, width)
            row += f"{format(mine, width):>13}{their_text:>8}{times:>7}"
        lines.append(row)
    notes = []
    for arm in shown:
        floor = arms[arm].get("floor", {})
        if "error" in floor:
            notes.append(f"({arm}) floor failed: {floor['error'][:300]}")
        elif floor.get("length_mismatches"):
            notes.append(f"({arm}) floor: {floor['length_mismatches']} outputs of another length")
        else:
            notes.append(f"({arm}) layout {', '.join(floor.get('layout', []))}")
    return "\n".join([*lines, *notes])


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
