"""The Hub stand-in, driven by the real ``huggingface_hub`` client (nothing mocked).

These pin down that the stand-in answers the way the client expects, so that what ringkas's
tests see through it is what users see through huggingface.co.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from pathlib import Path

import pytest

from hub_repos import SUMMARIZER, TRANSLATOR
from hub_server import HubServer, git_blob_id

SAFE_FILES = ["*.json", "*.safetensors", "*.spm", "merges.txt"]


def _api(hub: HubServer):
    from huggingface_hub import HfApi

    return HfApi(endpoint=hub.url, token=False)


def test_main_has_only_pickled_weights_and_the_pull_requests_safetensors(hub: HubServer) -> None:
    api = _api(hub)
    main = {s.rfilename for s in api.model_info(SUMMARIZER).siblings or []}
    assert {"pytorch_model.bin", "flax_model.msgpack", "rust_model.ot", "config.json"} <= main
    assert not any(name.endswith(".safetensors") for name in main)
    assert "generation_config.json" not in main  # distilbart keeps its settings in config.json
    pr13 = api.model_info(SUMMARIZER, revision="refs/pr/13")
    assert "model.safetensors" in {s.rfilename for s in pr13.siblings or []}
    assert pr13.sha != api.model_info(SUMMARIZER).sha
    opus = {s.rfilename for s in api.model_info(TRANSLATOR).siblings or []}
    assert {
        "tf_model.h5",
        "source.spm",
        "target.spm",
        "vocab.json",
        "generation_config.json",
    } <= opus


def test_refs_list_pull_requests(hub: HubServer) -> None:
    refs = _api(hub).list_repo_refs(SUMMARIZER, include_pull_requests=True)
    assert [b.name for b in refs.branches] == ["main"]
    assert [pr.ref for pr in refs.pull_requests or []] == [
        f"refs/pr/{n}" for n in (2, 3, 5, 7, 8, 13, 18)
    ]
    assert _api(hub).list_repo_refs(SUMMARIZER).pull_requests is None


def test_tree_gives_lfs_hashes_and_git_ids_that_match_the_bytes(hub: HubServer) -> None:
    from huggingface_hub import RepoFile

    commit = hub.repo(TRANSLATOR).resolve("refs/pr/1")
    assert commit is not None
    files = hub.repo(TRANSLATOR).commits[commit].files
    tree = [
        f
        for f in _api(hub).list_repo_tree(TRANSLATOR, revision="refs/pr/1", recursive=True)
        if isinstance(f, RepoFile)
    ]
    by_path = {f.path: f for f in tree}
    assert set(by_path) == set(files)
    weights = by_path["model.safetensors"]
    assert weights.lfs is not None
    assert weights.lfs.sha256 == hashlib.sha256(files["model.safetensors"]).hexdigest()
    assert weights.size == len(files["model.safetensors"])
    assert by_path["vocab.json"].lfs is None
    assert by_path["vocab.json"].blob_id == git_blob_id(files["vocab.json"])


def test_snapshot_download_of_a_pull_request_ref(hub: HubServer, tmp_path: Path) -> None:
    from huggingface_hub import snapshot_download

    folder = Path(
        snapshot_download(
            TRANSLATOR,
            revision="refs/pr/1",
            allow_patterns=SAFE_FILES,
            cache_dir=tmp_path,
            endpoint=hub.url,
        )
    )
    commit = hub.repo(TRANSLATOR).resolve("refs/pr/1")
    assert folder.name == commit
    served = hub.repo(TRANSLATOR).commits[commit].files
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        n for n in served if not n.endswith((".bin", ".h5", ".md", "attributes"))
    )
    for name in names:
        assert (folder / name).read_bytes() == served[name]
    # The pickled and foreign weights were never asked for.
    for name in ("pytorch_model.bin", "tf_model.h5"):
        assert not [r for r in hub.requests if name in r.path]


def test_lfs_files_come_from_the_cdn_listener_after_a_redirect(
    hub: HubServer, tmp_path: Path
) -> None:
    from huggingface_hub import hf_hub_download

    hf_hub_download(
        SUMMARIZER, "model.safetensors", revision="refs/pr/13", cache_dir=tmp_path, endpoint=hub.url
    )
    head = [r for r in hub.requests if r.method == "HEAD" and "model.safetensors" in r.path]
    assert [(r.listener, r.status) for r in head] == [("hub", 302)]
    gets = hub.file_requests("model.safetensors")
    assert [(r.listener, r.status) for r in gets] == [("cdn", 200)]


def test_the_downloaded_repos_are_real_models(hub: HubServer, tmp_path: Path) -> None:
    """transformers loads what was downloaded, with the real configs and tokenizer files."""
    from huggingface_hub import snapshot_download
    from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

    for name, revision in ((TRANSLATOR, "refs/pr/1"), (SUMMARIZER, "refs/pr/13")):
        folder = snapshot_download(
            name, revision=revision, allow_patterns=SAFE_FILES, cache_dir=tmp_path, endpoint=hub.url
        )
        tokenizer = AutoTokenizer.from_pretrained(folder)
        model = AutoModelForSeq2SeqLM.from_pretrained(folder)
        ids = tokenizer(["Rapat berlangsung dua hari."], return_tensors="pt").input_ids
        assert model.generate(ids, max_new_tokens=3, min_length=0, num_beams=1).shape[0] == 1
    config = AutoConfig.from_pretrained(folder)
    assert config.task_specific_params["summarization"]["min_length"] == 56


def test_pickled_weights_load_with_the_safe_loader(hub: HubServer) -> None:
    import torch

    data = _served(hub, SUMMARIZER, "main", "pytorch_model.bin")
    state = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    assert "model.shared.weight" in state
    # Tied embeddings share storage, as in the original upload.
    assert (
        state["model.shared.weight"].untyped_storage().data_ptr()
        == state["model.encoder.embed_tokens.weight"].untyped_storage().data_ptr()
    )


def test_missing_repo_and_revision_raise_the_clients_own_errors(hub: HubServer) -> None:
    from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

    api = _api(hub)
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("Helsinki-NLP/opus-mt-id-xx")
    with pytest.raises(RevisionNotFoundError):
        api.model_info(SUMMARIZER, revision="refs/pr/99")
    hub.faults.hide_revision(SUMMARIZER, "refs/pr/13")
    with pytest.raises(RevisionNotFoundError):
        api.model_info(SUMMARIZER, revision="refs/pr/13")
    refs = api.list_repo_refs(SUMMARIZER, include_pull_requests=True)
    assert "refs/pr/13" not in [pr.ref for pr in refs.pull_requests or []]
    hub.faults.hide_repo(TRANSLATOR)
    with pytest.raises(RepositoryNotFoundError):
        api.list_repo_refs(TRANSLATOR)


def test_a_server_error_reaches_the_client(hub: HubServer) -> None:
    from huggingface_hub.errors import HfHubHTTPError

    hub.faults.fail("api/models", status=500)
    with pytest.raises(HfHubHTTPError) as error:
        _api(hub).model_info(TRANSLATOR)
    assert error.value.response.status_code == 500


def _served(hub: HubServer, repo_id: str, revision: str, name: str) -> bytes:
    commit = hub.repo(repo_id).resolve(revision)
    assert commit is not None
    return hub.repo(repo_id).commits[commit].files[name]


def test_a_connection_closed_early_is_retried_by_the_client(hub: HubServer, tmp_path: Path) -> None:
    """The client retries a body that ends early, with a Range for what it has written; it
    writes in 10 MB chunks, so for a small file that is nothing and it starts again."""
    from huggingface_hub import hf_hub_download

    hub.faults.cut("model.safetensors", at=0.5, reset=False)
    path = hf_hub_download(
        TRANSLATOR, "model.safetensors", revision="refs/pr/1", cache_dir=tmp_path, endpoint=hub.url
    )
    data = _served(hub, TRANSLATOR, "refs/pr/1", "model.safetensors")
    assert Path(path).read_bytes() == data
    first, second = hub.file_requests("model.safetensors")
    assert first.dropped and 0 < first.sent < len(data)
    assert (second.range, second.status) in ((None, 200), (f"bytes={first.sent}-", 206))
    assert not second.dropped


def test_a_reset_connection_fails_the_clients_download_and_keeps_nothing(
    hub: HubServer, tmp_path: Path
) -> None:
    """What huggingface_hub does by itself on a reset (why ringkas resumes downloads itself):
    the download fails, and its partial file, named per process, is deleted."""
    import httpx2
    from huggingface_hub import hf_hub_download

    hub.faults.cut("model.safetensors", at=0.5)
    with pytest.raises(httpx2.ReadError):
        hf_hub_download(
            TRANSLATOR,
            "model.safetensors",
            revision="refs/pr/1",
            cache_dir=tmp_path,
            endpoint=hub.url,
        )
    [request] = hub.file_requests("model.safetensors")
    assert request.dropped and request.sent > 0
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and "incomplete" in p.name]


def test_a_slow_file_takes_its_time(hub: HubServer, tmp_path: Path) -> None:
    from huggingface_hub import hf_hub_download

    size = len(_served(hub, TRANSLATOR, "main", "vocab.json"))
    hub.faults.slow("vocab.json", bytes_per_second=size * 2)
    start = time.monotonic()
    hf_hub_download(TRANSLATOR, "vocab.json", cache_dir=tmp_path, endpoint=hub.url)
    assert time.monotonic() - start >= 0.4


def test_configs_are_the_real_ones(hub: HubServer) -> None:
    repo = hub.repo(SUMMARIZER)
    config = json.loads(repo.commits[repo.branches["main"]].files["config.json"])
    assert (config["num_beams"], config["length_penalty"], config["no_repeat_ngram_size"]) == (
        4,
        2.0,
        3,
    )
    assert (config["min_length"], config["max_length"], config["max_position_embeddings"]) == (
        56,
        142,
        1024,
    )
    opus = hub.repo(TRANSLATOR)
    files = opus.commits[opus.branches["main"]].files
    assert files["tokenizer_config.json"] == b'{"target_lang": "en", "source_lang": "id"}'
    generation = json.loads(files["generation_config.json"])
    pad = json.loads(files["config.json"])["pad_token_id"]
    assert generation["bad_words_ids"] == [[pad]] and generation["max_length"] == 512


def test_requests_are_bounded(hub_repos: list, tmp_path: Path) -> None:
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    with HubServer([r.copy() for r in hub_repos], max_requests=3) as server:
        api = HfApi(endpoint=server.url, token=False)
        api.model_info(TRANSLATOR)
        api.model_info(TRANSLATOR)
        with pytest.raises(HfHubHTTPError) as error:
            for _ in range(3):
                api.model_info(TRANSLATOR)
        assert error.value.response.status_code == 503
        assert server.refused >= 1 and len(server.requests) == 3
