"""Fixtures for tests that talk to the Hub stand-in (``tests/hub_server.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hub_repos import build_tiny_hub_models, default_repos
from hub_server import HubServer, Repo


@pytest.fixture(scope="session")
def hub_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The tiny checkpoints the stand-in serves, by Hub id."""
    return build_tiny_hub_models(tmp_path_factory.mktemp("hub-models"))


@pytest.fixture(scope="session")
def hub_repos(hub_models: dict[str, Path]) -> list[Repo]:
    """Both default repos, built once; each test's server gets its own copies."""
    return default_repos(hub_models)


@pytest.fixture
def hub(
    hub_repos: list[Repo], monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HubServer]:
    """A Hub on 127.0.0.1 serving the default models, selected with HF_ENDPOINT (online), and
    an empty ringkas cache: each test is somebody's first run.

    In this process, ``huggingface_hub`` read HF_ENDPOINT and HF_HUB_OFFLINE when it was first
    imported (the suite runs offline), so what it derived from them is set here as the
    variables set it for child processes.
    """
    import huggingface_hub.constants

    server = HubServer([repo.copy() for repo in hub_repos]).start()
    monkeypatch.setenv("RINGKAS_CACHE_DIR", str(tmp_path_factory.mktemp("first-run-cache")))
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.setenv("HF_HUB_DISABLE_XET", "1")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", server.url)
    monkeypatch.setattr(
        huggingface_hub.constants,
        "HUGGINGFACE_CO_URL_TEMPLATE",
        server.url + "/{repo_id}/resolve/{revision}/{filename}",
    )
    try:
        yield server
    finally:
        server.stop()
