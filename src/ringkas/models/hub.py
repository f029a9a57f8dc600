"""Find a model's files: a local folder, or a Hub revision downloaded into the ringkas cache.

Hub models are downloaded by ``ringkas.models.download`` (resumable and verified, safetensors
weights only; pickled weights only through the safe conversion of ``ringkas.models.pickled``),
at the revision ``ringkas.models.revisions`` chooses.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ringkas.errors import ModelUnavailableError
from ringkas.models.custom_code import refuse_custom_code
from ringkas.models.registry import pinned_revision

_TRUE = {"1", "on", "yes", "true"}


def offline_mode() -> bool:
    """True when the user asked for no network (HF_HUB_OFFLINE or RINGKAS_OFFLINE)."""
    return any(
        os.environ.get(var, "").strip().lower() in _TRUE
        for var in ("HF_HUB_OFFLINE", "RINGKAS_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


@dataclass(frozen=True)
class ModelSpec:
    """A model as the user named it: a local folder, or a Hub id with an optional revision."""

    spec: str
    name: str
    revision: str | None = None
    folder: Path | None = None
    # The revision is ringkas's pin for a known model (a first choice that may be replaced
    # by main or a newer pull request), not one the user asked for with NAME@REV.
    pinned: bool = False

    @property
    def is_local(self) -> bool:
        return self.folder is not None

    @property
    def label(self) -> str:
        """How the model is named in results: the Hub id or the folder path."""
        return self.name


_HUB_ID = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*(@.+)?")


def _looks_like_path(spec: str) -> bool:
    """A folder, existing or not, rather than a Hub id (OWNER/NAME[@REV]): anything that
    starts like a path, has more slashes or odd characters, exists, or whose OWNER part is a
    folder here (``models/marian-typo`` when there is a ``models`` folder)."""
    if spec.startswith((".", "/", "~")) or "\\" in spec or Path(spec).expanduser().exists():
        return True
    if not _HUB_ID.fullmatch(spec):
        return True
    owner, slash, _ = spec.partition("@")[0].partition("/")
    return bool(slash) and Path(owner).is_dir()


def parse_model_spec(spec: str) -> ModelSpec:
    """Parse ``FOLDER`` or ``OWNER/NAME[@REVISION]``; known names get their pinned revision."""
    spec = spec.strip()
    if not spec:
        raise ModelUnavailableError("empty model name", hint="pass a Hub id or a local folder")
    if _looks_like_path(spec):
        folder = Path(spec).expanduser()
        return ModelSpec(spec=spec, name=str(folder), folder=folder)
    name, _, revision = spec.partition("@")
    if revision:
        return ModelSpec(spec=spec, name=name, revision=revision)
    pinned = pinned_revision(name)
    return ModelSpec(spec=spec, name=name, revision=pinned, pinned=pinned is not None)


def _check_folder(folder: Path, spec: ModelSpec) -> Path:
    if not folder.is_dir():
        raise ModelUnavailableError(
            f"model folder {spec.spec!r} does not exist",
            hint="pass a folder that holds a transformers model (config.json + safetensors)",
        )
    if not (folder / "config.json").is_file():
        raise ModelUnavailableError(
            f"model folder {spec.spec!r} has no config.json",
            hint="save the model there with save_pretrained(), or pass another folder",
        )
    refuse_custom_code(folder, spec.label)
    if not any(folder.glob("*.safetensors")):
        raise ModelUnavailableError(
            f"model {spec.label!r} has no safetensors weights (ringkas never loads pickled "
            ".bin files)",
            hint="re-save it with save_pretrained(safe_serialization=True), or pick a "
            "revision that has model.safetensors, e.g. NAME@refs/pr/1",
        )
    return folder


def download_hint(spec: ModelSpec) -> str:
    """How to get a model that is missing."""
    return (
        f"run `ringkas models pull {spec.spec}` while online, "
        "or pass a local folder with --translator/--summarizer PATH"
    )


def fetch_model(
    spec: ModelSpec,
    *,
    offline: bool | None = None,
    update: bool = False,
    allow_pickle: bool = True,
    report: Callable[[str], None] | None = None,
) -> Path:
    """Return a local folder holding the model's config, tokenizer and safetensors weights.

    A Hub model already downloaded is used without asking the Hub, unless ``update`` is set;
    otherwise it is downloaded (never when offline). ``report`` gets one-line notes; if it
    also has a ``transfer(file, total, done)`` method, that makes each file's progress bar.
    """
    if spec.folder is not None:
        return _check_folder(spec.folder, spec)
    from ringkas.models.download import fetch

    download = fetch(
        spec.name,
        spec.revision,
        pinned=spec.pinned,
        offline=offline_mode() if offline is None else offline,
        update=update,
        allow_pickle=allow_pickle,
        report=report,
        progress=getattr(report, "transfer", None),
        hint=download_hint(spec),
    )
    return _check_folder(download.folder, spec)
