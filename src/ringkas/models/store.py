"""The ringkas model store: CTranslate2 conversions kept in the user cache.

Hub models are stored by name and revision, so a cached model is found without asking the
Hub; local folders are stored by a hash of their content, so an edited checkpoint is
converted again and an unchanged one never is.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ringkas.errors import ModelUnavailableError
from ringkas.models.checkpoint import checkpoint_files
from ringkas.models.converted import INFO_FILE
from ringkas.models.hub import ModelSpec, fetch_model, parse_model_spec

Report = Callable[[str], None]
_HASHES = "file-hashes.json"


def store_root() -> Path:
    """Where converted models live: $RINGKAS_CACHE_DIR, else the platform's user cache."""
    override = os.environ.get("RINGKAS_CACHE_DIR")
    if override:
        return Path(override).expanduser() / "models"
    import platformdirs

    return Path(platformdirs.user_cache_dir("ringkas")) / "models"


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
    try:
        memo_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo_path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(memo), "utf-8")
        os.replace(tmp, memo_path)
    except OSError:
        pass  # the memo only saves time
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


def ensure(
    spec: ModelSpec,
    *,
    quantization: str = "int8",
    offline: bool | None = None,
    update: bool = False,
    report: Report | None = None,
) -> StoredModel:
    """Return the stored conversion, downloading and converting the model first if needed."""
    if not update:
        found = find(spec, quantization)
        if found is not None:
            return found
    # Offline, a model already in the Hugging Face cache can still be converted.
    folder = fetch_model(spec, offline=offline, update=update, report=report)
    label = str(spec.folder.resolve()) if spec.folder is not None else spec.name
    source: dict[str, Any] = {"name": label, "revision": spec.revision}
    if spec.folder is None:
        source["commit"] = folder.name  # the Hugging Face cache names snapshots by commit
    else:
        source["content_hash"] = content_hash(spec.folder)
    dest = store_root() / entry_name(spec, quantization)
    existing = _load(dest)
    if existing is not None and existing.info.get("source") == source:
        return existing
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
