"""Inputs and outputs on a filesystem that pyarrow knows, against a real S3-compatible server
on 127.0.0.1 (tests/s3_server.py), with the local batch job (the Ray job: tests/test_ray.py).

The same refusals as on a local disk (one line, exit 2, before any work, nothing written),
the same resume state, and a missing bucket, prefix or object is that input's failure.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import NONET, REPO, SEED, TinyModels
from ringkas.cli import cli
from s3_server import Bucket

ARTICLE = SEED.read_bytes()


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def models(tiny: TinyModels) -> list[str]:
    return ["-t", str(tiny.marian), "-s", str(tiny.bart), "-l", "short"]


def error_line(result: Any) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ringkas: error: "), result.stderr
    return lines[0]


def put_articles(s3: Bucket, prefix: str, *names: str) -> None:
    for name in names:
        s3.put(f"{prefix}/{name}", ARTICLE.replace(b"Maluku", f"Maluku {name}".encode()))


def report(s3: Bucket, key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(s3.get(key))
    return data


def state(s3: Bucket, key: str) -> dict[str, dict[str, Any]]:
    lines = s3.get(key).decode("ascii").splitlines()
    return {entry["output"]: entry for entry in map(json.loads, lines)}


# -- a job on S3, resumed --------------------------------------------------------------------


def test_a_job_reads_and_writes_s3_and_a_rerun_skips_what_is_done(
    s3: Bucket, tiny: TinyModels
) -> None:
    put_articles(s3, "berita", "a.txt", "daerah/b.txt", "daerah/c.md", ".tersembunyi.txt")
    s3.put("berita/gambar.jpg", b"\xff\xd8\xff")  # not an article: not matched by the globs
    job = [
        "summarize",
        s3.uri("berita/"),
        *models(tiny),
        "-f",
        "json",
        "-O",
        s3.uri("ringkasan"),
        "--report",
        s3.uri("laporan.json"),
    ]
    done = invoke(*job)
    assert done.exit_code == 0, done.stderr
    assert done.stdout == ""
    assert s3.listing("ringkasan") == [
        ".ringkas-state.jsonl",
        "a.json",
        "daerah/b.json",
        "daerah/c.json",
    ]
    first = report(s3, "laporan.json")
    assert first["counts"] == {"done": 3, "skipped": 0, "failed": 0, "not_started": 0}
    assert [item["source"] for item in first["items"]] == [
        s3.uri("berita/a.txt"),
        s3.uri("berita/daerah/b.txt"),
        s3.uri("berita/daerah/c.md"),
    ]
    assert first["items"][1]["output"] == s3.uri("ringkasan/daerah/b.json")
    result = json.loads(s3.get("ringkasan/daerah/b.json"))
    assert result["source"] == s3.uri("berita/daerah/b.txt") and result["summary"]
    entries = state(s3, "ringkasan/.ringkas-state.jsonl")
    assert sorted(entries) == ["a.json", "daerah/b.json", "daerah/c.json"]

    # A rerun skips all; one output deleted and one input changed are done again.
    assert invoke(*job).exit_code == 0
    assert report(s3, "laporan.json")["counts"]["skipped"] == 3
    s3.delete("ringkasan/a.json")
    put_articles(s3, "berita", "daerah/c.md")  # the same text: still skipped
    s3.put("berita/daerah/b.txt", ARTICLE.replace(b"Maluku", b"Papua"))
    done = invoke(*job)
    assert done.exit_code == 0, done.stderr
    items = report(s3, "laporan.json")["items"]
    assert [item["status"] for item in items] == ["done", "done", "skipped"]
    assert "a.json" in s3.listing("ringkasan")
    again = state(s3, "ringkasan/.ringkas-state.jsonl")
    assert again["daerah/c.json"] == entries["daerah/c.json"]
    assert again["daerah/b.json"]["input_sha256"] != entries["daerah/b.json"]["input_sha256"]


def test_jsonl_to_an_s3_file_and_inputs_from_a_list(
    s3: Bucket, tiny: TinyModels, tmp_path: Path
) -> None:
    put_articles(s3, "berita", "a.txt", "b.txt")
    listed = tmp_path / "daftar.txt"
    listed.write_text(f"{s3.uri('berita/b.txt')}\n{SEED}\n{s3.uri('berita/hilang.txt')}\n")
    done = invoke(
        "translate",
        "--files-from",
        str(listed),
        *("-t", str(tiny.marian), "-f", "jsonl", "-o", s3.uri("out.jsonl")),
    )
    assert done.exit_code == 1  # the missing one
    assert f"ringkas: error: {s3.uri('berita/hilang.txt')}: no such file or folder" in done.stderr
    records = [json.loads(line) for line in s3.get("out.jsonl").decode().splitlines()]
    # What cannot be found comes first, as with local files.
    assert [record["source"] for record in records] == [
        s3.uri("berita/hilang.txt"),
        s3.uri("berita/b.txt"),
        str(SEED),
    ]
    assert "error" in records[0] and records[1]["translation"]


# -- interrupted, then resumed from the state on S3 ----------------------------------------------


def start_job(tiny: TinyModels, *args: str) -> subprocess.Popen[bytes]:
    """`ringkas summarize ARGS` as a real process, in this test's environment (the stand-in's
    endpoint and credentials), SIGINT as a terminal sends it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(NONET), str(REPO / "src")])}
    command = [sys.executable, "-m", "ringkas", "summarize", *args, *models(tiny)]
    # Pinned output lengths make each article take a moment, so signals land mid-job.
    command += ["-f", "json", "--force-output-lengths", "1.0,60"]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for_results(s3: Bucket, prefix: str, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while len([k for k in s3.listing(prefix) if k.endswith(".json")]) < count:
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline, "no results appeared"
        time.sleep(0.1)


def results(s3: Bucket, prefix: str) -> set[str]:
    found = set()
    for key in s3.listing(prefix):
        if key.endswith(".json"):
            assert json.loads(s3.get(f"{prefix}/{key}"))["summary"]  # whole, never cut
            found.add(key)
    return found


ARTICLES = 32  # more than the 2 groups of 8 that may be finished after a Ctrl-C


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_an_interrupted_job_on_s3_resumes_from_its_state_there(
    s3: Bucket, tiny: TinyModels, how: int
) -> None:
    """Ctrl-C saves the state at once; a kill loses at most the entries since the last save
    (those articles are done again). Either way the rerun does only what is not done."""
    put_articles(s3, "berita", *(f"a{i:02}.txt" for i in range(ARTICLES)))
    job = [s3.uri("berita/"), "-O", s3.uri("ringkasan/")]
    process = start_job(tiny, *job, "--report", s3.uri("laporan.json"))
    wait_for_results(s3, "ringkasan", 1, process)
    process.send_signal(how)
    _, stderr = process.communicate(timeout=120)
    written = results(s3, "ringkasan")
    assert 1 <= len(written) < ARTICLES
    logged = state(s3, "ringkasan/.ringkas-state.jsonl") if how == signal.SIGINT else {}
    if how == signal.SIGINT:
        assert process.returncode == 130, stderr.decode()
        # Everything written is in the state, true to the object, and in the report.
        assert set(logged) == written
        counts = report(s3, "laporan.json")["counts"]
        assert report(s3, "laporan.json")["interrupted"] is True
        assert counts["done"] == len(written) and counts["not_started"] == ARTICLES - len(written)
    else:
        assert process.returncode == -signal.SIGKILL
        if ".ringkas-state.jsonl" in s3.listing("ringkasan"):
            logged = state(s3, "ringkasan/.ringkas-state.jsonl")
        assert set(logged) <= written  # the first result's entry was saved at once
    for name, entry in logged.items():
        digest = hashlib.sha256(s3.get(f"ringkasan/{name}")).hexdigest()
        assert entry["output_sha256"] == digest

    done = invoke(
        "summarize", *job, *models(tiny), "-f", "json", "--report", s3.uri("laporan.json")
    )
    assert done.exit_code == 0, done.stderr
    items = report(s3, "laporan.json")["items"]
    skipped = {item["output"] for item in items if item["status"] == "skipped"}
    redone = {item["output"] for item in items if item["status"] == "done"}
    # Exactly the logged ones are skipped; the rest (also any result written after the last
    # save of a killed job) are done again.
    assert skipped == {s3.uri(f"ringkasan/{name}") for name in logged}
    assert len(skipped) + len(redone) == ARTICLES
    assert results(s3, "ringkasan") == {f"a{i:02}.json" for i in range(ARTICLES)}
    assert set(state(s3, "ringkasan/.ringkas-state.jsonl")) == results(s3, "ringkasan")


def test_a_bad_object_among_good_ones_fails_alone(s3: Bucket, tiny: TinyModels) -> None:
    put_articles(s3, "berita", "a.txt", "c.txt")
    s3.put("berita/b.txt", bytes(range(256)) * 8)  # binary
    s3.put("berita/kosong.txt", b"")
    job = ["summarize", s3.uri("berita/"), *models(tiny), "-f", "json", "-O", s3.uri("out/")]
    done = invoke(*job, "--report", s3.uri("laporan.json"))
    assert done.exit_code == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("ringkas: error:")]
    assert [line.split(": ")[2] for line in errors] == [
        s3.uri("berita/b.txt"),
        s3.uri("berita/kosong.txt"),
    ]
    assert s3.listing("out") == [".ringkas-state.jsonl", "a.json", "c.json"]
    data = report(s3, "laporan.json")
    assert data["counts"] == {"done": 2, "skipped": 0, "failed": 2, "not_started": 0}
    failed = {item["source"]: item["error"] for item in data["items"] if item["status"] == "failed"}
    assert set(failed) == {s3.uri("berita/b.txt"), s3.uri("berita/kosong.txt")}
    assert all(failed.values())
    assert sorted(state(s3, "out/.ringkas-state.jsonl")) == ["a.json", "c.json"]

    # The rerun skips the good ones and tries the bad ones again.
    done = invoke(*job, "--report", s3.uri("laporan.json"))
    assert done.exit_code == 1
    counts = report(s3, "laporan.json")["counts"]
    assert counts == {"done": 0, "skipped": 2, "failed": 2, "not_started": 0}


# -- what cannot be read is that input's failure ----------------------------------------------


def test_a_missing_bucket_prefix_or_object_and_a_too_big_one_are_failed_inputs(
    s3: Bucket, tiny: TinyModels, tmp_path: Path
) -> None:
    put_articles(s3, "berita", "a.txt")
    s3.put("berita/besar.txt", b"kata " * 2000)
    out = tmp_path / "out"
    done = invoke(
        "translate",
        "s3://rk-no-such-bucket/berita/",
        s3.uri("kosong/"),
        s3.uri("berita/"),
        "-t",
        str(tiny.marian),
        "--max-size",
        "4KB",
        "-O",
        str(out),
    )
    assert done.exit_code == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("ringkas: error:")]
    assert errors == [
        "ringkas: error: s3://rk-no-such-bucket/berita/: the bucket rk-no-such-bucket does not "
        "exist",
        f"ringkas: error: {s3.uri('kosong/')}: no such file or folder",
        f"ringkas: error: {s3.uri('berita/besar.txt')}: is 10 KB, over the size limit of 4 KB "
        "(raise the limit with --max-size)",
    ]
    assert sorted(path.name for path in out.rglob("*.txt")) == ["a.txt"]


def test_without_pyarrow_a_uri_is_one_line_naming_the_extra(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.fs", None)
    for args in (
        ["s3://rk-bucket-a/berita/"],
        [str(SEED), "-O", "gs://rk-bucket-b/out/"],
        [str(SEED), "--report", "s3://rk-bucket-c/laporan.json"],
    ):
        done = invoke("translate", *args, "-t", str(tiny.marian))
        assert done.exit_code == 2, done.stderr
        line = error_line(done)
        assert "needs pyarrow, which is not installed (pip install 'ringkas[ray]')" in line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["foo://bucket/berita/"], "foo:// is not a filesystem that pyarrow knows"),
        ([str(SEED), "-O", "foo://bucket/out/"], "foo:// is not a filesystem that pyarrow knows"),
        (["s3://[bucket/a.txt"], "not a valid URI"),
        ([str(SEED), "-o", "s3://[bucket/a.txt"], "not a valid URI"),
        (["s3:///a.txt"], "its filesystem cannot be opened (Missing bucket name"),
        (["s3://bucket/a.txt?colour=blue"], "its filesystem cannot be opened (Unexpected query"),
        # hdfs:// on a machine without Hadoop's libraries (or, with them, with nothing
        # listening at that address): the filesystem pyarrow cannot give.
        ([str(SEED), "--report", "hdfs://127.0.0.1:1/laporan.json"], "cannot be opened"),
    ],
)
def test_a_uri_whose_filesystem_cannot_be_had_is_one_line_and_exit_2(
    s3: Bucket, tiny: TinyModels, args: list[str], says: str
) -> None:
    done = invoke("translate", *args, "-t", str(tiny.marian))
    assert done.exit_code == 2, done.stderr
    line = error_line(done)
    uri = next(arg for arg in args if "://" in arg)
    assert line.startswith(f"ringkas: error: {uri}: "), line
    assert says in line
    assert done.stdout == ""  # refused before any work


def test_a_bad_uri_in_a_files_from_list_fails_that_entry_only(
    tiny: TinyModels, tmp_path: Path
) -> None:
    """A list (often written by a program) with a URI that is no URI, or names no
    filesystem pyarrow knows: those entries fail, as a missing file would, and the rest is
    done (exit 1); on the command line the same URI is refused before any work (above)."""
    good = tmp_path / "baik.txt"
    good.write_bytes(ARTICLE)
    listing = tmp_path / "daftar.txt"
    bad = ["s3://[bucket/a.txt", "foo://bucket/berita/", "s3://bucket/a.txt?colour=blue"]
    listing.write_text("\n".join([bad[0], str(good), *bad[1:]]) + "\n", "utf-8")
    out = tmp_path / "out"
    report = tmp_path / "laporan.json"
    done = invoke(
        "translate", "--files-from", str(listing), "-t", str(tiny.marian), "-O", str(out),
        "--report", str(report),
    )  # fmt: skip
    assert done.exit_code == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("ringkas: error:")]
    assert len(errors) == 3, done.stderr
    for uri, line, says in zip(
        bad,
        errors,
        ["not a valid URI", "foo:// is not a filesystem that pyarrow knows", "Unexpected query"],
        strict=True,
    ):
        assert line.startswith(f"ringkas: error: {uri}: ") and says in line, line
    assert "Traceback" not in done.stderr
    assert [path.name for path in out.rglob("*.txt")] == ["baik.txt"]
    items = json.loads(report.read_text("utf-8"))["items"]
    assert sorted(item["status"] for item in items) == ["done", "failed", "failed", "failed"]


# -- the same refusals as on a disk ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["-O", "{berita}/ringkasan"], "is inside the input folder"),
        (["-o", "{berita}/a.txt"], "is also an input"),
        (["-o", "{berita}/hasil.txt"], "would be read as an input on the next run"),
        (["--report", "{berita}/sub/laporan.md"], "would be read as an input on the next run"),
        (["-o", "{bucket}/x.json", "--report", "{bucket}/x.json"], "name the same file"),
        (["-O", "{bucket}/berita/a.txt"], "is a file, not a folder"),
        (["-O", "{bucket}/lama", "-f", "json"], "is a folder, where a result file must go"),
        (["-O", "{bucket}/lama2", "-f", "json"], "is a file, where the output folder needs"),
        (["-O", "{bucket}/lama3", "-f", "json"], "the resume state"),
        (["-O", "s3://rk-no-such-bucket/out/"], "the bucket rk-no-such-bucket does not exist"),
        (["--report", "{bucket}/lama"], "is a folder"),
        (["-O", "{bucket}/out", "--report", "{bucket}/out/a.txt"], "is one of the files written"),
    ],
)
def test_outputs_on_s3_are_refused_where_they_would_be_on_a_disk(
    s3: Bucket, tiny: TinyModels, args: list[str], reason: str
) -> None:
    put_articles(s3, "berita", "a.txt")
    s3.put("lama/a.json/isi.txt", b"a folder where a result must go")
    s3.put("lama2/a", b"a file where a folder must go")
    put_articles(s3, "berita2", "a/b.txt")
    s3.put("lama3/.ringkas-state.jsonl/x", b"a folder where the state goes")
    before = {key: s3.get(key) for key in s3.listing()}
    bucket = s3.uri().rstrip("/")
    named = [arg.format(bucket=bucket, berita=s3.uri("berita").rstrip("/")) for arg in args]
    inputs = [s3.uri("berita2/")] if "lama2" in args[1] else [s3.uri("berita/")]
    done = invoke("translate", *inputs, "-t", str(tiny.marian), *named)
    assert done.exit_code == 2, done.stderr
    assert reason in error_line(done)
    assert {key: s3.get(key) for key in s3.listing()} == before


def test_file_uris_are_local_paths_with_every_local_check(tiny: TinyModels, tmp_path: Path) -> None:
    folder = tmp_path / "berita"
    folder.mkdir()
    (folder / "a.txt").write_bytes(ARTICLE)
    done = invoke(
        "translate", folder.as_uri(), "-t", str(tiny.marian), "-O", (folder / "x").as_uri()
    )
    assert done.exit_code == 2
    assert "is inside the input folder" in error_line(done)
    out = tmp_path / "hasil dan ringkasan"
    done = invoke(
        "translate", folder.as_uri(), "-t", str(tiny.marian), "-O", out.as_uri(), "-f", "json"
    )
    assert done.exit_code == 0, done.stderr
    assert json.loads((out / "a.json").read_text("utf-8"))["source"] == str(folder / "a.txt")


# -- the resume state on an object store ---------------------------------------------------------


def test_the_state_is_saved_whole_at_intervals_and_at_the_end(
    s3: Bucket, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ringkas.outputs import remote
    from ringkas.sources.remote import Uri

    s3.put("out/.ringkas-state.jsonl", b'{"output": "lama.txt"}\n' + b"not json\n")
    folder = remote.RemoteFolder.check(Uri(s3.uri("out/")))
    state = remote.RemoteState(folder)
    monkeypatch.setattr(remote, "SAVE_INTERVAL", 3600.0)
    state.record("a.txt", "s3://x/a.txt", "1" * 64, "settings", b"one")  # due: the first
    saved = state_lines(s3)
    assert [entry["output"] for entry in saved] == ["a.txt"]
    state.record("b.txt", "s3://x/b.txt", "2" * 64, "settings", b"two")  # not due yet
    assert state_lines(s3) == saved
    state.close()
    assert [entry["output"] for entry in state_lines(s3)] == ["a.txt", "b.txt"]

    # A new job on the same folder keeps every entry, and knows which results are current.
    folder.write("a.txt", b"one")
    again = remote.RemoteState(remote.RemoteFolder.check(Uri(s3.uri("out/"))), ["a.txt", "b.txt"])
    assert again.current_input("a.txt", "settings") == "1" * 64
    assert again.current_input("b.txt", "settings") is None  # never written
    assert again.current_input("a.txt", "other settings") is None
    again.record("c.txt", "s3://x/c.txt", "3" * 64, "settings", b"three")
    again.close()
    assert [entry["output"] for entry in state_lines(s3)] == ["a.txt", "b.txt", "c.txt"]


def state_lines(s3: Bucket) -> list[dict[str, Any]]:
    return [json.loads(line) for line in s3.get("out/.ringkas-state.jsonl").splitlines()]
