"""A Hugging Face Hub stand-in on 127.0.0.1: the part of the Hub's HTTP API that the installed
``huggingface_hub`` uses to resolve and download a model, with faults injected on request.

It speaks what ``huggingface_hub`` 2.x sends (read from its source: ``hf_api.py``,
``file_download.py``, ``utils/_http.py``):

- ``GET /api/models/{repo}[/revision/{rev}]``: model info (``sha``, ``siblings``; sizes and LFS
  data with ``?blobs=true``). ``rev`` arrives URL-quoted (``refs%2Fpr%2F13``).
- ``GET /api/models/{repo}/tree/{rev}[/{path}]``: the file list, ``{type, oid, size, path, lfs}``.
- ``GET /api/models/{repo}/refs[?include_prs=1]``: branches, converts, tags, pull requests.
- ``HEAD|GET /{repo}/resolve/{rev}/{file}``: small files directly (``ETag`` = git blob id,
  ``X-Repo-Commit``); LFS files as a 302 to a second listener standing in for the LFS CDN (another
  origin, so the client takes the metadata from the redirect: ``X-Linked-Etag`` = sha256,
  ``X-Linked-Size``), which serves the bytes with byte ranges (206, ``Content-Range``).
- Errors carry ``X-Error-Code`` (``RepoNotFound``, ``RevisionNotFound``, ``EntryNotFound``), which
  the client turns into its exception classes. No ``X-Xet-Hash`` header is ever sent, so the
  client downloads over plain HTTP.

Both listeners bind 127.0.0.1 on free ports, serve at most ``max_requests`` requests with at most
``max_workers`` at a time, time idle connections out, and are shut down (connections included)
by ``stop()``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import struct
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

# The files the Hub keeps in Git LFS for these repos (their .gitattributes).
LFS_SUFFIXES = (".bin", ".h5", ".msgpack", ".ot", ".onnx", ".safetensors", ".tar.gz", ".tflite")
_EPOCH = "2020-05-13T21:13:38.000Z"


def git_blob_id(data: bytes) -> str:
    """The git object id of a file's content, as the Hub reports it for non-LFS files."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_pointer(data: bytes) -> bytes:
    """The Git LFS pointer file that git stores in place of a large file."""
    digest = hashlib.sha256(data).hexdigest()
    spec = "https://git-lfs.github.com/spec/v1"
    return f"version {spec}\noid sha256:{digest}\nsize {len(data)}\n".encode()


def is_lfs(path: str) -> bool:
    return path.endswith(LFS_SUFFIXES)


@dataclass(frozen=True)
class Commit:
    """One commit of a repo: its id, title, date and every file it holds."""

    sha: str
    title: str
    date: str
    files: dict[str, bytes]


@dataclass
class Repo:
    """A model repo: commits, branches and pull-request refs (``refs/pr/N``)."""

    id: str
    card: dict[str, Any] = field(default_factory=dict)
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    pulls: dict[int, str] = field(default_factory=dict)

    def commit(
        self,
        ref: str,
        title: str,
        *,
        add: dict[str, bytes] | None = None,
        remove: Iterable[str] = (),
        parent: str | None = None,
        date: str = _EPOCH,
    ) -> Commit:
        """Commit ``add``/``remove`` on top of ``ref`` (or of ``parent``, which a new ref starts
        from) and move ``ref`` (``main`` or ``refs/pr/N``) to it."""
        base = parent or self.resolve(ref)
        files = dict(self.commits[base].files) if base else {}
        for path in remove:
            files.pop(path, None)
        files.update(add or {})
        digest = hashlib.sha1(f"{base}\n{title}\n{date}".encode())
        for path in sorted(files):
            digest.update(f"{path}\0{git_blob_id(files[path])}\n".encode())
        commit = Commit(digest.hexdigest(), title, date, files)
        self.commits[commit.sha] = commit
        self._set_ref(ref, commit.sha)
        return commit

    def _set_ref(self, ref: str, sha: str) -> None:
        if ref.startswith("refs/pr/"):
            self.pulls[int(ref.rsplit("/", 1)[1])] = sha
        else:
            self.branches[ref.removeprefix("refs/heads/")] = sha

    def copy(self) -> Repo:
        """An independent copy (commits are immutable and shared), for one test to change."""
        return Repo(
            self.id, dict(self.card), dict(self.commits), dict(self.branches), dict(self.pulls)
        )

    def delete_ref(self, ref: str) -> None:
        """Close a pull request or delete a branch: the ref no longer resolves."""
        if ref.startswith("refs/pr/"):
            self.pulls.pop(int(ref.rsplit("/", 1)[1]), None)
        else:
            self.branches.pop(ref.removeprefix("refs/heads/"), None)

    def resolve(self, revision: str) -> str | None:
        """The commit a branch, ``refs/heads/X``, ``refs/pr/N`` or commit id names, if any."""
        if revision in self.commits:
            return revision
        if revision.startswith("refs/pr/"):
            number = revision.removeprefix("refs/pr/")
            return self.pulls.get(int(number)) if number.isdigit() else None
        return self.branches.get(revision.removeprefix("refs/heads/"))


@dataclass
class Request:
    """One request as the server saw it; ``sent`` counts the file bytes actually written."""

    listener: str
    method: str
    path: str
    range: str | None
    status: int = 0
    file: str | None = None
    sent: int = 0
    dropped: bool = False


@dataclass
class _Countdown:
    remaining: int | None  # None: every time

    def take(self) -> bool:
        if self.remaining is None:
            return True
        if self.remaining <= 0:
            return False
        self.remaining -= 1
        return True


class Faults:
    """Faults to inject, by file name (the path inside the repo) or by request path."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cuts: dict[str, tuple[float, bool, _Countdown]] = {}
        self._slow: dict[str, float] = {}
        self.corrupted: set[str] = set()
        self._errors: list[tuple[str, int, _Countdown]] = []
        self.hidden_repos: set[str] = set()
        self.hidden_revisions: set[tuple[str, str]] = set()

    def cut(self, file: str, *, at: float = 0.5, times: int | None = 1, reset: bool = True) -> None:
        """Drop the connection after ``at`` (a fraction, or a byte count if > 1) of the file's
        bytes have been sent, ``times`` times (None: always): with a TCP reset, or (``reset``
        false) by closing it early, as a proxy that gives up does."""
        with self._lock:
            self._cuts[file] = (at, reset, _Countdown(times))

    def slow(self, file: str, bytes_per_second: float) -> None:
        """Send the file at this rate."""
        with self._lock:
            self._slow[file] = bytes_per_second

    def corrupt(self, file: str) -> None:
        """Serve the file with one byte changed (its size and listed hashes stay the same)."""
        self.corrupted.add(file)

    def fail(self, path_part: str, *, status: int = 500, times: int | None = None) -> None:
        """Answer ``status`` to requests whose path contains ``path_part`` (URL-decoded)."""
        with self._lock:
            self._errors.append((path_part, status, _Countdown(times)))

    def hide_repo(self, repo_id: str) -> None:
        """Every request about the repo gets 404 RepoNotFound."""
        self.hidden_repos.add(repo_id)

    def hide_revision(self, repo_id: str, revision: str) -> None:
        """The revision gets 404 RevisionNotFound (and is left out of the refs list)."""
        self.hidden_revisions.add((repo_id, revision))

    def clear(self) -> None:
        with self._lock:
            self._cuts.clear()
            self._slow.clear()
            self._errors.clear()
        self.corrupted.clear()
        self.hidden_repos.clear()
        self.hidden_revisions.clear()

    def error_for(self, path: str) -> int | None:
        with self._lock:
            for part, status, countdown in self._errors:
                if part in path and countdown.take():
                    return status
        return None

    def cut_for(self, file: str, size: int) -> tuple[int, bool] | None:
        """Where (a byte offset into the file) and how (reset?) to drop this response."""
        with self._lock:
            planned = self._cuts.get(file)
            if planned is None or not planned[2].take():
                return None
        at, reset, _ = planned
        return (int(at) if at > 1 else int(size * at)), reset

    def rate_for(self, file: str) -> float | None:
        with self._lock:
            return self._slow.get(file)


class _Listener(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, hub: HubServer, name: str) -> None:
        self.hub = hub
        self.name = name
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.hub._admit(request):
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.hub._release(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up (killed, cut) are part of the tests, not errors


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection is closed after this
    server: _Listener

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_GET(self) -> None:
        self._serve("GET")

    def _serve(self, method: str) -> None:
        record = Request(self.server.name, method, self.path, self.headers.get("Range"))
        try:
            if not self.server.hub._record(record):
                self.close_connection = True
                self.send_error_code(record, 503, "", "this test server's request limit is reached")
                return
            self.server.hub._answer(self, record)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True

    # -- writing helpers used by HubServer -------------------------------------------------

    def send(
        self, record: Request, status: int, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> None:
        record.status = status
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def send_json(
        self, record: Request, payload: Any, headers: dict[str, str] | None = None
    ) -> None:
        body = json.dumps(payload).encode()
        self.send(record, 200, body, {"Content-Type": "application/json", **(headers or {})})

    def send_error_code(
        self, record: Request, status: int, code: str, message: str, **extra: str
    ) -> None:
        body = json.dumps({"error": message}).encode()
        headers = {"Content-Type": "application/json", "X-Error-Message": message, **extra}
        if code:
            headers["X-Error-Code"] = code
        self.send(record, status, body, headers)

    def drop(self, *, reset: bool) -> None:
        """Drop the connection: a TCP reset, as a broken network does, or a plain close."""
        self.wfile.flush()
        if reset:
            linger = struct.pack("ii", 1, 0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        else:
            self.connection.shutdown(socket.SHUT_WR)
        self.connection.close()
        self.close_connection = True


class HubServer:
    """The Hub (API + resolve) and its LFS CDN, both on 127.0.0.1, sharing repos and faults."""

    def __init__(self, repos: Iterable[Repo], *, max_requests: int = 5000, max_workers: int = 32):
        self.repos = {repo.id: repo for repo in repos}
        self.faults = Faults()
        self.requests: list[Request] = []
        self.max_requests = max_requests
        self.refused = 0
        self._slots = threading.BoundedSemaphore(max_workers)
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listeners: list[_Listener] = []
        self._threads: list[threading.Thread] = []

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> HubServer:
        self.hub = _Listener(self, "hub")
        self.cdn = _Listener(self, "cdn")
        self._listeners = [self.hub, self.cdn]
        for listener in self._listeners:
            thread = threading.Thread(
                target=listener.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for listener in self._listeners:
            listener.shutdown()
            listener.server_close()
        with self._lock:
            for connection in list(self._open):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """What HF_ENDPOINT is set to."""
        return self.hub.url

    def _admit(self, connection: socket.socket) -> bool:
        if not self._slots.acquire(timeout=30):
            return False  # every worker busy for 30 s: the client sees its connection closed
        with self._lock:
            self._open.add(connection)
        return True

    def _release(self, connection: socket.socket) -> None:
        self._slots.release()
        with self._lock:
            self._open.discard(connection)

    def _record(self, record: Request) -> bool:
        """Log a request; False once ``max_requests`` have been served."""
        with self._lock:
            if len(self.requests) >= self.max_requests:
                self.refused += 1
                return False
            self.requests.append(record)
            return True

    # -- what tests read -------------------------------------------------------------------

    def file_requests(self, file: str, method: str = "GET") -> list[Request]:
        """Requests that carried (part of) this file's bytes, from either listener."""
        return [r for r in self.requests if r.file == file and r.method == method]

    def bytes_sent(self, file: str) -> int:
        """How many bytes of this file went out, over all its GETs."""
        return sum(r.sent for r in self.file_requests(file))

    def repo(self, repo_id: str) -> Repo:
        return self.repos[repo_id]

    # -- routing ---------------------------------------------------------------------------

    def _answer(self, handler: _Handler, record: Request) -> None:
        split = urlsplit(handler.path)
        segments = [unquote(part) for part in split.path.split("/")[1:]]
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        status = self.faults.error_for("/".join(segments))
        if status is not None:
            handler.send_error_code(
                record, status, "", "Internal Error - We're working hard to fix this"
            )
            return
        if handler.server.name == "cdn":
            self._cdn(handler, record, segments)
        elif segments[:2] == ["api", "models"] and len(segments) >= 4:
            self._api(handler, record, "/".join(segments[2:4]), segments[4:], query)
        elif len(segments) >= 5 and segments[2] == "resolve":
            self._resolve(
                handler, record, "/".join(segments[:2]), segments[3], "/".join(segments[4:])
            )
        else:
            handler.send_error_code(
                record, 404, "", "Sorry, we can't find the page you are looking for."
            )

    def _find_repo(self, handler: _Handler, record: Request, repo_id: str) -> Repo | None:
        repo = self.repos.get(repo_id)
        if repo is None or repo_id in self.faults.hidden_repos:
            handler.send_error_code(record, 404, "RepoNotFound", "Repository not found")
            return None
        return repo

    def _find_commit(
        self, handler: _Handler, record: Request, repo: Repo, revision: str
    ) -> Commit | None:
        sha = (
            None if (repo.id, revision) in self.faults.hidden_revisions else repo.resolve(revision)
        )
        if sha is None:
            handler.send_error_code(record, 404, "RevisionNotFound", f"Invalid rev id: {revision}")
            return None
        return repo.commits[sha]

    def _api(
        self,
        handler: _Handler,
        record: Request,
        repo_id: str,
        rest: list[str],
        query: dict[str, str],
    ) -> None:
        repo = self._find_repo(handler, record, repo_id)
        if repo is None:
            return
        if rest == ["refs"]:
            handler.send_json(record, self._refs(repo, include_prs=bool(query.get("include_prs"))))
        elif not rest or rest[0] == "revision":
            revision = rest[1] if len(rest) > 1 else "main"
            commit = self._find_commit(handler, record, repo, revision)
            if commit is not None:
                blobs = query.get("blobs", "").lower() in ("1", "true")
                handler.send_json(record, self._model_info(repo, commit, blobs=blobs))
        elif rest[0] == "tree" and len(rest) >= 2:
            commit = self._find_commit(handler, record, repo, rest[1])
            if commit is not None:
                prefix = "/".join(rest[2:])
                handler.send_json(record, self._tree(commit, prefix))
        else:
            handler.send_error_code(
                record, 404, "", "Sorry, we can't find the page you are looking for."
            )

    def _refs(self, repo: Repo, *, include_prs: bool) -> dict[str, Any]:
        def hidden(ref: str) -> bool:
            return (repo.id, ref) in self.faults.hidden_revisions

        refs: dict[str, Any] = {
            "branches": [
                {"name": name, "ref": f"refs/heads/{name}", "targetCommit": sha}
                for name, sha in sorted(repo.branches.items())
                if not hidden(name)
            ],
            "converts": [],
            "tags": [],
        }
        if include_prs:
            refs["pullRequests"] = [
                {"name": str(number), "ref": f"refs/pr/{number}", "targetCommit": sha}
                for number, sha in sorted(repo.pulls.items())
                if not hidden(f"refs/pr/{number}")
            ]
        return refs

    def _model_info(self, repo: Repo, commit: Commit, *, blobs: bool) -> dict[str, Any]:
        siblings = []
        for path in sorted(commit.files):
            sibling: dict[str, Any] = {"rfilename": path}
            if blobs:
                data = commit.files[path]
                sibling["size"] = len(data)
                if is_lfs(path):
                    pointer = lfs_pointer(data)
                    sibling["blobId"] = git_blob_id(pointer)
                    sibling["lfs"] = {
                        "size": len(data),
                        "sha256": hashlib.sha256(data).hexdigest(),
                        "pointerSize": len(pointer),
                    }
                else:
                    sibling["blobId"] = git_blob_id(data)
            siblings.append(sibling)
        info: dict[str, Any] = {
            "_id": hashlib.md5(repo.id.encode()).hexdigest()[:24],
            "id": repo.id,
            "modelId": repo.id,
            "author": repo.id.split("/")[0],
            "sha": commit.sha,
            "lastModified": commit.date,
            "createdAt": _EPOCH,
            "private": False,
            "disabled": False,
            "gated": False,
            "downloads": 0,
            "likes": 0,
            "library_name": "transformers",
            "spaces": [],
            "siblings": siblings,
            **repo.card,
        }
        if any(path.endswith(".safetensors") for path in commit.files):
            info["safetensors"] = {"parameters": {"F32": 0}, "total": 0}
        return info

    def _tree(self, commit: Commit, prefix: str) -> list[dict[str, Any]]:
        entries = []
        for path in sorted(commit.files):
            if prefix and not path.startswith(prefix.rstrip("/") + "/"):
                continue
            data = commit.files[path]
            entry: dict[str, Any] = {"type": "file", "size": len(data), "path": path}
            if is_lfs(path):
                pointer = lfs_pointer(data)
                entry["oid"] = git_blob_id(pointer)
                entry["lfs"] = {
                    "oid": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                    "pointerSize": len(pointer),
                }
            else:
                entry["oid"] = git_blob_id(data)
            entries.append(entry)
        return entries

    def _resolve(
        self, handler: _Handler, record: Request, repo_id: str, revision: str, path: str
    ) -> None:
        repo = self._find_repo(handler, record, repo_id)
        if repo is None:
            return
        commit = self._find_commit(handler, record, repo, revision)
        if commit is None:
            return
        data = commit.files.get(path)
        if data is None:
            handler.send_error_code(
                record, 404, "EntryNotFound", "Entry not found", **{"X-Repo-Commit": commit.sha}
            )
            return
        if is_lfs(path):
            digest = hashlib.sha256(data).hexdigest()
            location = (
                f"{self.cdn.url}/repos/{digest[:2]}/{digest[2:4]}/{digest}?name={quote(path)}"
            )
            handler.send(
                record,
                302,
                headers={
                    "Location": location,
                    "X-Repo-Commit": commit.sha,
                    "ETag": f'"{git_blob_id(lfs_pointer(data))}"',
                    "X-Linked-Etag": f'"{digest}"',
                    "X-Linked-Size": str(len(data)),
                },
            )
            return
        record.file = path
        headers = {"X-Repo-Commit": commit.sha, "ETag": f'"{git_blob_id(data)}"'}
        self._send_bytes(handler, record, path, data, headers)

    def _cdn(self, handler: _Handler, record: Request, segments: list[str]) -> None:
        digest = segments[-1] if segments[:1] == ["repos"] else ""
        for repo in self.repos.values():
            for commit in repo.commits.values():
                for path, data in commit.files.items():
                    if is_lfs(path) and hashlib.sha256(data).hexdigest() == digest:
                        record.file = path
                        self._send_bytes(handler, record, path, data, {"ETag": f'"{digest}"'})
                        return
        handler.send(record, 404, b"<Error><Code>NoSuchKey</Code></Error>")

    def _send_bytes(
        self, handler: _Handler, record: Request, path: str, data: bytes, headers: dict[str, str]
    ) -> None:
        """Serve ``data`` honouring ``Range: bytes=a-[b]``, with this file's faults."""
        if path in self.faults.corrupted and data:
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        start, end = 0, len(data)
        status = 200
        headers = {**headers, "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"}
        if record.range and handler.command == "GET":
            spec = record.range.removeprefix("bytes=")
            first, _, last = spec.partition("-")
            if first.isdigit():
                start = int(first)
                end = min(int(last) + 1, len(data)) if last.isdigit() else len(data)
            if start >= len(data):
                headers["Content-Range"] = f"bytes */{len(data)}"
                handler.send(record, 416, b"", headers)
                return
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{len(data)}"
        record.status = status
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(end - start))
        handler.end_headers()
        if handler.command == "HEAD":
            return
        planned = self.faults.cut_for(path, len(data))
        cut, reset = planned if planned else (None, False)
        rate = self.faults.rate_for(path)
        step = 1024 if rate else 16 * 1024
        position = start
        while position < end:
            if cut is not None and position >= cut:
                record.dropped = True
                handler.drop(reset=reset)
                return
            stop = min(end, position + step)
            if cut is not None and position < cut <= stop:
                stop = cut
            sent = stop - position
            handler.wfile.write(data[position:stop])
            record.sent += sent
            position = stop
            if rate:
                handler.wfile.flush()
                time.sleep(sent / rate)


def serve(repos: Iterable[Repo]) -> Iterator[HubServer]:
    """Start a server for the repos and stop it afterwards (for a fixture)."""
    server = HubServer(repos).start()
    try:
        yield server
    finally:
        server.stop()
