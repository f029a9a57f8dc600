"""Download a Hub model revision into the ringkas cache: resumable, verified, one at a time.

Layout, under ``cache_root()/downloads/OWNER--NAME/``::

    refs/<revision key>      the commit a model name (or NAME@REV) was last resolved to
    <commit>/                the revision's files; complete once ``ringkas-download.json`` is there
    <commit>/.partial/       bytes received so far, in files with unpredictable names

Each file is streamed (the real ``huggingface_hub`` client resolves it and supplies the HTTP
session, headers and retries) into a partial file that the next attempt continues with a
byte range: a download interrupted by Ctrl-C, a kill or a dropped connection goes on where
it stopped. A file is moved into place only when its size and hash (sha256 for LFS files,
the git blob id for the others) match the Hub's tree, and a folder counts as a model only
once its record is written, after every file: a partial download is never taken for a model.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ringkas.errors import CacheUnusableError, ModelUnavailableError
from ringkas.limits import size_text
from ringkas.models.revisions import RemoteFile

RECORD = "ringkas-download.json"
RECORD_FORMAT = 1
_PARTIAL = ".partial"
_CHUNK = 1 << 20
# Attempts without a single new byte before a download is given up (the next run resumes it).
_STALLED_ATTEMPTS = 4
_RETRY_WAIT = 0.5
# Free space kept beyond what a download or conversion needs.
DISK_MARGIN = 64 << 20


class FileBar(Protocol):
    def update(self, count: int) -> None: ...

    def close(self) -> None: ...


# (file label, total bytes, bytes already there) -> a progress bar for one file.
TransferProgress = Callable[[str, int, int], FileBar]
Report = Callable[[str], None]


def cache_root() -> Path:
    """The ringkas cache: $RINGKAS_CACHE_DIR, else the platform's user cache folder."""
    override = os.environ.get("RINGKAS_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("ringkas"))


def downloads_root() -> Path:
    return cache_root() / "downloads"


def hub_endpoint() -> str:
    """The Hub to ask: $HF_ENDPOINT (a mirror), else huggingface.co."""
    return (os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "model"


def repo_folder(name: str) -> Path:
    return downloads_root() / slug(name.replace("/", "--"))


# -- disk space -------------------------------------------------------------------------------


def existing_parent(path: Path) -> Path:
    """``path``, or the nearest path above it that exists (a file, perhaps)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(os.sep)


def free_bytes(path: Path) -> int:
    """Free space on the disk that holds ``path`` (or would, once created)."""
    return int(shutil.disk_usage(existing_parent(path)).free)


def check_free_space(needed: int, where: Path, what: str) -> None:
    """Refuse, before anything is written, when ``where``'s disk cannot take ``needed`` bytes."""
    free = free_bytes(where)
    if needed + DISK_MARGIN > free:
        raise ModelUnavailableError(
            f"not enough disk space to {what}: {size_text(needed + DISK_MARGIN, decimal=True)} "
            f"needed in {where}, {size_text(free, decimal=True)} free",
            hint="free some space, or set RINGKAS_CACHE_DIR to a folder on a bigger disk",
        )


# -- locks ------------------------------------------------------------------------------------


CACHE_FIX = "set RINGKAS_CACHE_DIR to a folder you can write"


def unusable_cache(exc: OSError) -> CacheUnusableError:
    """The cache folder cannot hold models: why, and how to choose another."""
    where = cache_root()
    setting = "RINGKAS_CACHE_DIR" if os.environ.get("RINGKAS_CACHE_DIR") else "the default"
    return CacheUnusableError(
        f"the model cache {where} ({setting}) cannot be used: "
        f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else ""),
        hint=CACHE_FIX,
    )


@contextmanager
def locked(key: str, report: Report | None, doing: str) -> Iterator[None]:
    """Hold the cache's lock for ``key`` (a file lock: other ringkas processes wait)."""
    from filelock import FileLock, Timeout

    folder = cache_root() / "locks"
    lock = FileLock(str(folder / f"{slug(key)}.lock"))
    try:
        # The first write to the cache: one that cannot be used (a file, a folder that
        # cannot be made or written) is said here, naming it and the setting.
        folder.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=0.5)
    except Timeout:  # (a TimeoutError, so an OSError: before the clause below)
        if report:
            report(f"waiting for another ringkas process that is {doing}")
        lock.acquire()
    except OSError as exc:
        raise unusable_cache(exc) from exc
    try:
        yield
    finally:
        lock.release()


# -- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    """A complete download: its folder and what was recorded about it."""

    folder: Path
    info: dict[str, Any]


def read_record(folder: Path) -> Download | None:
    """The download in ``folder`` if it is complete (record present, every file its size)."""
    try:
        info = json.loads((folder / RECORD).read_text("utf-8"))
        files = info["files"]
        for path, meta in files.items():
            if (folder / path).stat().st_size != meta["size"]:
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Download(folder, info)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file with an unpredictable name, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ref_path(name: str, key: str) -> Path:
    return repo_folder(name) / "refs" / slug(key)


def find_download(name: str, key: str) -> Download | None:
    """The complete download a model name (or NAME@REV) last resolved to, without the network."""
    try:
        commit = ref_path(name, key).read_text("utf-8").strip()
    except OSError:
        return None
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        return None
    return read_record(repo_folder(name) / commit)


def prune(name: str) -> None:
    """Delete the revisions of ``name`` that no name or NAME@REV points to any more."""
    root = repo_folder(name)
    kept = set()
    for ref in (root / "refs").glob("*"):
        try:
            kept.add(ref.read_text("utf-8").strip())
        except OSError:
            continue
    for folder in root.iterdir() if root.is_dir() else []:
        if re.fullmatch(r"[0-9a-f]{40}", folder.name) and folder.name not in kept:
            shutil.rmtree(folder, ignore_errors=True)


def remove(name: str) -> list[Path]:
    """Delete every download of the Hub model ``name`` (after one in progress ends)."""
    folder = repo_folder(name)
    if not folder.is_dir():
        return []
    with locked(f"download {name}", None, ""):
        shutil.rmtree(folder, ignore_errors=True)
    return [folder]


# -- one file ---------------------------------------------------------------------------------


def _hasher(remote: RemoteFile) -> Any:
    if remote.sha256:
        return hashlib.sha256()
    digest = hashlib.sha1()
    digest.update(b"blob %d\0" % remote.size)
    return digest


def _expected_digest(remote: RemoteFile) -> str:
    return remote.sha256 or remote.blob_id


def _partials(folder: Path, remote: RemoteFile) -> list[Path]:
    """The partial files earlier attempts left for ``remote`` (named by ``mkstemp``)."""
    prefix = f".{slug(remote.path)}."
    named = re.compile(re.escape(prefix) + r"[A-Za-z0-9_]+\.part")
    partials = folder / _PARTIAL
    if not partials.is_dir():
        return []
    return [p for p in partials.iterdir() if named.fullmatch(p.name)]


def _partial_for(folder: Path, remote: RemoteFile) -> tuple[Path, int]:
    """The partial file to continue (the longest left by earlier attempts), or a new one."""
    partials = folder / _PARTIAL
    partials.mkdir(parents=True, exist_ok=True)
    prefix = f".{slug(remote.path)}."
    found = []
    for candidate in _partials(folder, remote):
        info = candidate.lstat()
        if candidate.is_symlink() or not candidate.is_file() or info.st_size > remote.size:
            candidate.unlink(missing_ok=True)  # never written through, never trusted
            continue
        found.append((info.st_size, candidate))
    if found:
        found.sort()
        for _, extra in found[:-1]:
            extra.unlink(missing_ok=True)
        size, path = found[-1]
        return path, size
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=partials)
    os.close(handle)
    return Path(name), 0


def _open_partial(path: Path) -> int:
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    return os.open(path, flags)


def _hash_of(path: Path, remote: RemoteFile) -> str:
    digest = _hasher(remote)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return str(digest.hexdigest())


def _download_url(name: str, remote: RemoteFile, commit: str) -> tuple[str, dict[str, str]]:
    """Where the file's bytes are and the headers to send there, as the client resolves them
    (the Hub redirects LFS files to its CDN; authorization never leaves the Hub)."""
    from urllib.parse import quote

    from huggingface_hub import get_hf_file_metadata
    from huggingface_hub.utils import build_hf_headers

    endpoint = hub_endpoint()
    # As hf_hub_url builds it, from the endpoint in effect now (not at the client's import).
    url = f"{endpoint}/{name}/resolve/{quote(commit, safe='')}/{quote(remote.path)}"
    meta = get_hf_file_metadata(url, endpoint=endpoint)
    headers = build_hf_headers()
    headers["Accept-Encoding"] = "identity"  # byte ranges count stored bytes
    target = url if meta.xet_file_data is not None else (meta.location or url)
    if _origin(target) != _origin(url):
        headers.pop("authorization", None)
    return target, headers


def _origin(url: str) -> tuple[str, str, int | None]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def fetch_file(
    name: str,
    commit: str,
    remote: RemoteFile,
    folder: Path,
    *,
    progress: TransferProgress | None = None,
) -> Path:
    """Download one file into ``folder`` (resuming what earlier attempts left), verified."""
    import httpx2

    target = folder / remote.path
    partial, have = _partial_for(folder, remote)
    bar = progress(remote.path, remote.size, have) if progress else None
    stalled = 0
    try:
        url, headers = _download_url(name, remote, commit)
        while have < remote.size:
            before = have
            try:
                _stream_into(partial, have, url, headers, bar)
            except (httpx2.TransportError, httpx2.StreamError) as exc:
                error: Exception = exc
            else:
                error = ConnectionError("the server ended the file early")
            have = partial.stat().st_size  # what reached the disk, whatever happened
            if have >= remote.size:
                break
            stalled = 0 if have > before else stalled + 1
            if stalled >= _STALLED_ATTEMPTS:
                raise ModelUnavailableError(
                    f"the download of {name}/{remote.path} stopped at "
                    f"{size_text(have, decimal=True)} of "
                    f"{size_text(remote.size, decimal=True)} ({error})",
                    hint="run the same command again: it goes on where it stopped",
                ) from error
            time.sleep(_RETRY_WAIT * 2 ** max(stalled - 1, 0))
    finally:
        if bar:
            bar.close()
    if have != remote.size or _hash_of(partial, remote) != _expected_digest(remote):
        partial.unlink(missing_ok=True)
        raise ModelUnavailableError(
            f"the download of {name}/{remote.path} is corrupt (its size or hash differs from "
            "the Hub's) and was deleted",
            hint="run the same command again to download it afresh",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(partial, target)
    return target


def _stream_into(
    partial: Path, have: int, url: str, headers: dict[str, str], bar: FileBar | None
) -> None:
    """GET ``url`` from byte ``have`` (the size of ``partial``) on, appending to it."""
    from huggingface_hub.utils import hf_raise_for_status, http_stream_backoff

    request = dict(headers)
    if have:
        request["Range"] = f"bytes={have}-"
    with http_stream_backoff(
        "GET",
        url,
        headers=request,
        timeout=30,
        max_retries=2,
        base_wait_time=0.5,
        retry_on_exceptions=(),
        retry_on_status_codes=(429, 500, 502, 503, 504),
    ) as response:
        hf_raise_for_status(response)
        handle = _open_partial(partial)
        try:
            if have and response.status_code == 200:
                os.ftruncate(handle, 0)  # the server ignored the range: start again
                if bar:
                    bar.update(-have)
            for chunk in response.iter_bytes():
                os.write(handle, chunk)
                if bar:
                    bar.update(len(chunk))
        finally:
            os.close(handle)


def missing_bytes(folder: Path, files: list[RemoteFile]) -> int:
    """What is still to be downloaded, counting the partial files already there."""
    total = 0
    for remote in files:
        if (folder / remote.path).is_file():
            continue
        partials = sorted(
            p.stat().st_size
            for p in _partials(folder, remote)
            if p.is_file() and not p.is_symlink()
        )
        total += remote.size - min(partials[-1] if partials else 0, remote.size)
    return total


def finish(folder: Path, record: dict[str, Any]) -> Download:
    """Write the record that makes ``folder`` a complete download."""
    shutil.rmtree(folder / _PARTIAL, ignore_errors=True)
    write_atomic(folder / RECORD, json.dumps({"format": RECORD_FORMAT, **record}, indent=2) + "\n")
    download = read_record(folder)
    if download is None:
        raise ModelUnavailableError(f"the download in {folder} is incomplete")
    return download


# -- a whole model ----------------------------------------------------------------------------


@contextmanager
def hub_errors(name: str, revision: str | None, hint: str) -> Iterator[None]:
    """Turn the Hub client's errors into one-line ModelUnavailableErrors."""
    import httpx2
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        HFValidationError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    at = f"@{revision}" if revision else ""
    try:
        yield
    except ModelUnavailableError:
        raise
    except GatedRepoError as exc:
        raise ModelUnavailableError(
            f"model {name} is gated on the Hugging Face Hub",
            hint="accept its licence on huggingface.co and log in with `hf auth login`",
        ) from exc
    except RepositoryNotFoundError as exc:
        raise ModelUnavailableError(
            f"model {name} was not found on the Hugging Face Hub",
            hint="check the name, or pass a local folder",
        ) from exc
    except RevisionNotFoundError as exc:
        raise ModelUnavailableError(
            f"model {name} has no revision {revision!r} on the Hugging Face Hub",
            hint="check the part after '@'",
        ) from exc
    except HFValidationError as exc:
        raise ModelUnavailableError(
            f"{name!r} is neither a local folder nor a valid Hub id",
            hint="Hub ids look like OWNER/NAME; folders must exist",
        ) from exc
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "an error"
        raise ModelUnavailableError(
            f"the Hugging Face Hub answered {status} for {name}{at}", hint=hint
        ) from exc
    except (httpx2.TransportError, OfflineModeIsEnabled) as exc:
        raise ModelUnavailableError(
            f"model {name}{at} is not downloaded and the Hugging Face Hub ({hub_endpoint()}) "
            f"could not be reached ({type(exc).__name__})",
            hint=hint,
        ) from exc
    except OSError as exc:  # full disk, permissions
        raise ModelUnavailableError(
            f"model {name}{at} could not be downloaded: {exc}", hint=hint
        ) from exc


def _tell(report: Report | None, message: str) -> None:
    if report:
        report(message)


def fetch(
    name: str,
    revision: str | None,
    *,
    pinned: bool,
    offline: bool,
    update: bool = False,
    allow_pickle: bool = True,
    report: Report | None = None,
    progress: TransferProgress | None = None,
    hint: str = "",
) -> Download:
    """A complete download of ``name`` (at ``revision``; see ``revisions.choose_revision``).

    Without ``update``, a download already made for this name and revision is used without
    asking the Hub. Offline, nothing else is possible.
    """
    from ringkas.models.revisions import choose_revision, files_to_fetch

    key = revision or "main"
    at = f"@{revision}" if revision else ""
    found = find_download(name, key)
    if found is not None and not update:
        return found
    if offline:
        if found is not None:
            return found
        raise ModelUnavailableError(
            f"model {name}{at} is not downloaded and offline mode is on", hint=hint
        )
    from huggingface_hub import HfApi

    with hub_errors(name, revision, hint):
        api = HfApi(endpoint=hub_endpoint())
        choice = choose_revision(api, name, revision, pinned=pinned)
        if choice.weights not in ("safetensors", "pickle"):
            raise ModelUnavailableError(
                f"model {name} has no weights ringkas can read at {choice.revision}",
                hint="pick a revision with model.safetensors, or pass a local folder",
            )
        if choice.weights == "pickle" and not allow_pickle:
            raise ModelUnavailableError(
                f"model {name} has no safetensors weights on the Hub ({choice.reason}), and "
                "safetensors_only is set",
                hint="unset safetensors_only to let ringkas convert its pickled weights once "
                "with PyTorch's safe loader, or pass a local folder",
            )
        tree = list(api.list_repo_tree(name, revision=choice.commit, recursive=True))
    files = files_to_fetch(tree, choice.weights)
    folder = repo_folder(name) / choice.commit
    total = sum(remote.size for remote in files)
    done = read_record(folder)
    if done is None:
        needed = missing_bytes(folder, files)
        if choice.weights == "pickle":  # the safetensors copy, tied weights included
            needed += 2 * sum(f.size for f in files if f.path.endswith(".bin"))
        check_free_space(needed, downloads_root(), f"download {name}")
    with locked(f"download {name}", report, f"downloading {name}"):
        done = read_record(folder)
        if done is None:
            if choice.reason != "pinned" and choice.reason != "as asked":
                _tell(report, f"{name}: using {choice.revision} ({choice.reason})")
            _tell(
                report,
                f"downloading {name} at {choice.revision} (commit {choice.commit[:7]}, "
                f"{size_text(total, decimal=True)}) from {hub_endpoint()}",
            )
            with hub_errors(name, revision, hint):
                for remote in files:
                    if not (folder / remote.path).is_file():
                        fetch_file(name, choice.commit, remote, folder, progress=progress)
            weights = "safetensors"
            if choice.weights == "pickle":
                from ringkas.models.pickled import convert_pickled_weights

                _tell(
                    report,
                    f"{name} has no safetensors weights on the Hub: converting its pickled "
                    "weights once with PyTorch's safe loader (tensors only, no code runs)",
                )
                convert_pickled_weights(folder, name)
                weights = "safetensors, converted from pytorch_model.bin (weights_only)"
            record = {
                "name": name,
                "requested": revision,
                "revision": choice.revision,
                "commit": choice.commit,
                "reason": choice.reason,
                "weights": weights,
                "endpoint": hub_endpoint(),
                "downloaded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "files": {
                    path.name: {"size": path.stat().st_size}
                    for path in sorted(folder.iterdir())
                    if path.is_file() and path.name != RECORD
                },
            }
            done = finish(folder, record)
        write_atomic(ref_path(name, key), choice.commit + "\n")
        prune(name)
    return done
