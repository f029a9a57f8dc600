"""The engine floor: replay a ringkas run's CTranslate2 calls with nothing else around them.

Usage: python benchmarks/floor.py TRACE.json [--layouts ringkas,2x1,1x2] [--repeat N]
                                  [--json OUT.json]

TRACE.json comes from ``benchmarks/ct2trace.py``: every model ringkas opened and every
``translate_batch`` call it made, in groups of calls that were queued together. This script
opens the same model folders with the same options, then for each group queues the same
calls (the same token lists, target prefixes and decoding options, forced lengths
included; asynchronously, as ringkas does) and waits for all their results before the next
group, as ringkas does. Nothing else runs: no reading, cleaning, tokenising, detokenising,
checks or output. The seconds per group, summed by model, are the floor of ringkas's
translation and summary for exactly that work. Every hypothesis must come out as long as
it did in ringkas (forced lengths make it so); a difference is reported as an error.

``--layouts`` (experiments): besides the layout ringkas used (``ringkas``), replay with
other thread layouts, ``WxT`` = W workers (inter_threads) of T threads (intra_threads)
each, or ``WxT/WxT`` for the translator and the summarizer apart (the first model called
is the translator). With ``--repeat N`` every layout is replayed N times, interleaved, so
that the load of a shared machine hits each alike; medians and ratios are printed, and
whether every layout gave the same output tokens as the first. ``--rebatch`` sizes the
sub-batches for each layout's workers as ringkas would (else they stay as recorded).

The replay runs under the threading settings ringkas ran with (OMP_WAIT_POLICY and the
like, recorded in the trace); ``--env KEY=VALUE`` replays under others. Per replay it also
records the CPU seconds of its busiest thread and the cores other processes took: on a
shared machine, where wall times say little, the busiest thread's CPU time estimates the
time on an idle one.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import hashlib
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

_M_ARENA_MAX = -8


def same_malloc_as_ringkas() -> None:
    """ringkas has glibc share one malloc arena among CTranslate2's workers (memory, not
    speed); the replay runs under the same condition."""
    if os.environ.get("MALLOC_ARENA_MAX") or not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 1)


def machine_busy_seconds() -> float | None:
    """CPU seconds all processes have used so far (Linux /proc/stat), else None."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(v) for v in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def thread_seconds() -> dict[str, tuple[float, float]]:
    """Per thread of this process: (CPU seconds, seconds runnable but waiting for a core),
    from Linux schedstat; empty elsewhere."""
    found = {}
    for task in Path("/proc/self/task").glob("*") if sys.platform.startswith("linux") else []:
        try:
            running, waiting, _ = (task / "schedstat").read_text("ascii").split()
        except (OSError, ValueError):
            continue
        found[task.name] = (int(running) / 1e9, int(waiting) / 1e9)
    return found


def critical_path(before: dict, after: dict) -> tuple[float, float]:
    """(the busiest thread's CPU seconds, all threads' run-queue waiting seconds) between
    two :func:`thread_seconds` readings. On a machine shared with other work the busiest
    thread's CPU time estimates the wall time on an idle one (from below: barrier waits are
    not counted), as long as the layout has no more threads than cores."""
    cpu = [after[t][0] - before.get(t, (0.0, 0.0))[0] for t in after]
    wait = [after[t][1] - before.get(t, (0.0, 0.0))[1] for t in after]
    return (max(cpu, default=0.0), sum(wait))


def use_runtime_env(trace: dict[str, Any], overrides: list[str]) -> None:
    """Run under the threading settings ringkas's ctranslate2 was loaded with (e.g. the
    OpenMP wait policy ringkas sets), or ``overrides`` (KEY=VALUE; an empty VALUE unsets
    KEY). Before ctranslate2 is imported: OpenMP reads them once, when it loads."""
    env: dict[str, str] = dict(trace.get("runtime_env", {}))
    env.update(item.split("=", 1) for item in overrides)  # type: ignore[misc]
    for key, value in env.items():
        if value:
            os.environ[key] = value
        else:
            os.environ.pop(key, None)


def roles(trace: dict[str, Any]) -> dict[int, str]:
    """Model index -> 'translator' / 'summarizer' (ringkas translates before it summarises)."""
    order: list[int] = []
    for call in trace["calls"]:
        if call["model"] not in order:
            order.append(call["model"])
    names = ["translator", "summarizer"]
    return {model: names[i] if i < len(names) else f"model {i}" for i, model in enumerate(order)}


def parse_layout(spec: str) -> tuple[tuple[int, int], ...] | None:
    """'2x1' -> ((2, 1),); '2x1/1x2' -> ((2, 1), (1, 2)); 'ringkas' -> None (as recorded)."""
    if spec == "ringkas":
        return None
    parts = []
    for part in spec.split("/"):
        workers, threads = part.lower().split("x")
        parts.append((int(workers), int(threads)))
    return tuple(parts)


def layout_name(layout: tuple[tuple[int, int], ...] | None) -> str:
    return "ringkas" if layout is None else "/".join(f"{w}x{t}" for w, t in layout)


def open_models(
    trace: dict[str, Any], layout: tuple[tuple[int, int], ...] | None
) -> tuple[dict[int, Any], float]:
    """Open every model of the trace (with another layout if given); seconds taken."""
    import ctranslate2

    role = roles(trace)
    models: dict[int, Any] = {}
    start = time.perf_counter()
    for index, spec in enumerate(trace["models"]):
        if index not in role:
            continue  # opened but never called (e.g. a tokenizer check)
        kwargs = dict(spec["kwargs"])
        if layout is not None:
            position = 1 if role[index] == "summarizer" and len(layout) > 1 else 0
            kwargs["inter_threads"], kwargs["intra_threads"] = layout[position]
        models[index] = ctranslate2.Translator(spec["path"], *spec["args"], **kwargs)
    return models, time.perf_counter() - start


def groups_of(trace: dict[str, Any]) -> list[list[dict[str, Any]]]:
    groups: dict[int, list[dict[str, Any]]] = {}
    for call in trace["calls"]:
        groups.setdefault(call["group"], []).append(call)
    return [groups[number] for number in sorted(groups)]


def worker_batch(model: Any, source: list[list[str]], recorded: int, budget: int) -> int:
    """ringkas's sub-batch size for ``model``'s workers (as in its ct2_engine): a share for
    each worker, at most ``budget`` input tokens per sub-batch."""
    share = -(-len(source) // max(1, model.num_translators))
    longest = max(1, *(len(tokens) for tokens in source))
    return max(1, min(share, budget // longest)) if recorded else 0


def replay(trace: dict[str, Any], models: dict[int, Any], *, rebatch: int = 0) -> dict:
    """Run every group once; seconds per group and per model role. ``rebatch`` (tokens per
    sub-batch): sub-batch sizes for the replay's own worker count, not the recorded ones."""
    role = roles(trace)
    seconds: dict[str, float] = {}
    per_group = []
    mismatches = 0
    started, cpu, busy = time.perf_counter(), own_cpu_seconds(), machine_busy_seconds()
    busiest: dict[str, float] = {}
    waited = 0.0
    digest = hashlib.sha256()
    for group in groups_of(trace):
        threads = thread_seconds()
        start = time.perf_counter()
        queued = []
        for call in group:
            model, options = models[call["model"]], dict(call["options"])
            if rebatch:
                size = options.get("max_batch_size", 0)
                options["max_batch_size"] = worker_batch(model, call["source"], size, rebatch)
            queued.append(
                model.translate_batch(
                    call["source"], call["target_prefix"], asynchronous=True, **options
                )
            )
        results = [[future.result() for future in futures] for futures in queued]
        elapsed = time.perf_counter() - start
        top, wait = critical_path(threads, thread_seconds())
        waited += wait
        for call, outs in zip(group, results, strict=True):
            lengths = [len(out.hypotheses[0]) for out in outs]
            for out in outs:
                digest.update("\x1f".join(out.hypotheses[0]).encode() + b"\x1e")
            mismatches += sum(
                1
                for got, want in zip(lengths, call["output_lengths"], strict=True)
                if want is not None and got != want
            )
        names = sorted({role[call["model"]] for call in group})
        name = "+".join(names)
        seconds[name] = seconds.get(name, 0.0) + elapsed
        busiest[name] = busiest.get(name, 0.0) + top
        per_group.append({"role": name, "calls": len(group), "seconds": round(elapsed, 3)})
    wall = time.perf_counter() - started
    cpu = own_cpu_seconds() - cpu
    after = machine_busy_seconds()
    others = None if busy is None or after is None else max(0.0, after - busy - cpu)
    return {
        "seconds": seconds,
        "total": sum(seconds.values()),
        # Cores this replay kept busy, and the cores other processes took meanwhile (a
        # timing with others well above 0 was made on a shared machine: compare ratios).
        "cores_busy": round(cpu / wall, 2),
        "others_cores": None if others is None else round(others / wall, 2),
        "busiest_thread_seconds": {k: round(v, 3) for k, v in busiest.items()},
        "runqueue_wait_seconds": round(waited, 3),
        "groups": per_group,
        "length_mismatches": mismatches,
        # Of every output token: layouts that agree on it gave token-identical outputs.
        "outputs_sha256": digest.hexdigest(),
    }


def recorded_layout(trace: dict[str, Any]) -> str:
    role = roles(trace)
    parts = []
    for index, spec in enumerate(trace["models"]):
        if index in role:
            kw = spec["kwargs"]
            parts.append(f"{role[index]} {kw.get('inter_threads')}x{kw.get('intra_threads')}")
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Replay a trace once (the floor) or under several layouts (experiments)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace", type=Path)
    parser.add_argument("--layouts", default="ringkas", help="comma-separated, e.g. ringkas,1x2")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--rebatch",
        type=int,
        nargs="?",
        const=1024,
        default=0,
        metavar="TOKENS",
        help="sub-batch sizes for each layout's worker count, as ringkas chooses them, with "
        "at most TOKENS input tokens per sub-batch (default 1024, ringkas's)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a threading setting to replay under instead of ringkas's (e.g. "
        "GOMP_SPINCOUNT=300000; KEY= unsets it); repeatable",
    )
    parser.add_argument("--json", type=Path, help="write the results here (else stdout)")
    args = parser.parse_args(argv)
    trace = json.loads(args.trace.read_text("utf-8"))
    if not trace["calls"]:
        print(f"{args.trace}: no CTranslate2 calls recorded", file=sys.stderr)
        return 2
    same_malloc_as_ringkas()
    use_runtime_env(trace, args.env)
    layouts = [parse_layout(spec) for spec in args.layouts.split(",")]
    opened = {layout_name(layout): open_models(trace, layout) for layout in layouts}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in opened}
    for _ in range(args.repeat):
        for name, (models, _) in opened.items():
            runs[name].append(replay(trace, models, rebatch=args.rebatch))
    summary: dict[str, Any] = {
        "recorded_layout": recorded_layout(trace),
        "load_seconds": {name: load for name, (_, load) in opened.items()},
        "runs": runs,
    }
    first = next(iter(runs))
    medians = {
        name: {role: statistics.median(r["seconds"][role] for r in rs) for role in rs[0]["seconds"]}
        | {"total": statistics.median(r["total"] for r in rs)}
        for name, rs in runs.items()
    }
    summary["median_seconds"] = medians
    summary["length_mismatches"] = sum(r["length_mismatches"] for rs in runs.values() for r in rs)
    summary["env"] = {k: v for k, v in os.environ.items() if k.startswith(("OMP_", "GOMP_"))}
    reference = runs[first][0]["outputs_sha256"]
    summary["same_tokens"] = {
        name: all(r["outputs_sha256"] == reference for r in rs) for name, rs in runs.items()
    }
    text = json.dumps(summary, indent=1)
    if args.json:
        args.json.write_text(text, "utf-8")
    else:
        print(text)
    if len(runs) > 1 or args.repeat > 1:
        print(f"layout as recorded: {summary['recorded_layout']}", file=sys.stderr)
        for name, median in medians.items():
            ratios = ", ".join(
                f"{role} {value:.2f} s ({medians[first][role] / value:.2f}x {first})"
                for role, value in median.items()
            )
            busy = " ".join(f"{r['cores_busy']}/{r['others_cores']}" for r in runs[name])
            same = "same tokens" if summary["same_tokens"][name] else "OTHER TOKENS"
            print(f"  {name:<10} {ratios}; {same}; cores busy/others' {busy}", file=sys.stderr)
    return 1 if summary["length_mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
