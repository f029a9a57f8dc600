"""Loaded by CLI subprocesses in tests (via PYTHONPATH): any network attempt fails loudly."""

import socket
import sys

MARKER = "RINGKAS-TEST: network access attempted"


def _refuse(*args, **kwargs):
    sys.stderr.write(f"{MARKER}: {args[1:2]}\n")
    raise OSError("network access is disabled in ringkas tests")


socket.socket.connect = _refuse  # type: ignore[method-assign]
socket.socket.connect_ex = _refuse  # type: ignore[method-assign]
socket.create_connection = _refuse  # type: ignore[assignment]
socket.getaddrinfo = _refuse  # type: ignore[assignment]
