"""The ringkas model store: CTranslate2 conversions kept in the user cache.

Hub models are stored by name and revision, so a cached model is found without asking the
Hub; local folders are stored by a hash of their content, so an edited checkpoint is
converted again and an unchanged one never is. A conversion is made in a hidden temporary
folder and renamed into place when it works, under a file lock, so a killed conversion leaves
nothing that passes for a model (its leftovers are removed by the next one) and two processes
converting the same model end with one good copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ringkas.errors import ModelUnavailableError
from ringkas.models.checkpoint import checkpoint_files
from ringkas.models.converted import INFO_FILE
from ringkas.models.download import (
    cache_root,
    check_free_space,
    locked,
    read_record,
    write_atomic,
)
from ringkas.models.hub import ModelSpec, fetch_model, parse_model_spec

Report = Callable[[str], None]
_HASHES = "file-hashes.json"


def store_root() -> Path:
    """Where converted models live: models/ in $RINGKAS_CACHE_DIR, else the user cache."""
    return cache_root() / "models"


# Disk space a conversion needs, per byte of checkpoint weights (int8 keeps about a quarter
# of float32 weights; staging and tokenizer files come on top).
_CONVERSION_SHARE = {"int8": 0.5, "int8_float16": 0.5, "float16": 0.75, "float32": 1.25}


@dataclass(frozen=True)
class StoredModel:
    """A converted model in the store."""

    path: Path
    info: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.info.get("source", {}).get("name", self.path.name))

    @property
    def revision(self) -> str | None:
        return self.info.get("source", {}).get("revision")

    @property
    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "model"


def _file_hash(path: Path, memo: dict[str, Any]) -> str:
    """sha256 of a file, remembered by (path, size, mtime) so big weights are read once."""
    stat = path.stat()
    key = str(path.resolve())
    known = memo.get(key)
    if known and known["size"] == stat.st_size and known["mtime_ns"] == stat.st_mtime_ns:
        return str(known["sha256"])
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    memo[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest.hexdigest()}
    return digest.hexdigest()


def content_hash(folder: Path) -> str:
    """A hash of everything in a checkpoint folder that shapes the converted model: exactly
    the files conversion reads (:func:`~ringkas.models.checkpoint.checkpoint_files`)."""
    memo_path = store_root() / _HASHES
    try:
        memo = json.loads(memo_path.read_text("utf-8"))
    except (OSError, ValueError):
        memo = {}
    before = dict(memo)
    files = checkpoint_files(folder, weights_required=False)
    digest = hashlib.sha256()
    for item in files:
        digest.update(f"{item.name}\0{_file_hash(item, memo)}\n".encode())
    if memo == before:
        return digest.hexdigest()  # every file was known: nothing new to remember
    with contextlib.suppress(OSError):  # the memo only saves time
        write_atomic(memo_path, json.dumps(memo))
    return digest.hexdigest()


def entry_name(spec: ModelSpec, quantization: str = "int8") -> str:
    """The store folder for a model: by name@revision for the Hub, by content for folders."""
    if spec.folder is not None:
        digest = content_hash(spec.folder)[:16]
        return f"local--{_slug(spec.folder.resolve().name)}--{digest}--{quantization}"
    revision = spec.revision or "main"
    return f"{_slug(spec.name.replace('/', '--'))}@{_slug(revision)}--{quantization}"


def _load(path: Path) -> StoredModel | None:
    try:
        return StoredModel(path, json.loads((path / INFO_FILE).read_text("utf-8")))
    except (OSError, ValueError):
        return None


def find(spec: ModelSpec, quantization: str = "int8") -> StoredModel | None:
    """The stored conversion of a model, if there is one (never touches the network)."""
    if spec.folder is not None and not (spec.folder / "config.json").is_file():
        return None
    return _load(store_root() / entry_name(spec, quantization))


def _weights_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.glob("*.safetensors") if f.is_file())


def ensure(
    spec: ModelSpec,
    *,
    quantization: str = "int8",
    offline: bool | None = None,
    update: bool = False,
    allow_pickle: bool = True,
    report: Report | None = None,
) -> StoredModel:
    """Return the stored conversion, downloading and converting the model first if needed."""
    if not update:
        found = find(spec, quantization)
        if found is not None:
            return found
    # Offline, a model already downloaded can still be converted.
    folder = fetch_model(
        spec, offline=offline, update=update, allow_pickle=allow_pickle, report=report
    )
    label = str(spec.folder.resolve()) if spec.folder is not None else spec.name
    source: dict[str, Any] = {"name": label, "revision": spec.revision}
    download = read_record(folder) if spec.folder is None else None
    if download is not None:
        for key in ("revision", "commit", "weights"):
            source[key] = download.info.get(key)
        source["requested"] = spec.revision
    elif spec.folder is not None:
        source["content_hash"] = content_hash(spec.folder)
    dest = store_root() / entry_name(spec, quantization)
    with locked(f"convert {dest.name}", report, f"converting {spec.label}"):
        existing = _load(dest)
        if existing is not None and existing.info.get("source") == source:
            return existing
        for leftover in dest.parent.glob(f".convert-{dest.name}-*"):
            shutil.rmtree(leftover, ignore_errors=True)  # a conversion killed half-way
        needed = int(_weights_bytes(folder) * _CONVERSION_SHARE.get(quantization, 1.25))
        check_free_space(needed, store_root(), f"convert {spec.label}")
        if existing is not None:  # the Hub revision moved on: replace the old conversion
            shutil.rmtree(dest)
        if report:
            report(f"converting {spec.label} for CTranslate2 ({quantization}), once")
        from ringkas.models.convert import convert_checkpoint

        convert_checkpoint(folder, dest, quantization=quantization, source=source)
    stored = _load(dest)
    if stored is None:
        raise ModelUnavailableError(f"conversion of {spec.label} left no model in {dest}")
    return stored


def stored_models() -> Iterator[StoredModel]:
    """Every conversion in the store, by folder name."""
    root = store_root()
    if not root.is_dir():
        return
    for path in sorted(root.iterdir()):
        if path.is_dir() and not path.name.startswith("."):
            stored = _load(path)
            if stored is not None:
                yield stored


def remove(name: str) -> list[Path]:
    """Delete every stored conversion of ``name``: a Hub id (all revisions), a model folder,
    or a store entry's folder name."""
    spec = parse_model_spec(name)
    targets = {name, spec.name}
    if spec.folder is not None and spec.folder.is_dir():
        targets.add(str(spec.folder.resolve()))
    removed = []
    for stored in list(stored_models()):
        if targets & {stored.name, stored.path.name, str(stored.path)}:
            shutil.rmtree(stored.path)
            removed.append(stored.path)
    return removed
