"""Loaded by CLI subprocesses in tests (via PYTHONPATH): any network attempt fails loudly.

Loopback (127.0.0.1, ::1, localhost) stays open: the tests' own stand-in servers (a Hub-shaped
server, a web server) listen there. Any other address is refused.
"""

import socket
import sys

from ringkas_loopback import is_loopback

MARKER = "RINGKAS-TEST: network access attempted"


def _guard(original, position):
    def guarded(*args, **kwargs):
        target = args[position] if len(args) > position else kwargs.get("host")
        if is_loopback(target):
            return original(*args, **kwargs)
        sys.stderr.write(f"{MARKER}: {target!r}\n")
        raise OSError("network access is disabled in ringkas tests")

    return guarded


socket.socket.connect = _guard(socket.socket.connect, 1)  # type: ignore[method-assign]
socket.socket.connect_ex = _guard(socket.socket.connect_ex, 1)  # type: ignore[method-assign]
socket.create_connection = _guard(socket.create_connection, 0)  # type: ignore[assignment]
socket.getaddrinfo = _guard(socket.getaddrinfo, 0)  # type: ignore[assignment]


# Tests of a full disk (a disk cannot be filled here): with RINGKAS_TEST_FREE_BYTES set,
# shutil.disk_usage reports at most that much free space.
def _limit_free_space():
    import os
    import shutil

    limit = os.environ.get("RINGKAS_TEST_FREE_BYTES")
    if not limit:
        return
    real = shutil.disk_usage

    def disk_usage(path):
        usage = real(path)
        return type(usage)(usage.total, usage.used, min(usage.free, int(limit)))

    shutil.disk_usage = disk_usage


_limit_free_space()
