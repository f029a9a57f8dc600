"""Which revision of a Hub model to download, and which of its files.

Many checkpoints keep only pickled weights on ``main``; the Hub's conversion bot offers
safetensors on pull-request refs (``refs/pr/N``) that may be closed, renumbered or never
merged. So a pinned revision is a first guess, not a promise: ringkas takes the pinned
revision if it exists and holds safetensors, else ``main`` if it does, else the newest
pull request whose files include safetensors weights. A revision the user names with
``NAME@REV`` is taken as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ringkas.errors import ModelUnavailableError
from ringkas.models.checkpoint import CONFIG_FILES, TOKENIZER_FILES, WEIGHTS, WEIGHTS_INDEX

SAFETENSORS_WEIGHTS = (WEIGHTS, WEIGHTS_INDEX)
PICKLED_WEIGHTS = ("pytorch_model.bin", "pytorch_model.bin.index.json")
# Everything else a checkpoint needs besides its weights: exactly the configs and tokenizer
# files that loading and converting read (ringkas.models.checkpoint), at the top of the repo.
# Other weight formats (TensorFlow, Flax, Rust, ONNX), cards and scripts are never fetched.
SUPPORT_FILES = frozenset((*CONFIG_FILES, *TOKENIZER_FILES))
# How many pull requests are looked at, newest first, before giving up on finding safetensors.
MAX_PULL_REQUESTS = 30


@dataclass(frozen=True)
class RemoteFile:
    """A file of a Hub revision as its tree lists it: size and the hashes to verify it by."""

    path: str
    size: int
    blob_id: str
    sha256: str | None = None  # LFS files only


@dataclass(frozen=True)
class Choice:
    """The revision to download, its commit, and why it was chosen."""

    name: str
    revision: str
    commit: str
    weights: str  # "safetensors", or "pickle" (converted once with the safe loader)
    reason: str


def weights_kind(files: Iterable[str]) -> str | None:
    """ "safetensors", "pickle" or None, from a revision's file names (top level only)."""
    names = set(files)
    if any(name in names for name in SAFETENSORS_WEIGHTS):
        return "safetensors"
    if any(name in names for name in PICKLED_WEIGHTS):
        return "pickle"
    return None


def _pull_number(ref: str) -> int:
    match = re.fullmatch(r"refs/pr/(\d+)", ref)
    return int(match.group(1)) if match else -1


def _sibling_names(info: Any) -> list[str]:
    return [sibling.rfilename for sibling in info.siblings or []]


def choose_revision(api: Any, name: str, revision: str | None, *, pinned: bool) -> Choice:
    """Pick the revision of ``name`` to download (see the module's docstring).

    ``revision`` is the pinned revision when ``pinned`` (a guess that may be replaced), else
    what the user asked for (taken as is) or None (main, then pull requests). Raises the
    client's errors for a missing repo; a choice with ``weights == "pickle"`` means no
    candidate had safetensors.
    """
    from huggingface_hub.errors import RevisionNotFoundError

    if revision is not None and not pinned:
        info = api.model_info(name, revision=revision)
        asked = weights_kind(_sibling_names(info)) or "none"
        return Choice(name, revision, str(info.sha), asked, "as asked")

    tried: list[str] = []
    fallback: Choice | None = None  # the first existing candidate, for pickled weights
    candidates = list(dict.fromkeys([*([revision] if revision else []), "main"]))
    for candidate in candidates:
        try:
            info = api.model_info(name, revision=candidate)
        except RevisionNotFoundError:
            tried.append(f"{candidate} does not exist")
            continue
        kind = weights_kind(_sibling_names(info))
        if kind == "safetensors":
            if candidate == revision:
                reason = "pinned"
            elif revision is None:
                reason = "as asked"
            else:
                reason = "; ".join([*tried, "main has them"])
            return Choice(name, candidate, str(info.sha), kind, reason)
        tried.append(f"{candidate} has no safetensors")
        if fallback is None and kind == "pickle":
            fallback = Choice(name, candidate, str(info.sha), "pickle", "")

    refs = api.list_repo_refs(name, include_pull_requests=True)
    pulls = sorted(
        (ref for ref in refs.pull_requests or [] if _pull_number(ref.ref) > 0),
        key=lambda ref: _pull_number(ref.ref),
        reverse=True,
    )
    for ref in pulls[:MAX_PULL_REQUESTS]:
        if ref.ref == revision:
            continue  # already looked at
        try:
            info = api.model_info(name, revision=ref.ref)
        except RevisionNotFoundError:
            continue  # closed between the two requests
        if weights_kind(_sibling_names(info)) == "safetensors":
            newest = f"{ref.ref} is the newest pull request with safetensors weights"
            why = "; ".join([*tried, newest])
            return Choice(name, ref.ref, str(info.sha), "safetensors", why)
    tried.append("no pull request has them")
    if fallback is None:
        raise ModelUnavailableError(
            f"model {name} has no weights ringkas can read on the Hugging Face Hub "
            f"({'; '.join(tried)})",
            hint="pass a local folder with --translator/--summarizer PATH",
        )
    return Choice(name, fallback.revision, fallback.commit, "pickle", "; ".join(tried))


def files_to_fetch(tree: Iterable[Any], weights: str) -> list[RemoteFile]:
    """The files of a revision's tree that a model needs: support files and one kind of
    weights (by their standard names; sharded weights by the shard names in the index)."""
    wanted = SAFETENSORS_WEIGHTS if weights == "safetensors" else PICKLED_WEIGHTS
    shard = (
        re.compile(r"model-\d{5}-of-\d{5}\.safetensors")
        if weights == "safetensors"
        else re.compile(r"pytorch_model-\d{5}-of-\d{5}\.bin")
    )
    files = []
    for entry in tree:
        path = getattr(entry, "path", "")
        if "/" in path or not hasattr(entry, "size"):
            continue  # folders, and files in them (onnx/, ...)
        if not (path in wanted or shard.fullmatch(path) or path in SUPPORT_FILES):
            continue
        lfs = getattr(entry, "lfs", None)
        sha256 = lfs.sha256 if lfs is not None else None
        files.append(RemoteFile(path, int(entry.size), str(entry.blob_id), sha256))
    return sorted(files, key=lambda f: f.path)
