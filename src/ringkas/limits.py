"""Every bound on what ringkas accepts, in one place: the command line's flags, the
``RINGKAS_*`` variables, the config file and the library check values against these, and
whatever ringkas reads is read with a size limit, so that no value or input makes it start
thousands of threads or read until memory runs out."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

# Beam width: beyond 16 a beam gains nothing and costs memory by the beam.
MIN_BEAM, MAX_BEAM = 1, 16
# Threads per CPU ringkas may start: more never runs faster, and thousands exhaust the
# machine (5,000 hung the engine here, 100,000 crashed it).
THREADS_PER_CPU = 4
# --max-size: the largest input file ringkas reads (the default is 2 MB).
MAX_INPUT_BYTES = 64 * 1024 * 1024
# A --files-from list: about a million paths.
MAX_LIST_BYTES = 64 * 1024 * 1024
# A JSON Lines line over --max-size is skipped, up to this much; beyond, reading stops.
MAX_SKIPPED_LINE_BYTES = 64 * 1024 * 1024
# A config file or a prompt template is a few lines of TOML.
MAX_SETTINGS_FILE_BYTES = 1024 * 1024


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the platform tells)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def max_threads() -> int:
    """The most inference threads ringkas starts on this machine."""
    return THREADS_PER_CPU * usable_cpus()


def size_text(count: float, *, decimal: bool = False, mb_decimals: int = 0) -> str:
    """A byte count as people write it: "512 bytes", "300 KB", "64 MB", "1.2 GB" (with
    ``mb_decimals=1``, "3.1 MB").

    In the units of ``--max-size`` (KB = 1024 bytes), which the limits on what ringkas
    reads and writes are given in; with ``decimal``, in the units model hubs and disk tools
    write (KB = 1000 bytes): downloads, model and cache sizes, free space."""
    base = 1000 if decimal else 1024
    if count < base:
        return f"{count:.0f} bytes"
    if count < base**2:
        return f"{count / base:.0f} KB"
    if count < base**3:
        return f"{count / base**2:.{mb_decimals}f} MB"
    return f"{count / base**3:.1f} GB"


class TooLarge(ValueError):
    """A file that is larger than the limit for what it is."""


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a small file (a config file, a template, a list of paths), never more than
    ``limit``: a larger file, or an endless one such as /dev/zero, raises :class:`TooLarge`
    after reading ``limit`` bytes. OSError as :func:`open` raises it."""
    with open(path, "rb") as handle:
        return read_stream_bounded(handle, limit)


def read_stream_bounded(stream: BinaryIO, limit: int) -> bytes:
    """Up to ``limit`` bytes of a binary stream, in pieces (an endless stream is never read
    past the limit, and no buffer of the limit's size is made up front).

    A piece is one read of the stream below where the stream has ``read1``: a terminal's
    Ctrl-D is one empty read, which a buffered ``read(n)`` swallows while it gathers its n
    bytes (it returns what came before it, and the next call waits for another Ctrl-D)."""
    read = getattr(stream, "read1", stream.read)
    chunks: list[bytes] = []
    left = limit + 1  # one byte more than allowed tells that there is more
    while left > 0:
        chunk = read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        raise TooLarge(f"over {size_text(limit)}")
    return data


def whole_number(value: object, low: int, high: int, why: str = "") -> int:
    """``value`` (an int, or its text from a variable or a file) as a whole number from
    ``low`` to ``high``; otherwise ValueError saying the bound and the value given."""
    try:
        number = int(value)  # type: ignore[call-overload]
        exact = not isinstance(value, bool) and str(number) == str(value).strip()
    except (TypeError, ValueError):
        exact = False
    if not exact:
        raise ValueError(f"must be a whole number, not {value!r}")
    if number < low:
        raise ValueError(f"must be a whole number of at least {low}, not {number}")
    if number > high:
        raise ValueError(f"must be at most {high}{why}, not {number}")
    return number


def check_beam(value: object) -> int:
    """A beam width: 1 to :data:`MAX_BEAM`."""
    return whole_number(value, MIN_BEAM, MAX_BEAM)


def check_threads(value: object) -> int:
    """A thread count: 1 to :func:`max_threads` on this machine."""
    cpus = usable_cpus()
    why = f" ({THREADS_PER_CPU} per CPU; this machine has {cpus})"
    return whole_number(value, 1, THREADS_PER_CPU * cpus, why)
