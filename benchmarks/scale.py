"""Ray's overhead: the same articles through a local folder run and through Ray, in one run.

Usage: python benchmarks/scale.py [--articles 40] [--threads N] [--cpus-per-actor 0 1]
                                  [--gpus-per-actor G --device cuda]
                                  [--corpus PATH] [--reuse-cache] [--quick]

Real-size random-weight models (``benchmarks/realsize.py``), output lengths forced as in
``benchmarks/speed.py``, CTranslate2 conversion done once beforehand. Arms over the same
folder of corpus articles, each one ``ringkas summarize DIR -O OUT`` process:

- local: ``--threads N`` (all cores by default);
- ray, one arm per actor shape of ``--cpus-per-actor``: a local Ray instance with N CPUs,
  started by this script first (timed apart, as a cluster is already up when a job is sent
  to it), then ``--ray ADDRESS``; shape 0 (the first, by default) gives no ``--ray-cpus``,
  so ringkas sizes the actors itself (2 CPUs each); shape C gives N / C actors of C CPUs
  (N threads in all, as local). With ``--gpus-per-actor G``, as many actors as the GPUs
  hold (G each), and every arm on ``--device``.

Prints the wall times, each Ray arm's ratio to the local run (Ray's overhead; target within
1.15x), whether it wrote the same summaries as the local run, and the throughput of one
actor: articles per actor-hour from the report's per-article seconds (an actor works on one
group at a time, so the seconds of its articles add up to its busy time), and from that
articles per hour for a node of a given number of cores. Writes
``benchmarks/out/scale.json``. Requires ``pip install 'ringkas[ray]'``. Timings on a shared
machine are noisy: compare the ratio, and rerun on an idle machine for numbers to publish.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from realsize import BART_NAME, DEFAULT_CORPUS, MARIAN_NAME, ensure_models  # noqa: E402
from speed import FORCE, OUT, Finished, child_env, convert, ringkas_command, timed  # noqa: E402

TARGET = 1.15
DEFAULT_CPUS = 2  # ringkas's actors without --ray-cpus (ringkas.ray.sized)
NODE_CORES = (16, 32, 64)  # node sizes the README's table is given for


def pick(corpus: Path, count: int) -> list[Path]:
    """``count`` corpus articles in name order (merdeka_* are damaged scrapes)."""
    paths = [p for p in sorted((corpus / "articles").glob("*.txt")) if "merdeka_" not in p.name]
    if len(paths) < count:
        raise SystemExit(f"only {len(paths)} articles in {corpus / 'articles'}, {count} wanted")
    return paths[:count]


def summarize(folder: Path, out: Path, report: Path, models: dict[str, Path]) -> list[str]:
    command = [*ringkas_command(), "summarize", str(folder), "-O", str(out), "-f", "json"]
    command += ["-t", str(models[MARIAN_NAME]), "-s", str(models[BART_NAME])]
    return [*command, "-q", "--force-output-lengths", FORCE, "--report", str(report)]


def check(name: str, done: Finished, report: Path, count: int) -> dict[str, Any]:
    if done.code != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise SystemExit(f"the {name} run failed (exit {done.code}):\n{tail}")
    if "converting" in done.stderr:
        raise SystemExit(f"the {name} run converted a model inside the timing")
    data: dict[str, Any] = json.loads(report.read_text("utf-8"))
    if data["counts"]["done"] != count:
        raise SystemExit(f"the {name} run did {data['counts']} of {count} articles")
    return data


def summaries(out: Path) -> dict[str, str]:
    return {
        p.name: json.loads(p.read_text("utf-8"))["summary"] for p in sorted(out.rglob("*.json"))
    }


def start_ray(cpus: int) -> tuple[Any, str, float]:  # GPUs: all Ray detects
    """A local Ray instance whose processes get the arms' environment; its address."""
    import ray

    os.environ.update(child_env())  # inherited by the instance's processes (the actors)
    start = time.perf_counter()
    ray.init(
        address="local",
        num_cpus=cpus,
        include_dashboard=False,
        logging_level=logging.ERROR,
        log_to_driver=False,
    )
    return ray, ray.get_runtime_context().gcs_address, time.perf_counter() - start


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--cpus-per-actor",
        type=int,
        nargs="+",
        default=[0, 1],
        help="actor shapes, one Ray arm each; 0: ringkas's default (no --ray-cpus)",
    )
    parser.add_argument("--gpus-per-actor", type=float, default=0.0)
    parser.add_argument("--device", default=None, help="both arms, e.g. cuda")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--reuse-cache", action="store_true", help="keep converted models")
    parser.add_argument("--quick", action="store_true", help="4 articles: a smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles = 4
    return args


def ray_arm(
    args: argparse.Namespace, cpus: int, models: dict[str, Path], work: Path, address: str
) -> tuple[Finished, Path, Path]:
    """One Ray run with actors of ``cpus`` CPUs (0: as ringkas sizes them)."""
    label = f"ray-{cpus or 'default'}"
    out, report = work / label, work / f"{label}.json"
    command = summarize(work / "articles", out, report, models)
    command += [*(["--device", args.device] if args.device else []), "--ray", address]
    if cpus:
        command += ["--ray-cpus", str(cpus)]
    if args.gpus_per_actor:  # as many actors as the GPUs hold
        command += ["--ray-gpus", str(args.gpus_per_actor)]
    elif cpus:
        command += ["--ray-actors", str(max(1, args.threads // cpus))]
    return timed(command), out, report


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.corpus / "articles").is_dir():
        raise SystemExit(f"corpus not found at {args.corpus} (pass --corpus PATH)")
    device = ["--device", args.device] if args.device else []
    models = ensure_models(args.corpus)
    conversion = convert(models, reuse=args.reuse_cache)
    work = Path(tempfile.mkdtemp(prefix="ringkas-scale-"))
    arms: list[dict[str, Any]] = []
    try:
        folder = work / "articles"
        folder.mkdir()
        for path in pick(args.corpus, args.articles):
            shutil.copy(path, folder / path.name)
        print(f"{args.articles} articles, {args.threads} threads", file=sys.stderr)

        local_out, local_report = work / "local", work / "local.json"
        command = [*summarize(folder, local_out, local_report, models), *device, "--threads"]
        local = timed([*command, str(args.threads)])
        local_data = check("local", local, local_report, args.articles)
        print(f"local: {local.seconds:.1f} s", file=sys.stderr)
        mine = summaries(local_out)

        ray, address, ray_start = start_ray(args.threads)
        try:
            for cpus in args.cpus_per_actor:
                done, out, report = ray_arm(args, cpus, models, work, address)
                data = check(f"ray ({cpus or 'default'} CPUs)", done, report, args.articles)
                shape = cpus or (1 if args.gpus_per_actor else DEFAULT_CPUS)
                arm = arm_result(args, shape, done, data, local.seconds, ray_start)
                arms.append(
                    {**arm, "ringkas_default": not cpus, "same_summaries": summaries(out) == mine}
                )
                print(f"ray, {shape} CPUs per actor: {done.seconds:.1f} s", file=sys.stderr)
        finally:
            ray.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    local_busy = sum(item["seconds"] for item in local_data["items"])
    result = {
        "articles": args.articles,
        "threads": args.threads,
        "gpus_per_actor": args.gpus_per_actor,
        "conversion_seconds": conversion,
        "local_seconds": round(local.seconds, 1),
        "local_articles_per_hour": round(3600 * args.articles / local.seconds),
        "local_seconds_per_article_of_work": round(local_busy / args.articles, 2),
        "ray_start_seconds": round(ray_start, 1),
        "ray": arms,
        "load_average": round(os.getloadavg()[0], 2),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "scale.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lines = [
        f"\nlocal folder run           {result['local_seconds']:8.1f} s   "
        f"({result['local_articles_per_hour']} articles/hour)"
    ]
    for arm in arms:
        verdict = "within" if arm["ratio"] <= TARGET else "OVER"
        default = ", ringkas's default" if arm["ringkas_default"] else ""
        lines += [
            f"Ray, {arm['actors']} actor(s) of {arm['cpus_per_actor']} CPU{default}",
            f"  {arm['seconds']:8.1f} s ({arm['articles_per_hour']} articles/hour); ratio "
            f"Ray/local {arm['ratio']:.3f}, {verdict} the {TARGET}x target "
            f"({arm['ratio_with_start']:.3f} with Ray's start, {result['ray_start_seconds']} s)",
            f"  same summaries as local: {arm['same_summaries']}",
            f"  one actor: {arm['actor_seconds_per_article']} s per article, "
            f"{arm['articles_per_actor_hour']} articles per actor-hour; "
            + ", ".join(f"node of {k}: {v}/hour" for k, v in arm["articles_per_node_hour"].items()),
        ]
    lines.append(f"(load average {result['load_average']}; written to {OUT / 'scale.json'})")
    print("\n".join(lines))
    return 0 if all(arm["same_summaries"] for arm in arms if arm["ringkas_default"]) else 1


def arm_result(
    args: argparse.Namespace,
    shape: float,
    done: Finished,
    data: dict[str, Any],
    local_seconds: float,
    ray_start: float,
) -> dict[str, Any]:
    """One Ray arm's times, ratios and throughput (actor-seconds from the report)."""
    busy = sum(item["seconds"] for item in data["items"])  # actor-seconds, load included
    per_actor_hour = 3600 * args.articles / busy
    return {
        "cpus_per_actor": shape,
        "actors": data_actors(args, shape),
        "seconds": round(done.seconds, 1),
        "ratio": round(done.seconds / local_seconds, 3),
        "ratio_with_start": round((done.seconds + ray_start) / local_seconds, 3),
        "actor_seconds_per_article": round(busy / args.articles, 2),
        "articles_per_actor_hour": round(per_actor_hour),
        "articles_per_hour": round(3600 * args.articles / done.seconds),
        "articles_per_node_hour": {
            f"{cores} cores": round(per_actor_hour * cores / shape) for cores in NODE_CORES
        },
        "articles_per_gpu_hour": (
            round(per_actor_hour / args.gpus_per_actor) if args.gpus_per_actor else None
        ),
    }


def data_actors(args: argparse.Namespace, cpus: float) -> int | str:
    """The actors a run had: as many as the GPUs hold, or the threads' share."""
    if args.gpus_per_actor:
        return "as many as the GPUs hold"
    return max(1, int(args.threads // cpus))


if __name__ == "__main__":
    sys.exit(main())
