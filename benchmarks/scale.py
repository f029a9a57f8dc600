"""Ray's overhead: the same articles through a local folder run and through Ray, in one run.

Usage: python benchmarks/scale.py [--articles 40] [--threads N] [--cpus-per-actor 1]
                                  [--gpus-per-actor G --device cuda]
                                  [--corpus PATH] [--reuse-cache] [--quick]

Real-size random-weight models (``benchmarks/realsize.py``), output lengths forced as in
``benchmarks/speed.py``, CTranslate2 conversion done once beforehand. Two arms over the same
folder of corpus articles, each one ``ringkas summarize DIR -O OUT`` process:

- local: ``--threads N`` (all cores by default);
- ray: a local Ray instance with N CPUs, started by this script first (timed apart, as a
  cluster is already up when a job is sent to it), then ``--ray ADDRESS`` with
  N / cpus-per-actor actors of cpus-per-actor CPUs each (N threads in all, as local); with
  ``--gpus-per-actor G``, as many actors as the GPUs hold (G each), and both arms on
  ``--device``.

Prints the wall times, their ratio (Ray's overhead; target within 1.15x), whether both arms
wrote the same summaries, and the throughput of one actor: articles per actor-hour from the
report's per-article seconds (an actor works on one group at a time, so the seconds of its
articles add up to its busy time), and from that articles per hour for a node of a given
number of cores. Writes ``benchmarks/out/scale.json``. Requires ``pip install 'ringkas[ray]'``.
Timings on a shared machine are noisy: compare the ratio, and rerun on an idle machine for
numbers to publish.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
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
    parser.add_argument("--cpus-per-actor", type=int, default=1)
    parser.add_argument("--gpus-per-actor", type=float, default=0.0)
    parser.add_argument("--device", default=None, help="both arms, e.g. cuda")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--reuse-cache", action="store_true", help="keep converted models")
    parser.add_argument("--quick", action="store_true", help="4 articles: a smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles = 4
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.corpus / "articles").is_dir():
        raise SystemExit(f"corpus not found at {args.corpus} (pass --corpus PATH)")
    actors = max(1, args.threads // args.cpus_per_actor)
    device = ["--device", args.device] if args.device else []
    models = ensure_models(args.corpus)
    conversion = convert(models, reuse=args.reuse_cache)
    work = Path(tempfile.mkdtemp(prefix="ringkas-scale-"))
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

        ray, address, ray_start = start_ray(args.threads)
        try:
            ray_out, ray_report = work / "ray", work / "ray.json"
            command = [*summarize(folder, ray_out, ray_report, models), *device]
            command += ["--ray", address, "--ray-cpus", str(args.cpus_per_actor)]
            if args.gpus_per_actor:  # as many actors as the GPUs hold
                command += ["--ray-gpus", str(args.gpus_per_actor)]
            else:
                command += ["--ray-actors", str(actors)]
            on_ray = timed(command)
        finally:
            ray.shutdown()
        ray_data = check("ray", on_ray, ray_report, args.articles)
        print(f"ray: {on_ray.seconds:.1f} s (+{ray_start:.1f} s to start Ray)", file=sys.stderr)
        same = summaries(local_out) == summaries(ray_out)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    busy = sum(item["seconds"] for item in ray_data["items"])  # actor-seconds, load included
    per_actor_hour = 3600 * args.articles / busy
    local_busy = sum(item["seconds"] for item in local_data["items"])
    result = {
        "articles": args.articles,
        "threads": args.threads,
        "actors": actors if not args.gpus_per_actor else "as many as the GPUs hold",
        "gpus_per_actor": args.gpus_per_actor,
        "cpus_per_actor": args.cpus_per_actor,
        "conversion_seconds": conversion,
        "local_seconds": round(local.seconds, 1),
        "ray_seconds": round(on_ray.seconds, 1),
        "ray_start_seconds": round(ray_start, 1),
        "ratio": round(on_ray.seconds / local.seconds, 3),
        "ratio_with_start": round((on_ray.seconds + ray_start) / local.seconds, 3),
        "same_summaries": same,
        "actor_seconds_per_article": round(busy / args.articles, 2),
        "articles_per_actor_hour": round(per_actor_hour),
        "local_seconds_per_article_of_work": round(local_busy / args.articles, 2),
        "articles_per_hour": {
            "local": round(3600 * args.articles / local.seconds),
            "ray": round(3600 * args.articles / on_ray.seconds),
        },
        "articles_per_node_hour": {
            f"{cores} cores": round(per_actor_hour * cores / args.cpus_per_actor)
            for cores in NODE_CORES
        },
        "articles_per_gpu_hour": (
            round(per_actor_hour / args.gpus_per_actor) if args.gpus_per_actor else None
        ),
        "load_average": round(os.getloadavg()[0], 2),
        "median_item_seconds": round(statistics.median(i["seconds"] for i in ray_data["items"]), 2),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "scale.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    verdict = "within" if result["ratio"] <= TARGET else "OVER"
    print(
        f"\nlocal folder run  {result['local_seconds']:8.1f} s   "
        f"({result['articles_per_hour']['local']} articles/hour)\n"
        f"Ray, {actors} actor(s)    {result['ray_seconds']:8.1f} s   "
        f"({result['articles_per_hour']['ray']} articles/hour; Ray started in "
        f"{result['ray_start_seconds']} s)\n"
        f"ratio Ray/local   {result['ratio']:8.3f}    {verdict} the {TARGET}x target "
        f"({result['ratio_with_start']:.3f} with Ray's start)\n"
        f"same summaries    {same}\n"
        f"one actor ({args.cpus_per_actor} CPU): {result['actor_seconds_per_article']} s per "
        f"article, {result['articles_per_actor_hour']} articles per actor-hour\n"
        + "".join(
            f"  node of {label}: {value} articles/hour\n"
            for label, value in result["articles_per_node_hour"].items()
        )
        + f"(load average {result['load_average']}; written to {OUT / 'scale.json'})"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
