"""An S3-compatible server on 127.0.0.1 for the tests: moto's, in a thread of the test
process, on a free port. ringkas reaches it as a user reaches MinIO or any other endpoint:
``AWS_ENDPOINT_URL`` (which pyarrow honours) and credentials in the environment.

Fixtures: ``s3_server`` (the session's server) and ``s3`` (a fresh bucket for one test, the
environment pointing at the server; a :class:`Bucket` to put and look at objects with).
Skipped when pyarrow or moto is not installed (``pip install -e '.[dev,ray]'``).
"""

from __future__ import annotations

import logging
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class Bucket:
    """One test's bucket on the stand-in server."""

    name: str
    filesystem: Any  # pyarrow.fs.S3FileSystem

    def uri(self, key: str = "") -> str:
        return f"s3://{self.name}/{key}"

    def put(self, key: str, data: bytes) -> None:
        with self.filesystem.open_output_stream(f"{self.name}/{key}") as stream:
            stream.write(data)

    def put_folder(self, folder: Path, prefix: str) -> list[str]:
        """Upload every file below ``folder`` under ``prefix``; returns their keys."""
        keys = []
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                key = f"{prefix.rstrip('/')}/{path.relative_to(folder).as_posix()}"
                self.put(key, path.read_bytes())
                keys.append(key)
        return keys

    def get(self, key: str) -> bytes:
        with self.filesystem.open_input_stream(f"{self.name}/{key}") as stream:
            data: bytes = stream.read()
        return data

    def listing(self, prefix: str = "") -> list[str]:
        """Every object's key below ``prefix`` (relative to it), sorted."""
        from pyarrow import fs

        base = f"{self.name}/{prefix}".rstrip("/")
        try:
            found = self.filesystem.get_file_info(fs.FileSelector(base, recursive=True))
        except FileNotFoundError:
            return []
        return sorted(info.path[len(base) + 1 :] for info in found if info.type == fs.FileType.File)

    def delete(self, key: str) -> None:
        self.filesystem.delete_file(f"{self.name}/{key}")


@dataclass(frozen=True)
class S3Server:
    endpoint: str  # http://127.0.0.1:PORT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    pytest.importorskip("pyarrow.fs", reason="pyarrow is not installed (ringkas[ray])")
    moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield S3Server(f"http://127.0.0.1:{port}")
    finally:
        server.stop()


@pytest.fixture
def s3(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Bucket:
    """A new bucket, and the environment of a user whose S3 is the stand-in server."""
    from pyarrow import fs

    for name, value in {
        "AWS_ENDPOINT_URL": s3_server.endpoint,
        "AWS_ACCESS_KEY_ID": "ringkas-test",
        "AWS_SECRET_ACCESS_KEY": "ringkas-test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",  # never the instance metadata address
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    host = s3_server.endpoint.removeprefix("http://")
    filesystem = fs.S3FileSystem(
        endpoint_override=host,
        scheme="http",
        access_key="ringkas-test",
        secret_key="ringkas-test",
        region="us-east-1",
        allow_bucket_creation=True,
    )
    name = f"rk-{secrets.token_hex(6)}"
    filesystem.create_dir(name)
    return Bucket(name, filesystem)
