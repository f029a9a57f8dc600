"""A small filesystem of our own for tests: a tmpfs in a private user and mount namespace.

`unshare -rm` needs no privileges where user namespaces are allowed (most Linux systems);
tests that need it skip elsewhere, with the reason.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys

import pytest

from conftest import NONET, REPO


def ringkas_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{NONET}{os.pathsep}{REPO / 'src'}"}


@functools.cache
def namespaces_available() -> bool:
    try:
        probe = subprocess.run(
            ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(
    not namespaces_available(),
    reason="needs `unshare -rm` and tmpfs mounts (user namespaces) to make a small filesystem",
)


def in_namespace(script: str) -> subprocess.CompletedProcess[bytes]:
    """Run a bash script as root of a private user and mount namespace, where it may mount
    a small tmpfs; "$@" in it is the ringkas command."""
    return subprocess.run(
        ["unshare", "-rm", "bash", "-c", script, "ringkas", sys.executable, "-m", "ringkas"],
        capture_output=True,
        env=ringkas_env(),
        timeout=600,
    )
