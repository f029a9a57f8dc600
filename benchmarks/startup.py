"""Time `ringkas --help` against a bare Python start, and check what it imports.

Usage: python benchmarks/startup.py [--runs 15]

Prints the median wall time of ``python -c pass``, ``ringkas --help`` and
``ringkas summarize --help`` (each a fresh process, as a user starts it), their ratio to the
bare start, and whether torch or transformers got imported (they must not be).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

PROBE = (
    "import sys, runpy\n"
    "sys.argv = ['ringkas', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('ringkas', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "heavy = [m for m in ('torch', 'transformers') if m in sys.modules]\n"
    "sys.stderr.write(f'heavy imports: {heavy}\\n')\n"
)


def median_seconds(command: list[str], runs: int) -> float:
    """Median wall time of ``runs`` fresh runs of ``command``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    """Print the start-up table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    python = [sys.executable, "-c", "pass"]
    bare = median_seconds(python, args.runs)
    print(f"{'command':32} {'median s':>9} {'x bare python':>14}  heavy imports")
    print(f"{'python -c pass':32} {bare:9.3f} {1.0:14.1f}")
    for words in (["--help"], ["summarize", "--help"]):
        command = [sys.executable, "-m", "ringkas", *words]
        seconds = median_seconds(command, args.runs)
        probe = subprocess.run(
            [sys.executable, "-c", PROBE, *words], capture_output=True, text=True, check=True
        )
        heavy = probe.stderr.strip().splitlines()[-1].removeprefix("heavy imports: ")
        label = "ringkas " + " ".join(words)
        print(f"{label:32} {seconds:9.3f} {seconds / bare:14.1f}  {heavy}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
