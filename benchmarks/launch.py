"""Run a command and report its own peak RSS, CPU and wall time, as ``/usr/bin/time`` does.

Usage: python benchmarks/launch.py RESULT.json COMMAND [ARGS...]

Why a launcher: the peak RSS the kernel reports for a process (``ru_maxrss`` of ``wait4``,
``getrusage``) includes the memory of the address space it was forked from, which it
carried until ``exec``. A child started straight from the benchmark, which holds tokenizers
and the results of earlier runs, reported the benchmark's own size (2,009 MB for every
arm). This launcher is a small process: its children start from its ~10 MB, so the figure
is the command's own peak, exactly as ``/usr/bin/time -f %M`` measures it (GNU time forks
from its own small process too). The command's stdin, stdout and stderr are the
launcher's; its exit code is passed on. Writes ``{"start", "end", "seconds",
"peak_rss_mb", "cpu_seconds", "exit_code"}`` to RESULT.json (start/end: ``time.time()``).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

# ru_maxrss is in kilobytes on Linux, in bytes on macOS.
_RSS_UNIT = 1 if sys.platform == "darwin" else 1024


def main() -> int:
    """Fork, exec the command, wait for it with wait4 and write what it used."""
    if len(sys.argv) < 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    result, command = sys.argv[1], sys.argv[2:]
    start = time.time()
    pid = os.fork()
    if pid == 0:  # the child: becomes the command
        try:
            os.execvp(command[0], command)
        except OSError as exc:
            os.write(2, f"launch.py: cannot run {command[0]}: {exc}\n".encode())
        os._exit(127)
    # A timeout kills the launcher with SIGTERM: the command goes with it.
    signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGKILL))
    _, status, usage = os.wait4(pid, 0)
    end = time.time()
    code = os.waitstatus_to_exitcode(status)
    data = {
        "start": start,
        "end": end,
        "seconds": end - start,
        "peak_rss_mb": usage.ru_maxrss * _RSS_UNIT / 2**20,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "exit_code": code,
    }
    with open(result, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    return code if 0 <= code < 256 else 128 + (-code)


if __name__ == "__main__":
    sys.exit(main())
