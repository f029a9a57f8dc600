"""Time ringkas against the naive path on real-size random-weight models, in one run.

Usage: python benchmarks/speed.py [--articles N] [--folder-articles 20] [--corpus PATH]
                                  [--quick] [--rebuild] [--reuse-cache]

Arms, each a fresh process per article so imports and model loading count, as for a user:

- (a) naive: ``benchmarks/naive.py`` (torch fp32, one sentence at a time, the models' own
  beams, models loaded per article);
- (b) ``ringkas summarize ARTICLE --engine torch``;
- (c) ``ringkas summarize ARTICLE --engine ctranslate2``;
- (d) one ``ringkas summarize`` process over the folder articles (default engine);
  seconds per article = wall time / number of articles.

Output lengths are forced identically in every arm (``--force-output-lengths 1.0,128``:
each translated sentence exactly as many new tokens as it has input tokens, each summary
pass exactly 128), so random weights do the work real ones would. (b)-(d) run twice: with
ringkas's default decoding and with ``--beam 4`` (the naive path's decoding). The
CTranslate2 conversion is done once beforehand and reported apart. Prints the tables and
writes them to ``benchmarks/out/speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from realsize import (  # noqa: E402  (benchmarks/ is not a package)
    BART_NAME,
    DEFAULT_CORPUS,
    MARIAN_NAME,
    ensure_models,
)
from speed_report import (  # noqa: E402
    Article,
    Run,
    check_targets,
    render_table,
    summarize_arm,
    work_warnings,
)

OUT = BENCH / "out"
CACHE = OUT / "cache"
FORCE = "1.0,128"  # translation tokens per source token, tokens per summary pass
TIMEOUT_S = 3600
# Typical news length in words (after cleaning); merdeka_* are damaged scrapes.
TYPICAL_WORDS = (400, 800)
# Environment that would change what an arm does: each arm gets ringkas's own defaults.
STRIPPED_ENV = re.compile(r"^(RINGKAS_|CT2_|OMP_NUM_THREADS$|MKL_NUM_THREADS$)")


# -- processes -----------------------------------------------------------------------------


# Set by --ringkas-src: a frozen copy of ringkas's source that every process imports.
RINGKAS_SRC: list[Path] = []


def child_env() -> dict[str, str]:
    """The environment every arm runs in: ringkas defaults, offline, the benchmark's cache."""
    env = {k: v for k, v in os.environ.items() if not STRIPPED_ENV.match(k)}
    env["RINGKAS_CACHE_DIR"] = str(CACHE)
    env["HF_HUB_OFFLINE"] = "1"
    if RINGKAS_SRC:
        # Ahead of the editable install's path entry, so this copy is the one imported.
        env["PYTHONPATH"] = os.pathsep.join([str(RINGKAS_SRC[0]), env.get("PYTHONPATH", "")])
    return env


def ringkas_location() -> str:
    """Where the arms import ringkas from (the working tree, or --ringkas-src)."""
    done = subprocess.run(
        [sys.executable, "-c", "import ringkas; print(ringkas.__file__)"],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=tempfile.gettempdir(),
    )
    return done.stdout.strip() or done.stderr.strip()[-200:]


def ringkas_command() -> list[str]:
    """The ``ringkas`` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("ringkas")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "ringkas"]


@dataclass
class Finished:
    """A finished process: wall and CPU seconds, its own peak RSS, exit code and output."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    code: int
    stdout: str
    stderr: str


def timed(command: list[str], timeout: float = TIMEOUT_S) -> Finished:
    """Run ``command`` in the arms' environment and measure it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=child_env(), cwd=REPO)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            # wait4, not wait: its rusage is this child's own, so each arm's peak RSS is its
            # process's and not the largest of all children so far.
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Finished(
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            peak_rss_mb=usage.ru_maxrss / 1024,
            code=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def _tail(text: str, lines: int = 5) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def run_arm(arm: str, setting: str, articles: list[Article], command: list[str]) -> Run:
    """Time one process over ``articles`` and collect its per-article JSON reports."""
    done = timed(command)
    code, stdout, stderr = done.code, done.stdout, done.stderr
    run = Run(arm, setting, [a.name for a in articles], done.seconds, done.peak_rss_mb, code)
    run.cpu_seconds = done.cpu_seconds
    run.load = os.getloadavg()[0]
    if code != 0:
        run.error = f"exit {code}: {_tail(stderr)}"
        return run
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError as exc:
        run.error = f"unreadable output ({exc}): {_tail(stdout)}"
        return run
    run.reports = data if isinstance(data, list) else [data]
    if "converting" in stderr:  # conversion must happen before timing, never inside
        run.error = "converted a model inside a timed run"
    return run


def naive_command(article: Article, models: dict[str, Path]) -> list[str]:
    """Arm (a): the one-off script."""
    return [
        sys.executable,
        str(BENCH / "naive.py"),
        str(article.path),
        "-t",
        str(models[MARIAN_NAME]),
        "-s",
        str(models[BART_NAME]),
        "--force",
        FORCE,
    ]


def ringkas_summarize(
    articles: list[Article], models: dict[str, Path], engine: str | None, beam: int | None
) -> list[str]:
    """Arms (b)-(d): ``ringkas summarize`` with forced lengths, JSON out, quiet."""
    command = [*ringkas_command(), "summarize", *(str(a.path) for a in articles)]
    command += ["-t", str(models[MARIAN_NAME]), "-s", str(models[BART_NAME])]
    command += ["--format", "json", "-q", "--force-output-lengths", FORCE]
    if engine:
        command += ["--engine", engine]
    if beam:
        command += ["--beam", str(beam)]
    return command


# -- what ringkas offers -------------------------------------------------------------------


def ringkas_features() -> dict[str, bool]:
    """Which of the options the benchmark needs this ringkas has."""
    base = ringkas_command()

    def accepts(*args: str) -> bool:
        # Click rejects an unknown option before it reaches --help, so exit 0 means "known".
        done = subprocess.run([*base, *args, "--help"], capture_output=True, env=child_env())
        return done.returncode == 0

    help_text = subprocess.run(
        [*base, "summarize", "--help"], capture_output=True, text=True, env=child_env()
    ).stdout
    return {
        "force_output_lengths": accepts("summarize", "--force-output-lengths", FORCE),
        "beam": accepts("summarize", "--beam", "4"),
        "ctranslate2": "ctranslate2" in help_text,
        "models_import": accepts("models", "import"),
    }


def convert(models: dict[str, Path], *, reuse: bool) -> dict[str, float]:
    """Convert both checkpoints for CTranslate2 once, before any timing; seconds per model."""
    if not reuse:
        # A fresh cache, so the reported time is a real conversion, not a cache hit.
        shutil.rmtree(CACHE, ignore_errors=True)
    seconds: dict[str, float] = {}
    for name, folder in models.items():
        done = timed([*ringkas_command(), "models", "import", str(folder)])
        if done.code != 0:
            raise SystemExit(f"ringkas models import {folder} failed:\n{_tail(done.stderr)}")
        seconds[name] = round(done.seconds, 1)
    return seconds


# -- articles ------------------------------------------------------------------------------


def measure_articles(corpus: Path, marian: Path) -> list[Article]:
    """Every undamaged corpus article with its size in ringkas's sentences and Marian tokens."""
    from transformers import AutoTokenizer

    from naive import sentences_of

    tokenizer = AutoTokenizer.from_pretrained(marian)
    articles = []
    for path in sorted((corpus / "articles").glob("*.txt")):
        if path.name.startswith("merdeka_"):
            continue
        sentences = sentences_of(path.read_text(encoding="utf-8"))
        if not sentences:
            continue
        counts = [len(ids) for ids in tokenizer(sentences)["input_ids"]]
        words = sum(len(s.split()) for s in sentences)
        articles.append(Article(path, words, len(sentences), sum(counts), max(counts)))
    return articles


def _typical_first(articles: list[Article]) -> list[Article]:
    """Articles ordered by distance from typical news length (then name: deterministic)."""
    low, high = TYPICAL_WORDS
    middle = (low + high) / 2

    def key(a: Article) -> tuple[float, float, str]:
        outside = max(low - a.words, a.words - high, 0)
        return (outside, abs(a.words - middle), a.name)

    return sorted(articles, key=key)


def pick_articles(articles: list[Article], count: int) -> list[Article]:
    """``count`` typical-length articles, from different outlets where possible."""
    ranked = _typical_first(articles)
    picked: list[Article] = []
    outlets: set[str] = set()
    for article in ranked:
        outlet = article.name.rsplit("_", 1)[0]
        if outlet not in outlets and len(picked) < count:
            picked.append(article)
            outlets.add(outlet)
    for article in ranked:  # fewer outlets than wanted: fill up in rank order
        if len(picked) < count and article not in picked:
            picked.append(article)
    return picked


def pick_folder(articles: list[Article], timed_ones: list[Article], count: int) -> list[Article]:
    """The folder-mode set: the timed articles plus the next most typical ones."""
    rest = [a for a in _typical_first(articles) if a not in timed_ones]
    return (timed_ones + rest)[:count]


# -- reporting -----------------------------------------------------------------------------


# -- main ----------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("torch", "transformers", "ctranslate2", "ringkas"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def _slim(report: dict[str, Any]) -> dict[str, Any]:
    # Translations of random weights are long and meaningless: keep only the bookkeeping.
    if "stats" not in report:  # the naive script's report is bookkeeping already
        return {k: v for k, v in report.items() if not k.endswith("_sample")}
    keep = ("source", "settings", "stats", "warnings", "sentences")
    slim = {k: v for k, v in report.items() if k in keep}
    if isinstance(slim.get("sentences"), list):
        slim["sentences"] = len(slim["sentences"])
    return slim


def _progress(run: Run) -> None:
    what = f"({run.arm}) {run.setting:<7} {', '.join(run.articles)[:60]}"
    result = run.error or (
        f"{run.per_article:.1f} s/article, peak RSS {run.peak_rss_mb:.0f} MB, "
        f"{run.cpu_seconds / run.seconds:.2f} cores busy, load {run.load:.1f}"
    )
    print(f"  {what}: {result}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3, help="articles per arm (default 3)")
    parser.add_argument("--folder-articles", type=int, default=20, help="folder mode (20)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quick", action="store_true", help="1 article per arm, 5 in folder")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the random models")
    parser.add_argument(
        "--reuse-cache", action="store_true", help="keep earlier conversions (time is a hit)"
    )
    parser.add_argument("--arms", default="abcd", help="arms to run, e.g. 'cd' (default all)")
    parser.add_argument(
        "--json", type=Path, default=OUT / "speed.json", help="where to write the results"
    )
    parser.add_argument(
        "--report", type=Path, metavar="JSON", help="print the tables of an earlier run's JSON"
    )
    parser.add_argument(
        "--ringkas-src",
        type=Path,
        help="import ringkas from this src folder (e.g. a `git archive` copy), so edits to "
        "the working tree during a long run cannot mix versions",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.folder_articles = 1, 5
    return args


def describe(
    models: dict[str, Path],
    candidates: list[Article],
    timed_articles: list[Article],
    folder: list[Article],
) -> dict[str, Any]:
    """Print and return what the run is made of: machine, versions, models, articles."""
    setup = {
        "source_tokens": {a.name: a.source_tokens for a in candidates},
        "cpu_count": os.cpu_count(),
        "versions": _versions(),
        "forced_output_lengths": FORCE,
        "models": {name: str(path) for name, path in models.items()},
        "articles": [asdict(a) | {"path": str(a.path)} for a in timed_articles],
        "folder_articles": [a.name for a in folder],
        "folder_mean_source_tokens": statistics.mean(a.source_tokens for a in folder),
    }
    print(f"cpu count {setup['cpu_count']}; threads: each engine's default (all cores)")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in setup["versions"].items()))
    print(f"forced output lengths {FORCE} (tokens per source token, tokens per summary pass)")
    print("models: " + ", ".join(setup["models"].values()))
    print("timed articles:")
    for a in timed_articles:
        print(
            f"  {a.name}: {a.words} words, {a.sentences} sentences, {a.source_tokens} source "
            f"tokens (longest sentence {a.longest_sentence})"
        )
    print(
        f"folder articles: {len(folder)}, mean "
        f"{setup['folder_mean_source_tokens']:.0f} source tokens"
    )
    return setup


def time_arms(
    arms: set[str],
    settings: list[tuple[str, int | None]],
    models: dict[str, Path],
    timed_articles: list[Article],
    folder: list[Article],
    save: Any,
) -> list[Run]:
    """Run every timed process; ``save(runs)`` after each, so a crash loses nothing."""
    runs: list[Run] = []

    def add(run: Run) -> None:
        runs.append(run)
        _progress(run)
        save(runs)

    print("timing ...", file=sys.stderr)
    # Interleaved per article, so drift on a shared machine hits every arm alike.
    for article in timed_articles:
        if "a" in arms:
            add(run_arm("a", "naive", [article], naive_command(article, models)))
        for setting, beam in settings:
            for arm, engine in (("b", "torch"), ("c", "ctranslate2")):
                if arm in arms:
                    command = ringkas_summarize([article], models, engine, beam)
                    add(run_arm(arm, setting, [article], command))
    for setting, beam in settings:
        if "d" in arms:
            add(run_arm("d", setting, folder, ringkas_summarize(folder, models, None, beam)))
    return runs


def report(runs: list[Run], tokens: dict[str, int], settings: list[str]) -> dict[str, Any]:
    """Print one table per decoding setting, the targets and any unequal work."""
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for number, setting in enumerate(settings, 1):
        table: dict[str, dict[str, Any]] = {}
        for arm in "abcd":
            mine = [r for r in runs if r.arm == arm and (arm == "a" or r.setting == setting)]
            if mine:
                table[arm] = summarize_arm(mine, tokens)
        tables[setting] = table
        beams = sorted({b for arm in "bcd" for b in table.get(arm, {}).get("beam", [])})
        what = "its default decoding" if setting == "default" else "the naive path's decoding"
        print(f"\n{number}) ringkas with {what}: beam {'/'.join(map(str, beams))} in both stages")
        print(render_table(table))
        if setting == "default":
            print("targets: " + "; ".join(check_targets(table)))
        for note in work_warnings(table):
            print(f"  work differs: {note}")
    print(
        "\ns/article: wall time of the process(es) / articles, imports and loading included,"
        " conversion excluded. a/x: (a)'s seconds per article / the arm's; a/x per tok: the"
        " same per source token (the folder set differs in length from the timed articles)."
        " tokens: generated by the translator / summarizer input (chunks c, summary passes p)."
    )
    return tables


def reprint(path: Path) -> int:
    """Print the tables of a speed.json written earlier (nothing is run)."""
    saved = json.loads(path.read_text(encoding="utf-8"))
    runs = [
        Run(**{k: v for k, v in r.items() if k in Run.__dataclass_fields__}) for r in saved["runs"]
    ]
    settings = list(dict.fromkeys(r.setting for r in runs if r.arm != "a"))
    print(f"{path}: cpu count {saved['cpu_count']}; ringkas from {saved.get('ringkas')}")
    if saved.get("conversion_seconds"):
        print(f"ctranslate2 conversion, once: {saved['conversion_seconds']}")
    report(runs, saved["source_tokens"], settings)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run every arm, print the two tables and write benchmarks/out/speed.json."""
    args = parse_args(argv)
    if args.report:
        return reprint(args.report)
    if args.ringkas_src:
        RINGKAS_SRC[:] = [args.ringkas_src.resolve()]
    if not (args.corpus / "articles").is_dir():
        print(f"corpus not found at {args.corpus} (pass --corpus PATH)", file=sys.stderr)
        return 2
    features = ringkas_features()
    if not features["force_output_lengths"]:
        print(
            "this ringkas has no --force-output-lengths: random weights would not do the work "
            "real ones do, so nothing is timed",
            file=sys.stderr,
        )
        return 2
    ct2 = features["ctranslate2"] and features["models_import"]
    arms = {a for a in args.arms if a in ("ab" + ("cd" if ct2 else ""))}
    models = ensure_models(args.corpus, rebuild=args.rebuild)
    candidates = measure_articles(args.corpus, models[MARIAN_NAME])
    timed_articles = pick_articles(candidates, args.articles)
    folder = pick_folder(candidates, timed_articles, args.folder_articles)
    result: dict[str, Any] = describe(models, candidates, timed_articles, folder) | {
        "features": features
    }
    result["ringkas"] = ringkas_location()
    print(f"ringkas imported from {result['ringkas']}")
    if not ct2:
        print("ringkas has no ctranslate2 engine or `models import` yet: arms c and d skipped")

    if ct2 and arms & {"c", "d"}:
        print("converting for CTranslate2 (not timed below) ...", file=sys.stderr)
        result["conversion_seconds"] = conversion = convert(models, reuse=args.reuse_cache)
        print(
            "ctranslate2 conversion, once (ringkas models import): "
            + ", ".join(f"{k} {v:.1f} s" for k, v in conversion.items())
            + (" (earlier conversion reused)" if args.reuse_cache else "")
        )

    settings: list[tuple[str, int | None]] = [("default", None)]
    if features["beam"]:
        settings.append(("beam 4", 4))
    args.json.parent.mkdir(parents=True, exist_ok=True)

    def save(runs: list[Run], **extra: Any) -> None:
        result["runs"] = [asdict(r) | {"reports": [_slim(x) for x in r.reports]} for r in runs]
        result.update(extra)
        args.json.write_text(json.dumps(result, indent=2, default=str), "utf-8")

    runs = time_arms(arms, settings, models, timed_articles, folder, save)
    tables = report(runs, result["source_tokens"], [name for name, _ in settings])
    save(runs, tables=tables, targets=check_targets(tables.get("default", {})))
    print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
