"""The one way ringkas ever reads pickled weights: PyTorch's safe loader, once, to safetensors.

A ``pytorch_model.bin`` is a Python pickle, and unpickling an untrusted file can run any
code. ``torch.load(..., weights_only=True)`` only rebuilds tensors and plain containers and
refuses everything else, so no code from the file runs. The tensors are written out as
``model.safetensors`` beside the other files and the pickles are deleted: from then on the
model is read like any other. Users who want safetensors only can refuse this step
(``safetensors_only = true``).
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from ringkas.errors import ModelUnavailableError

SAFE_NAME = "model.safetensors"
PICKLE_INDEX = "pytorch_model.bin.index.json"


def pickle_files(folder: Path) -> list[Path]:
    """The pickled weight files of a checkpoint, by their standard names."""
    index = folder / PICKLE_INDEX
    if index.is_file():
        try:
            shards = sorted(set(json.loads(index.read_text("utf-8"))["weight_map"].values()))
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelUnavailableError(f"{index} is not a weight index: {exc}") from exc
        if any("/" in shard or not shard.endswith(".bin") for shard in shards):
            raise ModelUnavailableError(f"{index} names files outside the checkpoint")
        return [folder / shard for shard in shards]
    single = folder / "pytorch_model.bin"
    return [single] if single.is_file() else []


def _own_storage(tensors: dict[str, Any]) -> dict[str, Any]:
    """Contiguous tensors that each own their storage (safetensors stores no aliases): tied
    weights are kept under every name, as copies."""
    seen: set[int] = set()
    result = {}
    for name, tensor in tensors.items():
        pointer = tensor.untyped_storage().data_ptr()
        if pointer in seen or not tensor.is_contiguous():
            tensor = tensor.contiguous().clone()
        seen.add(tensor.untyped_storage().data_ptr())
        result[name] = tensor
    return result


def convert_pickled_weights(folder: Path, label: str) -> Path:
    """Replace the pickled weights in ``folder`` by ``model.safetensors``; returns its path."""
    import pickle

    import torch
    from safetensors.torch import save_file

    sources = pickle_files(folder)
    if not sources:
        raise ModelUnavailableError(f"{label} has no pytorch_model.bin to convert")
    tensors: dict[str, Any] = {}
    for source in sources:
        try:
            # Memory-mapped where the format allows (zip files; not the legacy format).
            mmap = zipfile.is_zipfile(source)
            state = torch.load(source, map_location="cpu", weights_only=True, mmap=mmap)
        except (pickle.UnpicklingError, RuntimeError, ValueError, EOFError) as exc:
            raise ModelUnavailableError(
                f"the pickled weights of {label} ({source.name}) hold more than tensors, so "
                f"ringkas does not load them (PyTorch's safe loader refused: "
                f"{str(exc).splitlines()[0]})",
                hint="use a revision or a copy of the model with safetensors weights",
            ) from exc
        if not isinstance(state, dict) or not all(
            isinstance(key, str) and isinstance(value, torch.Tensor) for key, value in state.items()
        ):
            raise ModelUnavailableError(
                f"{source.name} of {label} is not a plain dictionary of tensors",
                hint="use a revision or a copy of the model with safetensors weights",
            )
        tensors.update(state)
    handle, tmp = tempfile.mkstemp(prefix=".model.", suffix=".safetensors.tmp", dir=folder)
    os.close(handle)
    try:
        save_file(_own_storage(tensors), tmp, metadata={"format": "pt"})
        target = folder / SAFE_NAME
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    for source in sources:
        source.unlink(missing_ok=True)
    (folder / PICKLE_INDEX).unlink(missing_ok=True)
    return target
