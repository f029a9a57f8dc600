"""Test isolation: no network, no real caches or config, tiny models built once per session."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tiny_models import build_all
from web_site import WebSite

sys.path.insert(0, str(Path(__file__).resolve().parent / "nonet"))
from ringkas_loopback import is_loopback

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SEED = REPO / "examples" / "articles" / "maluku-kumkm.txt"
NONET = Path(__file__).resolve().parent / "nonet"
NETWORK_MARKER = "RINGKAS-TEST: network access attempted"

# The Hub stand-in's fixtures (hub, hub_models, hub_repos); the S3 stand-in's (s3_server, s3).
pytest_plugins = ["hub_fixtures", "s3_server"]

_attempts: list[str] = []


def load_benchmark(name: str) -> ModuleType:
    """Import benchmarks/<name>.py, which is a script rather than a package module."""
    module_name = f"_ringkas_benchmark_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, REPO / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def _guarded(original: Any, position: int) -> Any:
    """``original`` for loopback targets (the tests' own servers); anything else is refused
    and recorded, so that a test fails even when the code swallowed the error."""

    def guarded(*args: Any, **kwargs: Any) -> Any:
        target = args[position] if len(args) > position else kwargs.get("host")
        if is_loopback(target):
            return original(*args, **kwargs)
        _attempts.append(repr(target))
        raise OSError("network access is disabled in ringkas tests")

    return guarded


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    """Every socket connection fails except to loopback; see _network_attempts_fail_the_test."""
    saved = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.create_connection,
        socket.getaddrinfo,
    )
    socket.socket.connect = _guarded(saved[0], 1)  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded(saved[1], 1)  # type: ignore[method-assign]
    socket.create_connection = _guarded(saved[2], 0)  # type: ignore[assignment]
    socket.getaddrinfo = _guarded(saved[3], 0)  # type: ignore[assignment]
    yield
    (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.create_connection,
        socket.getaddrinfo,
    ) = saved  # type: ignore[method-assign,assignment]


@pytest.fixture(autouse=True)
def _network_attempts_fail_the_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test fails if anything tried to connect, even when the code swallowed the error."""
    _attempts.clear()
    yield
    if _attempts and "network_attempt_expected" not in request.keywords:
        pytest.fail(f"network access attempted: {_attempts}")


@pytest.fixture(scope="session")
def model_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ringkas model store for the session, so each tiny model is converted once."""
    return tmp_path_factory.mktemp("ringkas-cache")


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, model_store: Path
) -> None:
    """Fresh, empty cache/config dirs and offline mode; no RINGKAS_* settings leak in."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith(("RINGKAS_", "HF_", "TRANSFORMERS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HF_HOME", str(home / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    # Tiny models gain nothing from threads, and on a busy machine OpenMP threads
    # spinning against each other made runs 20x slower.
    monkeypatch.setenv("RINGKAS_THREADS", "1")
    monkeypatch.setenv("RINGKAS_CACHE_DIR", str(model_store))


@dataclass(frozen=True)
class TinyModels:
    marian: Path
    bart: Path
    t5: Path
    chat: Path
    m2m: Path


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    """Tiny random Marian, BART and T5 checkpoints in their real on-disk formats."""
    models = build_all(tmp_path_factory.mktemp("models"))
    return TinyModels(**models)


@pytest.fixture
def corpus() -> Path:
    """The shared corpus beside the checkout; tests using it skip in a user's clone."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS} (only CI and developers have ../shared)")
    return CORPUS


@pytest.fixture
def web_site(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebSite]:
    """A local news site on 127.0.0.1 (tests/web_site.py), stopped when the test ends; a
    proxy in the environment is never used for it."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    site = WebSite().start()
    try:
        yield site
    finally:
        site.stop()
    assert not site.refused, "the test site refused requests past its limit: a client in a loop?"


def run_ringkas(
    *args: str,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    network_attempt_expected: bool = False,
) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m ringkas` as a real process, with network access made to fail loudly."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(
        [str(NONET), str(REPO / "src"), full_env.get("PYTHONPATH", "")]
    )
    process = subprocess.run(
        [sys.executable, "-m", "ringkas", *args],
        input=input,
        capture_output=True,
        env=full_env,
        cwd=cwd,
        timeout=600,
    )
    if not network_attempt_expected:
        assert NETWORK_MARKER.encode() not in process.stderr, process.stderr.decode()
    return process
