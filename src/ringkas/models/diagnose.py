"""What ``ringkas doctor`` looks at: versions, the CPU, caches, the models in effect (down-
loaded, converted, loading), the settings and the Hub. Nothing here downloads or converts."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ringkas.config import Resolved, config_dir
from ringkas.errors import ModelUnavailableError
from ringkas.settings import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR, Settings

PACKAGES = (
    "ringkas",
    "ctranslate2",
    "torch",
    "transformers",
    "huggingface-hub",
    "tokenizers",
    "sentencepiece",
    "safetensors",
)
# CPU features CTranslate2's int8 kernels use, as /proc/cpuinfo names them.
CPU_FEATURES = ("avx", "avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16")
ARM_FEATURES = ("neon", "asimd", "asimddp", "sve")
HUB_TIMEOUT = 5.0


@dataclass
class ModelCheck:
    """One model in effect and how ready it is."""

    role: str
    spec: str
    kind: str  # "hub" or "folder"
    downloaded: bool = False
    revision: str | None = None
    commit: str | None = None
    weights: str | None = None
    path: str | None = None
    converted: bool | None = None  # None: the torch engine needs no conversion
    converted_path: str | None = None
    loads: bool | None = None  # None: not tried
    generates: bool | None = None  # None: not tried (--deep)
    problem: str | None = None
    fix: str | None = None

    @property
    def ready(self) -> bool:
        return self.problem is None


def package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def cpu_features() -> list[str]:
    """The SIMD features of this CPU that matter to the engine (Linux; empty elsewhere)."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return []
    flags: set[str] = set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            flags.update(value.split())
    return [name for name in (*CPU_FEATURES, *ARM_FEATURES) if name in flags]


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def cpu_report(settings: Settings) -> dict[str, Any]:
    """The CPU and the CTranslate2 thread layout: "workers" x "threads_per_worker" is the
    translator's (many batches side by side), "summarizer_threads" the summarizer's one
    worker (one article at a time, every thread on it)."""
    from ringkas.models.ct2_engine import thread_layout, wait_passively

    wait_passively()  # before ctranslate2 is first imported, as when models load
    import ctranslate2

    workers, per_worker = thread_layout(settings.threads, "cpu")
    _, summarizer_threads = thread_layout(settings.threads, "cpu", "serial")
    return {
        "machine": platform.machine(),
        "features": cpu_features(),
        "cores": os.cpu_count(),
        "usable_cores": _usable_cores(),
        "threads": settings.threads or _usable_cores(),
        "workers": workers,
        "threads_per_worker": per_worker,
        "summarizer_threads": summarizer_threads,
        "compute_types": sorted(ctranslate2.get_supported_compute_types("cpu")),
        "cuda_devices": ctranslate2.get_cuda_device_count(),
    }


def _folder_bytes(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def folder_problem(folder: Path) -> str | None:
    """Why ringkas could not make or write ``folder``, or None."""
    from ringkas.models.download import existing_parent

    found = existing_parent(folder)  # the folder, or where it would be made
    what = "it" if found == folder else str(found)
    if not found.is_dir():
        return f"{what} is not a folder" if found == folder else f"{what} is a file, not a folder"
    return None if os.access(found, os.W_OK | os.X_OK) else f"{what} is not writable"


def cache_report() -> list[dict[str, Any]]:
    from ringkas.models.download import cache_root, downloads_root, free_bytes
    from ringkas.models.store import store_root

    rows = []
    for name, folder in (
        ("converted models", store_root()),
        ("downloads", downloads_root()),
        ("config folder", config_dir()),
    ):
        rows.append(
            {
                "name": name,
                "path": str(folder),
                "exists": folder.is_dir(),
                "bytes": _folder_bytes(folder) if folder.is_dir() else 0,
                "free_bytes": free_bytes(folder),
                # The config folder is only read: that it cannot be written is no problem.
                "problem": None if name == "config folder" else folder_problem(folder),
            }
        )
    rows.append({"name": "cache root", "path": str(cache_root()), "exists": cache_root().is_dir()})
    return rows


def _pull_command(spec: str) -> str:
    if spec in (DEFAULT_TRANSLATOR, DEFAULT_SUMMARIZER):
        return "ringkas models pull"
    return f"ringkas models pull {spec}"


def _probe(path: Path, label: str, info: dict[str, Any], settings: Settings, deep: bool) -> None:
    """Load a converted model (and with ``deep``, generate a few tokens); raises on failure."""
    from ringkas.models.engine import Decoding

    options: dict[str, Any] = {
        "device": settings.device,
        "compute_type": settings.compute_type,
        "threads": 1,
    }
    if info.get("kind") == "causal":
        from ringkas.models.ct2_causal import CT2Causal

        class Probe:
            system = "You are a test."
            user = "Say yes."
            text = "Say yes."

        chat = CT2Causal(path, label, **options)
        if deep:
            chat.answer([Probe()], Decoding(beam_size=1, max_new_tokens=4))
        return
    from ringkas.models.ct2_engine import CT2Seq2Seq

    engine = CT2Seq2Seq(path, label, **options)
    if deep:
        engine.generate(["Tes."], Decoding(beam_size=1, max_new_tokens=4))


def _probe_torch(folder: Path, label: str, settings: Settings, deep: bool) -> None:
    from ringkas.models.engine import Decoding
    from ringkas.models.loading import _is_causal

    options: dict[str, Any] = {
        "device": settings.device,
        "compute_type": settings.compute_type,
        "threads": 1,
    }
    if _is_causal(folder):
        from ringkas.models.torch_causal import TorchCausal

        TorchCausal(folder, label, **options)
        return
    from ringkas.models.torch_engine import TorchSeq2Seq

    engine = TorchSeq2Seq(folder, label, **options)
    if deep:
        engine.generate(["Tes."], Decoding(beam_size=1, max_new_tokens=4))


def check_model(role: str, spec_text: str, settings: Settings, *, deep: bool) -> ModelCheck:
    """Is the model downloaded, converted (CTranslate2) and loading? Never downloads."""
    from ringkas.models import store
    from ringkas.models.download import find_download
    from ringkas.models.hub import fetch_model, parse_model_spec

    try:
        spec = parse_model_spec(spec_text)
    except ModelUnavailableError as exc:
        return ModelCheck(role, spec_text, "hub", problem=exc.message, fix=exc.hint)
    check = ModelCheck(role, spec_text, "folder" if spec.folder is not None else "hub")
    pull = _pull_command(spec_text)
    if spec.folder is not None:
        try:
            folder = fetch_model(spec, offline=True)
        except ModelUnavailableError as exc:
            check.problem, check.fix = exc.message, exc.hint
            return check
        check.downloaded, check.path = True, str(folder)
    else:
        download = find_download(spec.name, spec.revision or "main")
        if download is None:
            check.problem = "not downloaded"
            check.fix = f"run `{pull}` while online"
            return check
        check.downloaded, check.path = True, str(download.folder)
        for key in ("revision", "commit", "weights"):
            setattr(check, key, download.info.get(key))
        folder = download.folder
    label = spec.label
    try:
        if settings.engine == "ctranslate2":
            stored = store.find(spec)
            check.converted = stored is not None
            if stored is None:
                check.problem = "not converted for CTranslate2"
                check.fix = (
                    f"run `{pull}`"
                    if spec.folder is None
                    else f"run `ringkas models import {spec_text}`"
                )
                return check
            check.converted_path = str(stored.path)
            _probe(stored.path, label, stored.info, settings, deep)
        elif deep:
            _probe_torch(folder, label, settings, deep)
        else:
            return check  # loading with torch takes seconds: only with --deep
    except (ModelUnavailableError, RuntimeError, ValueError, OSError, KeyError) as exc:
        check.loads = False
        check.problem = (
            f"does not load: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        )
        check.fix = f"run `ringkas models rm {spec_text}` and `{pull}`"
        return check
    check.loads = True
    check.generates = True if deep else None
    return check


def hub_report(offline: bool) -> dict[str, Any]:
    """Whether the Hub answers (a small request, a few seconds at most); skipped offline."""
    from ringkas.models.download import hub_endpoint

    endpoint = hub_endpoint()
    if offline:
        return {
            "endpoint": endpoint,
            "checked": False,
            "reachable": None,
            "detail": "offline mode is on",
        }
    try:
        from huggingface_hub import HfApi

        HfApi(endpoint=endpoint).model_info(DEFAULT_TRANSLATOR, timeout=HUB_TIMEOUT)
    except Exception as exc:  # any failure is the answer: not reachable, and why
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return {"endpoint": endpoint, "checked": True, "reachable": False, "detail": detail}
    return {"endpoint": endpoint, "checked": True, "reachable": True, "detail": "answers"}


def diagnose(
    settings: Settings, resolved: Resolved, *, deep: bool, offline: bool
) -> dict[str, Any]:
    """Everything ``ringkas doctor`` reports, as JSON-ready data; ``ready`` is the verdict."""
    models = [
        check_model("translator", settings.translator, settings, deep=deep),
        check_model("summarizer", settings.summarizer, settings, deep=deep),
    ]
    caches = cache_report()
    return {
        "ready": all(model.ready for model in models) and not any(c.get("problem") for c in caches),
        "ringkas": package_versions()["ringkas"],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "executable": sys.executable,
        "packages": package_versions(),
        "cpu": cpu_report(settings),
        "caches": caches,
        "models": [asdict(model) for model in models],
        "config": {
            "file": str(resolved.config_file),
            "found": resolved.config_found,
            "settings": {
                name: {"value": resolved.values[name], "from": resolved.origins[name]}
                for name in resolved.values
            },
        },
        "hub": hub_report(offline),
    }
