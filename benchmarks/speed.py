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
    render_floor,
    render_layouts,
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
STRIPPED_ENV = re.compile(r"^(RINGKAS_|CT2_|OMP_|GOMP_|KMP_|MKL_NUM_THREADS$|MALLOC_ARENA_MAX$)")


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


# OpenMP's own default wait (GNU: spin ~300,000 times, then sleep), which ringkas replaces
# with sleeping unless the user sets one: the layouts comparison shows what that costs.
SPINNING = ("OMP_WAIT_POLICY=", "GOMP_SPINCOUNT=300000")
LAUNCH = BENCH / "launch.py"
TRACER = BENCH / "ct2trace.py"
FLOOR = BENCH / "floor.py"
TRACES = OUT / "traces"


@dataclass
class Finished:
    """A finished process: wall and CPU seconds, its own peak RSS, exit code and output."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    code: int
    stdout: str
    stderr: str
    start: float = 0.0  # time.time() when it started and ended
    end: float = 0.0


def timed(command: list[str], timeout: float = TIMEOUT_S) -> Finished:
    """Run ``command`` in the arms' environment through ``launch.py`` and measure it.

    Through the launcher, not straight from here: a child forked from this process would
    report this process's memory as its own peak (see launch.py).
    """
    with (
        tempfile.TemporaryDirectory() as scratch,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        usage_file = Path(scratch) / "usage.json"
        process = subprocess.Popen(
            [sys.executable, str(LAUNCH), str(usage_file), *command],
            stdout=out,
            stderr=err,
            env=child_env(),
            cwd=REPO,
        )
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.terminate()  # the launcher kills the command
            process.wait()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        if not usage_file.is_file():
            return Finished(0.0, 0.0, 0.0, process.returncode or -1, stdout, stderr)
        usage = json.loads(usage_file.read_text("utf-8"))
        return Finished(
            seconds=usage["seconds"],
            cpu_seconds=usage["cpu_seconds"],
            peak_rss_mb=usage["peak_rss_mb"],
            code=usage["exit_code"],
            stdout=stdout,
            stderr=stderr,
            start=usage["start"],
            end=usage["end"],
        )


def check_rss_measure() -> dict[str, float | None]:
    """Measure one process that touches 256 MiB through launch.py and, where it exists,
    through ``/usr/bin/time -f %M``: the two must agree (this process is much larger)."""
    touch = "x = bytearray(256 << 20); x[::4096] = bytes(len(x[::4096]))"
    command = [sys.executable, "-c", touch]
    found: dict[str, float | None] = {"launch.py": timed(command).peak_rss_mb, "time": None}
    gnu_time = Path("/usr/bin/time")
    if gnu_time.is_file():
        done = subprocess.run(
            [str(gnu_time), "-f", "%M", *command], capture_output=True, text=True, check=False
        )
        last = done.stderr.strip().splitlines()[-1:] or [""]
        if done.returncode == 0 and last[0].isdigit():
            found["time"] = int(last[0]) / 1024
    return found


def _tail(text: str, lines: int = 5) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def run_arm(
    arm: str, setting: str, articles: list[Article], command: list[str], trace: Path | None = None
) -> Run:
    """Time one process over ``articles`` and collect its per-article JSON reports.

    With ``trace``, ``command`` runs under ct2trace.py (every CTranslate2 call recorded),
    and floor.py then replays those calls alone: the engine floor of the same work.
    """
    if trace is not None:
        trace.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, str(TRACER), str(trace), *command[len(ringkas_command()) :]]
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
    if trace is not None and not run.error:
        recorded = json.loads(trace.read_text("utf-8"))
        run.stages = stages_of(done.start, done.end, recorded, run.reports)
        run.floor = engine_floor(trace)
    return run


def engine_floor(
    trace: Path, layouts: str | None = None, repeat: int = 1, env: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Replay a trace with floor.py (a fresh process, so its peak RSS is the engine's):
    as recorded, or (experiments) under other thread ``layouts``, interleaved ``repeat``
    times, with sub-batches sized for each layout's workers, or other threading ``env``."""
    suffix = "floor" if layouts is None else "layouts" + "-env" * bool(env)
    result = trace.with_name(f"{trace.stem}.{suffix}.json")
    command = [sys.executable, str(FLOOR), str(trace), "--json", str(result)]
    if layouts is not None:
        command += ["--layouts", layouts, "--repeat", str(repeat), "--rebatch"]
    command += [f"--env={item}" for item in env]
    done = timed(command)
    if done.code != 0 or not result.is_file():
        return {"error": f"exit {done.code}: {_tail(done.stderr)}"}
    data: dict[str, Any] = json.loads(result.read_text("utf-8"))
    data["peak_rss_mb"] = done.peak_rss_mb
    data["cores_busy"] = done.cpu_seconds / done.seconds if done.seconds else 0.0
    return data


def stages_of(
    start: float, end: float, trace: dict[str, Any], reports: list[dict[str, Any]]
) -> dict[str, float]:
    """Where a ringkas process's wall time went, in seconds (all its articles together).

    From the trace: start-up and imports (the process starting to the pipeline loading its
    models), loading (until the pipeline can start: both models, tokenizers included, or,
    where ringkas loads the summarizer beside the translation, the translator; where the
    trace could not see the pipeline: first CTranslate2 model opening to the last). From
    ringkas's own per-article ``stats.seconds``: reading and cleaning, translation, summary,
    checks. What is left is writing the output and the exit (and the reading of a ringkas
    without "read" seconds).
    """
    models = trace["models"]
    first = min((m["start"] for m in models), default=trace["finished"])
    last = max((m["end"] for m in models), default=first)
    if trace.get("loading", {}).get("end"):
        first, last = trace["loading"]["start"], trace["loading"]["end"]

    def own(*keys: str) -> float:
        return sum(r.get("stats", {}).get("seconds", {}).get(k, 0.0) for r in reports for k in keys)

    stages = {
        "start-up and imports": first - start,
        "loading": last - first,
        "reading and cleaning": own("read", "clean"),
        "translation": own("translate"),
        "summary": own("summarize"),
        "checks": own("check"),
    }
    stages["output and exit"] = (end - start) - sum(stages.values())
    return stages


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
    parser.add_argument(
        "--layouts",
        default="2x1,1x2",
        help="thread layouts (WORKERSxTHREADS, or translator/summarizer as 2x1/1x2) to replay "
        "the first article's and the folder's engine calls under, beside ringkas's own "
        "('none': skip)",
    )
    parser.add_argument("--layout-repeat", type=int, default=2, help="replays per layout (2)")
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


def trace_path(arm: str, setting: str, name: str) -> Path:
    return TRACES / f"{arm}-{setting.replace(' ', '')}-{name}.json"


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
                    trace = trace_path(arm, setting, article.name) if arm == "c" else None
                    add(run_arm(arm, setting, [article], command, trace))
    for setting, beam in settings:
        if "d" in arms:
            command = ringkas_summarize(folder, models, None, beam)
            add(run_arm("d", setting, folder, command, trace_path("d", setting, "folder")))
    return runs


def compare_layouts(runs: list[Run], layouts: str, repeat: int) -> dict[str, Any]:
    """Replay the first timed article's and the folder's traces (default decoding) under
    other thread layouts, to show what the layout ringkas chose is worth."""
    found: dict[str, Any] = {}
    for arm in ("c", "d"):
        run = next((r for r in runs if r.arm == arm and r.setting == "default"), None)
        if run is None or run.error:
            continue
        name = run.articles[0] if arm == "c" else "folder"
        trace = trace_path(arm, "default", name)
        print(f"replaying ({arm}) {name} under layouts {layouts} ...", file=sys.stderr)
        found[arm] = engine_floor(trace, "ringkas," + layouts, repeat)
        if arm == "c":  # OpenMP threads that spin while they wait (GNU's default)
            spinning = engine_floor(trace, "ringkas", repeat, SPINNING)
            found["c, spinning waits"] = spinning
    if found:
        print(f"\n{render_layouts(found)}")
    return found


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
        floor_table = render_floor(table)
        if floor_table:
            print("\nwhere the time goes, beside the engine floor (the same CTranslate2 calls):")
            print(floor_table)
        if setting == "default":
            print("targets: " + "; ".join(check_targets(table)))
        for note in work_warnings(table):
            print(f"  work differs: {note}")
    print(
        "\ns/article: wall time of the process(es) / articles, imports and loading included,"
        " conversion excluded. a/x: (a)'s seconds per article / the arm's; a/x per tok: the"
        " same per source token (the folder set differs in length from the timed articles)."
        " tokens: generated by the translator / summarizer input (chunks c, summary passes p)."
        " Engine floor: the calls ringkas made to CTranslate2, replayed alone with the models"
        " loaded (floor.py); its total is translation + summary, and x = ringkas / floor."
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
    if saved.get("layouts"):
        print(f"\n{render_layouts(saved['layouts'])}")
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
    result["rss_check_mb"] = rss = check_rss_measure()
    print(
        "peak RSS measure, checked on a process touching 256 MiB: launch.py "
        f"{rss['launch.py']:.1f} MB, /usr/bin/time -f %M "
        + ("not available" if rss["time"] is None else f"{rss['time']:.1f} MB")
    )
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
    if args.layouts != "none":
        result["layouts"] = compare_layouts(runs, args.layouts, args.layout_repeat)
        save(runs)
    print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
