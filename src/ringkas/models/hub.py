"""Find a model's files: a local folder, or a Hub id fetched (safetensors only) into the cache."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ringkas.errors import ModelUnavailableError
from ringkas.models.custom_code import refuse_custom_code
from ringkas.models.registry import KNOWN_MODELS, pinned_revision

# Weights are taken from safetensors only: pickled .bin/.pt/.ckpt files are never fetched
# or loaded, because unpickling a downloaded file can run arbitrary code.
WANTED_FILES = [
    "*.json",
    "*.safetensors",
    "*.model",
    "*.spm",
    "merges.txt",
    "vocab.txt",
    "*.jinja",
]

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

    @property
    def is_local(self) -> bool:
        return self.folder is not None

    @property
    def label(self) -> str:
        """How the model is named in results: the Hub id or the folder path."""
        return self.name


def _looks_like_path(spec: str) -> bool:
    # A Hub id has at most one slash (OWNER/NAME); anything else is meant as a folder.
    return (
        spec.startswith((".", "/", "~"))
        or spec.count("/") > 1
        or "\\" in spec
        or Path(spec).expanduser().exists()
    )


def parse_model_spec(spec: str) -> ModelSpec:
    """Parse ``FOLDER`` or ``OWNER/NAME[@REVISION]``; known names get their pinned revision."""
    spec = spec.strip()
    if not spec:
        raise ModelUnavailableError("empty model name", hint="pass a Hub id or a local folder")
    if _looks_like_path(spec):
        folder = Path(spec).expanduser()
        return ModelSpec(spec=spec, name=str(folder), folder=folder)
    name, _, revision = spec.partition("@")
    return ModelSpec(spec=spec, name=name, revision=revision or pinned_revision(name))


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
    report: Callable[[str], None] | None = None,
) -> Path:
    """Return a local folder holding the model's config, tokenizer and safetensors weights.

    A Hub model already in the Hugging Face cache is used without asking the Hub, unless
    ``update`` is set; otherwise it is downloaded (never when offline).
    """
    if spec.folder is not None:
        return _check_folder(spec.folder, spec)
    if offline is None:
        offline = offline_mode()
    if not offline and not update:
        try:
            return fetch_model(spec, offline=True)
        except ModelUnavailableError:
            pass  # not in the cache yet: download it below
        if report:
            info = KNOWN_MODELS.get(spec.name)
            size = f" (about {info.download_mb} MB)" if info else ""
            report(f"downloading {spec.spec}{size} from the Hugging Face Hub")

    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        GatedRepoError,
        HFValidationError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    at = f"@{spec.revision}" if spec.revision else ""
    try:
        path = snapshot_download(
            spec.name,
            revision=spec.revision,
            allow_patterns=WANTED_FILES,
            local_files_only=offline,
        )
    except GatedRepoError as exc:
        raise ModelUnavailableError(
            f"model {spec.name!r} is gated on the Hugging Face Hub",
            hint="accept its licence on huggingface.co and log in with `hf auth login`",
        ) from exc
    except RepositoryNotFoundError as exc:
        raise ModelUnavailableError(
            f"model {spec.name!r} was not found on the Hugging Face Hub",
            hint="check the name, or pass a local folder",
        ) from exc
    except RevisionNotFoundError as exc:
        raise ModelUnavailableError(
            f"model {spec.name!r} has no revision {spec.revision!r}",
            hint="check the part after '@'",
        ) from exc
    except HFValidationError as exc:
        raise ModelUnavailableError(
            f"{spec.spec!r} is neither a local folder nor a valid Hub id",
            hint="Hub ids look like OWNER/NAME; folders must exist",
        ) from exc
    except LocalEntryNotFoundError as exc:
        why = "offline mode is on" if offline else "the Hugging Face Hub could not be reached"
        raise ModelUnavailableError(
            f"model {spec.name}{at} is not downloaded and {why}", hint=download_hint(spec)
        ) from exc
    except OSError as exc:  # connection errors, full disk, permissions
        raise ModelUnavailableError(
            f"model {spec.name}{at} could not be downloaded: {exc}", hint=download_hint(spec)
        ) from exc
    return _check_folder(Path(path), spec)
