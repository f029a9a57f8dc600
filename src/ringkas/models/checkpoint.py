"""Which files of a transformers checkpoint folder ringkas reads: the configs, the tokenizer
files and the safetensors weights, by their standard names, and nothing else.

A folder may hold much more: pickled weights (``pytorch_model.bin``, ``training_args.bin``),
other frameworks' weights, Python files, decoy ``*.safetensors``. Conversion stages only the
files listed here, and the store hashes exactly these, so what is converted and what decides
a reconversion are the same set.
"""

from __future__ import annotations

import json
from pathlib import Path

from ringkas.errors import ModelUnavailableError

WEIGHTS = "model.safetensors"
WEIGHTS_INDEX = "model.safetensors.index.json"
CONFIG_FILES = ("config.json", "generation_config.json")
# Every name a transformers tokenizer class reads (their VOCAB_FILES_NAMES), and the
# shared tokenizer and chat-template files: data only, never code or pickles.
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "chat_template.jinja",
    "chat_template.json",
    "vocab.json",
    "vocab.txt",
    "merges.txt",
    "source.spm",
    "target.spm",
    "target_vocab.json",
    "vocab-src.json",
    "vocab-tgt.json",
    "spiece.model",
    "spm.model",
    "sentencepiece.model",
    "sentencepiece.bpe.model",
    "tokenizer.model",
    "bpe.codes",
    "dict.txt",
)
_INDEX_LIMIT = 64 * 1024 * 1024


def _no_weights(label: str) -> ModelUnavailableError:
    return ModelUnavailableError(
        f"model {label!r} has no {WEIGHTS} (nor {WEIGHTS_INDEX}); ringkas loads weights "
        "only from safetensors, never from pickled .bin files",
        hint="re-save it with save_pretrained(safe_serialization=True), or pick a revision "
        "that has model.safetensors",
    )


def weight_files(folder: Path, label: str | None = None) -> list[Path]:
    """The safetensors weights of a checkpoint: ``model.safetensors``, or the shards that
    ``model.safetensors.index.json`` names (plain names in the folder, nothing else)."""
    label = label or str(folder)
    single = folder / WEIGHTS
    if single.is_file():
        return [single]
    index = folder / WEIGHTS_INDEX
    if not index.is_file():
        raise _no_weights(label)
    try:
        if index.stat().st_size > _INDEX_LIMIT:
            raise ValueError("too large")
        weight_map = json.loads(index.read_text("utf-8"))["weight_map"]
        names = sorted(set(weight_map.values()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelUnavailableError(
            f"model {label!r}: {WEIGHTS_INDEX} cannot be read ({exc})",
            hint="re-save the model with save_pretrained()",
        ) from exc
    shards = []
    for name in names:
        if (
            not isinstance(name, str)
            or Path(name).name != name
            or name.startswith(".")
            or not name.endswith(".safetensors")
        ):
            raise ModelUnavailableError(
                f"model {label!r}: {WEIGHTS_INDEX} names {name!r}, which is not a "
                "safetensors file in the model folder",
                hint="an index may only name *.safetensors files beside it",
            )
        shard = folder / name
        if not shard.is_file():
            raise ModelUnavailableError(
                f"model {label!r}: the weights file {name} named in {WEIGHTS_INDEX} is missing",
                hint="download or copy the whole model folder again",
            )
        shards.append(shard)
    if not shards:
        raise _no_weights(label)
    return [index, *shards]


def checkpoint_files(
    folder: Path, label: str | None = None, *, weights_required: bool = True
) -> list[Path]:
    """Every file of ``folder`` that loading or converting the model reads, sorted by name.

    Raises :class:`ModelUnavailableError` when there are no safetensors weights (unless
    ``weights_required`` is false) or their index names anything but shards beside it.
    """
    names = [*CONFIG_FILES, *TOKENIZER_FILES]
    files = [folder / name for name in names if (folder / name).is_file()]
    try:
        files += weight_files(folder, label)
    except ModelUnavailableError:
        if weights_required:
            raise
    return sorted(files, key=lambda path: path.name)
