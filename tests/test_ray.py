"""Batch jobs on Ray (`--ray`, ringkas.ray), on a real local Ray instance with tiny models.

One Ray instance (2 CPUs, bound to loopback) serves every test here; it is started by the
first test that needs it and stopped at the end of the session. Skipped when Ray Data is not
installed (`pip install 'ringkas[ray]'`).
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

# Ray binds to the loopback interface only (it would otherwise pick this machine's address),
# and writes no login token into the home folder. Set before Ray is imported: it reads both
# when it starts.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_AUTH_MODE", "disabled")
ray = pytest.importorskip("ray", reason="Ray Data is not installed (pip install 'ringkas[ray]')")
pytest.importorskip("ray.data")

from conftest import CORPUS, NONET, REPO, SEED, TinyModels  # noqa: E402
from ringkas.batch import JobOptions  # noqa: E402
from ringkas.cli import cli  # noqa: E402
from ringkas.pipeline import Pipeline  # noqa: E402
from ringkas.settings import Settings  # noqa: E402
from ringkas.sources import discover  # noqa: E402
from s3_server import Bucket  # noqa: E402

ARTICLES = 20


@pytest.fixture(scope="session")
def ray_address(model_store: Path) -> Iterator[str]:
    """A local Ray instance for the session; its address (for drivers in other processes).

    Its processes (and so the actors) get the tests' model store and offline mode."""
    temp = Path(tempfile.mkdtemp(prefix="rk-ray-", dir="/tmp"))  # short: Ray's sockets are here
    home = temp / "home"
    home.mkdir()
    worker_env = {
        "RINGKAS_CACHE_DIR": str(model_store),
        "HF_HUB_OFFLINE": "1",
        "RINGKAS_THREADS": "1",
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "HF_HOME": str(home / "hf"),
    }
    saved = {name: os.environ.get(name) for name in worker_env}
    os.environ.update(worker_env)  # the Ray processes started now inherit them
    try:
        ray.init(
            address="local",
            num_cpus=2,
            include_dashboard=False,
            _temp_dir=str(temp),
            logging_level=logging.ERROR,
            log_to_driver=False,
        )
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()
        shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """~20 real news articles (the shared corpus), or variations of the example article
    when the corpus is not beside the checkout."""
    folder = tmp_path / "berita"
    (folder / "daerah").mkdir(parents=True)
    if CORPUS.is_dir():
        sources = sorted((CORPUS / "articles").glob("*.txt"))[:ARTICLES]
        texts = [(path.name, path.read_text(encoding="utf-8")) for path in sources]
    else:
        seed = SEED.read_text(encoding="utf-8")
        texts = [(f"artikel-{i:02d}.txt", seed.replace("Maluku", f"Maluku {i}")) for i in range(20)]
    for number, (name, text) in enumerate(texts):
        # Some below a subfolder: the output folder mirrors the tree.
        (folder / ("daerah" if number % 3 == 0 else "") / name).write_text(text, "utf-8")
    return folder


def copies(articles: Path, count: int) -> int:
    """More work for tests that interrupt a job half-way (tiny models are quick): the
    articles again in ``count - 1`` more subfolders; returns the number of inputs."""
    originals = sorted(articles.rglob("*.txt"))
    for number in range(1, count):
        for path in originals:
            target = articles / f"salinan-{number}" / path.relative_to(articles)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    return len(originals) * count


def models(tiny: TinyModels) -> list[str]:
    return ["-t", str(tiny.marian), "-s", str(tiny.bart), "-l", "short"]


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def without_timings(record: dict[str, Any]) -> dict[str, Any]:
    record = json.loads(json.dumps(record))
    record.get("stats", {}).pop("seconds", None)
    return record


def folder_outputs(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        str(path.relative_to(folder)): without_timings(json.loads(path.read_text("utf-8")))
        for path in sorted(folder.rglob("*.json"))
    }


def state_entries(folder: Path) -> dict[str, dict[str, Any]]:
    entries = {}
    for line in (folder / ".ringkas-state.jsonl").read_text("utf-8").splitlines():
        entry = json.loads(line)
        entries[entry["output"]] = entry
    return entries


def report_items(path: Path, out: Path) -> list[dict[str, Any]]:
    """The report's items, output paths relative to the output folder, no timings."""
    items = json.loads(path.read_text("utf-8"))["items"]
    for item in items:
        item.pop("seconds")
        if item["output"]:
            item["output"] = str(Path(item["output"]).relative_to(out.resolve()))
    return items


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the same job ----------------------------------------------------------------------------


def test_ray_run_equals_a_local_folder_run(
    ray_address: str, tiny: TinyModels, articles: Path, tmp_path: Path
) -> None:
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    common = [str(articles), *models(tiny), "-f", "json"]
    done = invoke("summarize", *common, "-O", str(local), "--report", str(tmp_path / "l.json"))
    assert done.exit_code == 0, done.stderr
    done = invoke(
        "summarize", *common, "-O", str(on_ray), "--report", str(tmp_path / "r.json"), "--ray"
    )
    assert done.exit_code == 0, done.stderr
    assert done.stdout == ""

    expected = folder_outputs(local)
    assert len(expected) == ARTICLES
    assert folder_outputs(on_ray) == expected  # every field but the timings

    # The resume state: the same inputs, settings and files (whose hashes differ only
    # because the JSON holds timings), each entry true to the file it names.
    local_state, ray_state = state_entries(local), state_entries(on_ray)
    assert ray_state.keys() == local_state.keys()
    for name, entry in ray_state.items():
        assert entry["output_sha256"] == sha256(on_ray / name)
        mine = {k: v for k, v in entry.items() if k != "output_sha256"}
        assert mine == {k: v for k, v in local_state[name].items() if k != "output_sha256"}

    # The report: the same items in the same (input) order, and the same settings.
    assert report_items(tmp_path / "r.json", on_ray) == report_items(tmp_path / "l.json", local)
    local_report = json.loads((tmp_path / "l.json").read_text("utf-8"))
    ray_report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert ray_report["settings"] == local_report["settings"]
    assert ray_report["counts"] == {"done": ARTICLES, "skipped": 0, "failed": 0, "not_started": 0}


@pytest.mark.parametrize(("count", "sizes"), [(20, [8, 8, 4]), (16, [8, 8]), (3, [3])])
def test_the_actors_batches_are_the_groups_of_a_local_run(
    ray_address: str, count: int, sizes: list[int]
) -> None:
    """The articles that share translation batches must be those a local run groups (the
    first 8 inputs, the next 8...), or padding moves near ties of int8 results and a Ray
    run's summaries differ from a local run's. Batched here as the actor pool batches."""
    from ringkas.ray import batched

    # Files' bytes, and text rows (a link's, a JSON line's) where a whole block has no bytes.
    rows = [
        {"position": n, "source": f"{n}.txt", "data": b"x" * n}
        if n < 8
        else {"position": n, "source": f"{n}", "text": "teks", "metadata": "{}"}
        for n in range(count)
    ]
    with warnings.catch_warnings():  # Ray Data's own DeprecationWarnings about its settings
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset = batched(rows, 8)
        blocks = [  # whole blocks, as the actor pool's bundles take them
            block["position"].to_pylist()
            for block in dataset.iter_batches(batch_size=None, batch_format="pyarrow")
        ]
    assert [len(block) for block in blocks] == sizes
    assert [n for block in blocks for n in block] == list(range(count))


def test_actors_get_two_cpus_each_unless_asked_or_the_nodes_have_fewer(
    ray_address: str,
) -> None:
    from ringkas.ray import RayOptions, sized

    # The local instance has one node of 2 CPUs.
    assert (sized(RayOptions()).cpus, sized(RayOptions()).actors) == (2, 1)
    assert (sized(RayOptions(cpus=1)).cpus, sized(RayOptions(cpus=1)).actors) == (1, 2)
    assert (sized(RayOptions(actors=2)).cpus, sized(RayOptions(actors=2)).actors) == (1, 2)
    assert sized(RayOptions(actors=1)).cpus == 2
    assert sized(RayOptions(cpus=0.5)).actors == 4
    assert sized(RayOptions(gpus=1)).cpus == 1


def test_a_ray_run_from_and_to_s3_equals_a_local_folder_run_and_resumes(
    ray_address: str, tiny: TinyModels, articles: Path, tmp_path: Path, s3: Bucket
) -> None:
    """Inputs, outputs, state and report on an S3-compatible server (tests/s3_server.py)."""
    s3.put_folder(articles, "berita")
    local = tmp_path / "local"
    common = [*models(tiny), "-f", "json"]
    done = invoke(
        "summarize", str(articles), *common, "-O", str(local), "--report", str(tmp_path / "l.json")
    )
    assert done.exit_code == 0, done.stderr
    on_s3 = [s3.uri("berita/"), *common, "-O", s3.uri("ringkasan/")]
    done = invoke("summarize", *on_s3, "--report", s3.uri("laporan.json"), "--ray")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == ""

    # Where the local run names a file, the S3 run names its object.
    def as_local(text: str) -> str:
        text = text.replace(s3.uri("berita/"), f"{articles}/")
        return text.replace(s3.uri("ringkasan/"), f"{local.resolve()}/")

    def s3_json(key: str) -> Any:
        return json.loads(as_local(s3.get(key).decode("utf-8")))

    names = [key for key in s3.listing("ringkasan") if key.endswith(".json")]
    expected = folder_outputs(local)
    assert len(expected) == ARTICLES
    assert {key: without_timings(s3_json(f"ringkasan/{key}")) for key in names} == expected

    # The resume state: the entries of a local run (the output hashes differ only by the
    # timings in the JSON), each true to the object it names.
    lines = as_local(s3.get("ringkasan/.ringkas-state.jsonl").decode("ascii")).splitlines()
    remote_state = {entry["output"]: entry for entry in map(json.loads, lines)}
    local_state = state_entries(local)
    assert remote_state.keys() == local_state.keys()
    for name, entry in remote_state.items():
        digest = hashlib.sha256(s3.get(f"ringkasan/{name}")).hexdigest()
        assert entry.pop("output_sha256") == digest
        assert entry == {k: v for k, v in local_state[name].items() if k != "output_sha256"}

    # The report: the same items and settings.
    (tmp_path / "r.json").write_text(as_local(s3.get("laporan.json").decode("utf-8")), "utf-8")
    assert report_items(tmp_path / "r.json", local) == report_items(tmp_path / "l.json", local)
    assert (
        s3_json("laporan.json")["settings"]
        == json.loads((tmp_path / "l.json").read_text("utf-8"))["settings"]
    )

    # Resumed locally, all is skipped; two outputs deleted, only they are redone on Ray.
    done = invoke("summarize", *on_s3, "--report", s3.uri("laporan.json"))
    assert done.exit_code == 0, done.stderr
    assert s3_json("laporan.json")["counts"]["skipped"] == ARTICLES
    lost = names[:2]
    for name in lost:
        s3.delete(f"ringkasan/{name}")
    done = invoke("summarize", *on_s3, "--report", s3.uri("laporan.json"), "--ray")
    assert done.exit_code == 0, done.stderr
    items = json.loads(s3.get("laporan.json"))["items"]
    redone = [item["output"] for item in items if item["status"] == "done"]
    assert sorted(redone) == [s3.uri(f"ringkasan/{name}") for name in sorted(lost)]
    assert sum(item["status"] == "skipped" for item in items) == ARTICLES - 2
    assert set(lost) <= set(s3.listing("ringkasan"))


def test_a_bad_file_is_a_failed_record_and_jsonl_keeps_input_order(
    ray_address: str, tiny: TinyModels, articles: Path, tmp_path: Path
) -> None:
    (articles / "kosong.txt").write_text("  \n\n", encoding="utf-8")  # decoded by an actor
    (articles / "biner.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    expected_failures = {"kosong.txt", "biner.txt"}
    common = ["summarize", str(articles), *models(tiny), "-f", "jsonl"]

    local = invoke(*common, "-o", str(tmp_path / "local.jsonl"))
    on_ray = invoke(*common, "-o", str(tmp_path / "ray.jsonl"), "--ray", "--ray-actors", "2")
    assert local.exit_code == on_ray.exit_code == 1, on_ray.stderr

    def records(name: str) -> list[dict[str, Any]]:
        lines = (tmp_path / name).read_text("utf-8").splitlines()
        return [without_timings(json.loads(line)) for line in lines]

    expected = records("local.jsonl")
    assert records("ray.jsonl") == expected  # the same records, in the same order
    failed = [record for record in expected if "error" in record]
    assert {Path(record["source"]).name for record in failed} == expected_failures
    assert len(expected) == ARTICLES + 2
    for name in expected_failures:
        assert f"{name}:" in on_ray.stderr
    assert "failed" in on_ray.stderr


def test_translate_on_ray_and_a_missing_model_stops_the_job(
    ray_address: str, tiny: TinyModels, articles: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "tiga"
    folder.mkdir()
    for path in sorted(articles.glob("*.txt"))[:3]:
        shutil.copy(path, folder / path.name)
    options = ["-t", str(tiny.marian), "-f", "jsonl"]
    local = invoke("translate", str(folder), *options)
    on_ray = invoke("translate", str(folder), *options, "--ray")
    assert local.exit_code == on_ray.exit_code == 0, on_ray.stderr

    def records(output: str) -> list[dict[str, Any]]:
        return [without_timings(json.loads(line)) for line in output.splitlines()]

    expected = records(local.stdout)
    assert records(on_ray.stdout) == expected
    assert len(expected) == 3 and all("summary" not in record for record in expected)

    # A model an actor cannot load stops the whole job, as locally: exit 3, one line.
    missing = tmp_path / "no-such-model"
    article = str(sorted(folder.glob("*.txt"))[0])
    done = invoke("summarize", article, "-t", str(missing), "-s", str(tiny.bart), "--ray")
    assert done.exit_code == 3, done.stderr
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("ringkas: error: ") and str(missing) in line


# -- killed, interrupted, resumed ----------------------------------------------------------


def _driver(address: str, temp: Path, *args: str) -> subprocess.Popen[bytes]:
    """`ringkas summarize ... --ray ADDRESS` as a real process (SIGINT as a terminal sends
    it: a background process may inherit it ignored); its temporary files (the log of Ray's
    messages, left behind when it is killed) go to ``temp``."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(NONET), str(REPO / "src")]),
        "TMPDIR": str(temp),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "ringkas", "summarize", *args, "--ray", address],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for(out: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300
    while len(list(out.rglob("*.txt"))) < count:
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline, "no outputs appeared"
        time.sleep(0.05)


def test_a_killed_ray_job_resumes_locally_and_back_on_ray(
    ray_address: str, tiny: TinyModels, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    total = copies(articles, 3)
    # One actor: outputs come a batch (8) at a time, so the kill lands half-way.
    process = _driver(
        ray_address, tmp_path, str(articles), *models(tiny), "-O", str(out), "--ray-actors", "1"
    )
    _wait_for(out, 3, process)
    process.kill()
    process.wait(timeout=60)
    written = sorted(out.rglob("*.txt"))
    assert 3 <= len(written) < total

    # Resumed by a local run: what the Ray job finished is skipped, the rest is done.
    report = tmp_path / "local.json"
    done = invoke(
        "summarize", str(articles), *models(tiny), "-O", str(out), "--report", str(report)
    )
    assert done.exit_code == 0, done.stderr
    counts = json.loads(report.read_text("utf-8"))["counts"]
    assert counts["skipped"] >= len(written)
    assert counts["skipped"] + counts["done"] == total
    assert len(list(out.rglob("*.txt"))) == total

    # Two outputs lost: resumed on Ray, only they are redone.
    lost = sorted(out.rglob("*.txt"))[:2]
    for path in lost:
        path.unlink()
    report = tmp_path / "ray.json"
    done = invoke(
        "summarize", str(articles), *models(tiny), "-O", str(out), "--report", str(report), "--ray"
    )
    assert done.exit_code == 0, done.stderr
    items = json.loads(report.read_text("utf-8"))["items"]
    redone = sorted(Path(item["output"]).name for item in items if item["status"] == "done")
    assert redone == sorted(path.name for path in lost)
    assert sum(item["status"] == "skipped" for item in items) == total - 2
    assert all(path.exists() for path in lost)


def test_ctrl_c_cancels_the_ray_job_and_keeps_what_was_written(
    ray_address: str, tiny: TinyModels, articles: Path, tmp_path: Path
) -> None:
    out, report = tmp_path / "out", tmp_path / "report.json"
    total = copies(articles, 5)
    process = _driver(
        ray_address,
        tmp_path,
        str(articles),
        *models(tiny),
        "-O",
        str(out),
        "--report",
        str(report),
        "--ray-actors",
        "1",
    )
    _wait_for(out, 1, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr.decode()
    lines = stderr.decode().splitlines()
    assert lines and all(line.startswith("ringkas: ") for line in lines), lines  # no Ray noise
    data = json.loads(report.read_text("utf-8"))
    assert data["interrupted"] is True
    counts = data["counts"]
    assert counts["done"] >= 1 and counts["not_started"] >= 1
    assert counts["done"] + counts["not_started"] == total
    # Every result it reported is there and complete, and logged for resume.
    state = state_entries(out)
    for item in data["items"]:
        if item["status"] == "done":
            path = Path(item["output"])
            assert sha256(path) == state[str(path.relative_to(out.resolve()))]["output_sha256"]


def _pool_actors() -> list[Any]:
    """The actors of the running job's pool, as the driver holds them."""
    with warnings.catch_warnings():  # looking at every object touches deprecated ones
        warnings.simplefilter("ignore")
        objects = gc.get_objects()
        return [
            handle
            for handle in objects
            if isinstance(handle, ray.actor.ActorHandle) and "Worker" in repr(handle)
        ]


def test_actors_killed_mid_run_are_replaced_and_every_input_is_accounted_for(
    ray_address: str, tiny: TinyModels, articles: Path, tmp_path: Path
) -> None:
    from ringkas.ray import RayJob, RayOptions

    out = tmp_path / "out"
    notices: list[str] = []
    settings = Settings(translator=str(tiny.marian), summarizer=str(tiny.bart), length="short")
    job = RayJob(
        Pipeline(settings),
        JobOptions(output_dir=out, quiet=True),
        say=lambda message: None,
        warn=notices.append,
        error=lambda message: None,
        ray_options=RayOptions(actors=2, batch_size=1),  # 20 batches: most are left
    )
    reports: list[Any] = []
    # A daemon: should an assertion below fail mid-job, the test session still ends.
    runner = threading.Thread(target=lambda: reports.append(job.run((str(articles),))), daemon=True)
    runner.start()
    deadline = time.monotonic() + 300
    victims: list[Any] = []
    while not victims:  # the first output is written, and the pool's actors are found
        assert runner.is_alive() and time.monotonic() < deadline, (reports, notices)
        time.sleep(0.05)
        if list(out.rglob("*.txt")):
            victims = _pool_actors()
    # Every actor, for good (no restart): the batches they held and those not yet given out
    # are lost with the pool (a single idle actor's death may go unnoticed, as it should).
    for victim in victims:
        ray.kill(victim)
    written = len(list(out.rglob("*.txt")))
    runner.join(timeout=300)
    assert not runner.is_alive()

    (report,) = reports
    seen = (report.counts(), written, len(victims), notices)  # what a failure shows
    assert report.counts() == {"done": ARTICLES, "skipped": 0, "failed": 0, "not_started": 0}, seen
    assert report.exit_code == 0
    items, _ = discover((str(articles),))
    assert [record.source for record in report.records] == [item.source for item in items]
    assert written < ARTICLES, seen
    assert len(list(out.rglob("*.txt"))) == ARTICLES
    assert any("new actors" in notice for notice in notices), seen
    assert len(state_entries(out)) == ARTICLES


# -- the library -------------------------------------------------------------------------------


def test_summarize_dataset_gives_rows_of_the_json_schema(
    ray_address: str, tiny: TinyModels
) -> None:
    from ringkas.ray import summarize_dataset

    article = SEED.read_text(encoding="utf-8")
    rows = [{"id": 7, "text": article}, {"id": 8, "text": "   "}, {"id": 9, "text": article}]
    dataset = ray.data.from_items(rows)
    out = summarize_dataset(
        dataset, translator=str(tiny.marian), summarizer=str(tiny.bart), length="short"
    ).take_all()
    by_id = {row["id"]: row for row in out}
    assert sorted(by_id) == [7, 8, 9]
    for key in (7, 9):
        row = by_id[key]
        assert row["schema_version"] == 1
        assert isinstance(row["summary"], str)
        assert row["translation"]
        assert row["models"]["summarizer"] == str(tiny.bart)
        assert row["error"] is None
    assert by_id[8]["error"]["code"] == "input_failed"
    assert "empty" in by_id[8]["error"]["message"]
    assert by_id[8]["summary"] is None
    # The same article, the same summary as a local run.
    local = Pipeline(
        translator=str(tiny.marian), summarizer=str(tiny.bart), length="short"
    ).summarize([article])
    assert by_id[7]["summary"] == local[0].summary
