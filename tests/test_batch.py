"""Batch jobs: the reliability matrix (bad inputs, unsafe outputs, Ctrl-C, kill) and pipes."""

from __future__ import annotations

import json
import os
import select
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from conftest import NONET, REPO, SEED, TinyModels
from ringkas.cli import cli
from ringkas.errors import ExitCode
from ringkas.pipeline import GROUP_SIZE

ARTICLE = SEED.read_text(encoding="utf-8")


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def models(tiny: TinyModels) -> list[str]:
    return ["-t", str(tiny.marian), "-s", str(tiny.t5), "-l", "short"]


def news_folder(root: Path, count: int = 3) -> Path:
    """A folder tree of articles, with things that must be left alone."""
    folder = root / "berita"
    (folder / "2024" / "maret").mkdir(parents=True)
    for i in range(count):
        target = folder / ("2024/maret" if i % 2 else "") / f"artikel-{i}.txt"
        target.write_text(ARTICLE.replace("Maluku", f"Maluku {i}"), encoding="utf-8")
    (folder / "catatan.csv").write_text("a,b\n", encoding="utf-8")
    (folder / ".tersembunyi.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def outputs(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


# -- folders, mirroring, resume ---------------------------------------------------------


def test_output_dir_mirrors_the_input_tree(tiny: TinyModels, tmp_path: Path) -> None:
    folder = news_folder(tmp_path)
    out = tmp_path / "ringkasan"
    result = invoke("summarize", str(folder), *models(tiny), "-O", str(out), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert outputs(out) == [
        ".ringkas-state.jsonl",
        "2024/maret/artikel-1.json",
        "artikel-0.json",
        "artikel-2.json",
    ]
    data = json.loads((out / "2024/maret/artikel-1.json").read_text())
    assert data["source"].endswith("artikel-1.txt") and data["summary"]
    assert "3 done" in result.stderr


def test_rerun_skips_what_is_done_and_redoes_what_changed(tiny: TinyModels, tmp_path: Path) -> None:
    folder = news_folder(tmp_path)
    out = tmp_path / "out"
    args = ["summarize", str(folder), *models(tiny), "-O", str(out), "-f", "json"]
    report = tmp_path / "report.json"
    assert invoke(*args).exit_code == 0
    first = (out / "artikel-0.json").read_bytes()

    again = invoke(*args, "--report", str(report))
    assert again.exit_code == 0
    assert json.loads(report.read_text())["counts"] == {
        "done": 0,
        "skipped": 3,
        "failed": 0,
        "not_started": 0,
    }
    assert (out / "artikel-0.json").read_bytes() == first

    (folder / "artikel-0.txt").write_text(ARTICLE + "\nParagraf baru.", encoding="utf-8")
    (out / "artikel-2.json").write_text("{broken")  # a damaged output is redone too
    invoke(*args, "--report", str(report))
    statuses = {
        Path(i["source"]).name: i["status"] for i in json.loads(report.read_text())["items"]
    }
    assert statuses == {
        "artikel-0.txt": "done",
        "artikel-1.txt": "skipped",
        "artikel-2.txt": "done",
    }
    assert json.loads((out / "artikel-2.json").read_text())["summary"]

    longer = invoke(*args[:-4], "-l", "long", "-O", str(out), "-f", "json", "--report", str(report))
    assert longer.exit_code == 0
    assert json.loads(report.read_text())["counts"]["done"] == 3  # other settings: all redone

    forced = invoke(*args, "-l", "long", "--force", "--report", str(report))
    assert forced.exit_code == 0
    assert json.loads(report.read_text())["counts"]["done"] == 3


def test_glob_and_formats_in_output_dir(tiny: TinyModels, tmp_path: Path) -> None:
    folder = news_folder(tmp_path)
    (folder / "lain.md").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "md"
    result = invoke(
        "summarize", str(folder), *models(tiny), "-O", str(out), "-f", "markdown", "--glob", "*.md"
    )
    assert result.exit_code == 0, result.stderr
    assert outputs(out) == [".ringkas-state.jsonl", "lain.md"]
    assert (out / "lain.md").read_text().startswith("# Summary: ")


# -- refused before any work ---------------------------------------------------------------


def test_output_dir_inside_an_input_is_refused(tiny: TinyModels, tmp_path: Path) -> None:
    folder = news_folder(tmp_path)
    before = outputs(folder)
    result = invoke("summarize", str(folder), *models(tiny), "-O", str(folder / "out"))
    assert result.exit_code == ExitCode.USAGE
    assert "inside the input folder" in result.stderr
    assert outputs(folder) == before


def test_colliding_outputs_are_refused(tiny: TinyModels, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for name in ("a", "b"):
        (tmp_path / name / "berita.txt").write_text(ARTICLE, encoding="utf-8")
    args = [str(tmp_path / "a" / "berita.txt"), str(tmp_path / "b" / "berita.txt")]
    result = invoke("summarize", *args, *models(tiny), "-O", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USAGE
    assert "would both be written to" in result.stderr
    assert not (tmp_path / "out").exists()


def test_usage_errors(tiny: TinyModels, tmp_path: Path) -> None:
    assert invoke("summarize", *models(tiny)).exit_code == ExitCode.USAGE  # no input at all
    both = invoke("summarize", str(SEED), "-o", str(tmp_path / "x.json"), "-O", str(tmp_path))
    assert both.exit_code == ExitCode.USAGE
    jsonl_in = invoke("summarize", "-", "--input-format", "jsonl", "-f", "json", input="{}")
    assert jsonl_in.exit_code == ExitCode.USAGE


# -- bad inputs: each one reported, the rest done -----------------------------------------


def bad_inputs(root: Path) -> dict[str, tuple[Path, str]]:
    """Each bad input and the reason its error line must give."""
    root.mkdir()
    cases = {
        "empty": (root / "kosong.txt", b"", "the article is empty"),
        "blank": (root / "spasi.txt", b"  \n\t\n", "the article is empty"),
        "binary": (root / "gambar.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "binary file (PNG"),
        "big": (root / "besar.txt", ARTICLE.encode() * 10, "over the size limit"),
        "undecodable": (root / "acak.txt", bytes(range(128, 256)) * 8, "--encoding"),
    }
    for path, data, _ in cases.values():
        path.write_bytes(data)
    return {name: (path, reason) for name, (path, _, reason) in cases.items()}


def test_every_bad_input_is_a_clear_error_and_the_rest_is_done(
    tiny: TinyModels, tmp_path: Path
) -> None:
    cases = bad_inputs(tmp_path / "bad")
    good = tmp_path / "bad" / "baik.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    missing = tmp_path / "tidak-ada.txt"
    result = invoke(
        "summarize", str(tmp_path / "bad"), str(missing), *models(tiny),
        "-O", str(tmp_path / "out"), "-f", "json", "--max-size", "10KB",
    )  # fmt: skip
    assert result.exit_code == ExitCode.INPUT_FAILED
    errors = [line for line in result.stderr.splitlines() if line.startswith("ringkas: error")]
    for path, reason in cases.values():
        [line] = [e for e in errors if path.name in e]
        assert reason in line, line
    assert any("tidak-ada.txt: no such file" in e for e in errors)
    assert outputs(tmp_path / "out") == [".ringkas-state.jsonl", "baik.json"]
    assert "1 done, 6 failed" in result.stderr


def test_legacy_and_utf16_encodings_are_read_without_mojibake(
    tiny: TinyModels, tmp_path: Path
) -> None:
    text = "Harga naik Rp 300 juta – kata “Sekda” di Ambon.\nRapat berlangsung dua hari."
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = invoke("translate", str(tmp_path), "-t", str(tiny.marian), "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    encodings = {Path(r["source"]).name: r["metadata"]["encoding"] for r in records}
    assert encodings == {"bom.txt": "utf-8-sig", "cp1252.txt": "cp1252", "utf16.txt": "utf-16"}
    for record in records:
        first = record["sentences"][0]["source"]
        assert "Rp 300 juta" in first and "Sekda" in first and "â€" not in first
    forced = invoke("translate", str(tmp_path / "cp1252.txt"), "-t", str(tiny.marian),
                    "--encoding", "utf-8")  # fmt: skip
    assert forced.exit_code == ExitCode.INPUT_FAILED
    assert "cannot be decoded as utf-8" in forced.stderr


def test_html_page_gives_its_article_and_title(tiny: TinyModels, tmp_path: Path) -> None:
    paragraphs = [line for line in ARTICLE.splitlines() if line.strip()][:3]
    page = tmp_path / "halaman.html"
    page.write_text(
        "<!doctype html><html><head><title>Sekda Maluku Buka Rakor KUMKM</title></head><body>"
        "<nav><a href='/'>Beranda</a> | <a href='/politik'>Politik</a></nav><article>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article><footer>Hak cipta 2023 Redaksi. Kontak iklan.</footer></body></html>",
        encoding="utf-8",
    )
    result = invoke("translate", str(page), "-t", str(tiny.marian), "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["metadata"]["title"] == "Sekda Maluku Buka Rakor KUMKM"
    assert data["metadata"]["format"] == "html"
    joined = " ".join(s["source"] for s in data["sentences"])
    assert "Sadali Ie" in joined and "Beranda" not in joined and "Hak cipta" not in joined


def test_folder_with_an_unreadable_file_a_symlink_loop_and_a_dangling_link(
    tiny: TinyModels, tmp_path: Path
) -> None:
    folder = tmp_path / "berita"
    (folder / "sub").mkdir(parents=True)
    (folder / "baik.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(folder / "pipa.txt")  # unreadable as an article, even for root
    os.symlink(folder, folder / "sub" / "putaran")  # a loop back to the top
    os.symlink(folder / "hilang.txt", folder / "patah.txt")  # dangling
    result = invoke("summarize", str(folder), *models(tiny), "-f", "jsonl")
    assert result.exit_code == ExitCode.INPUT_FAILED
    stderr = result.stderr
    assert "pipa.txt: is not a regular file" in stderr
    assert "symbolic link loop" in stderr
    assert "patah.txt" in stderr
    done = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["source"]).name for r in done if "summary" in r] == ["baik.txt"]


def test_english_input_is_not_translated(tiny: TinyModels) -> None:
    english = (
        "The regional secretary opened a two-day meeting on cooperatives in Ambon on "
        "Wednesday. Officials from the ministry attended the event, which was held at a hotel."
    )
    result = invoke("summarize", "-", *models(tiny), "-f", "json", input=english)
    data = json.loads(result.stdout)
    assert data["language"] == "en"
    assert data["models"]["translator"] is None
    assert [s["translation"] for s in data["sentences"]] == [s["source"] for s in data["sentences"]]
    assert "english_input" in [w["code"] for w in data["warnings"]]
    assert "not translated" in result.stderr


# -- pipes --------------------------------------------------------------------------------


def test_jsonl_in_jsonl_out_keeps_ids_and_reports_bad_lines(tiny: TinyModels) -> None:
    lines = [
        json.dumps({"id": 41, "text": "Gempa M 4,8 terjadi di Garut, Jawa Barat."}),
        "bukan json",
        json.dumps({"id": "b-2", "text": ARTICLE}),
    ]
    result = invoke("summarize", "--input-format", "jsonl", *models(tiny), input="\n".join(lines))
    assert result.exit_code == ExitCode.INPUT_FAILED
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("id") for r in records] == [41, None, "b-2"]
    assert records[0]["summary"] and records[2]["summary"]
    assert records[1]["error"]["code"] == "input_failed"
    assert "stdin:2: not valid JSON" in result.stderr


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{NONET}{os.pathsep}{REPO / 'src'}"}


def test_find_print0_into_files_from(tiny: TinyModels, tmp_path: Path) -> None:
    folder = news_folder(tmp_path)
    python = shlex.quote(sys.executable)
    count = "import json, sys; print(sum(1 for line in sys.stdin if json.loads(line)['summary']))"
    script = (
        f"find {shlex.quote(str(folder))} -name '*.txt' -not -name '.*' -print0 | "
        f"{python} -m ringkas summarize --files-from - -0 -t {shlex.quote(str(tiny.marian))} "
        f"-s {shlex.quote(str(tiny.t5))} --format jsonl | {python} -c {shlex.quote(count)}"
    )
    out = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script], capture_output=True, env=_env(), text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "3"


# -- Ctrl-C and kill ---------------------------------------------------------------------


def _start_job(tiny: TinyModels, folder: Path, out: Path, *extra: str) -> subprocess.Popen:
    args = [
        sys.executable, "-m", "ringkas", "summarize", str(folder),
        "-t", str(tiny.marian), "-s", str(tiny.t5), "-O", str(out), "-f", "json",
        # Pinned output lengths make each article take a moment, so signals land mid-job.
        "--force-output-lengths", "1.0,60", *extra,
    ]  # fmt: skip
    return subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        # A child of a non-interactive parent may inherit SIGINT as ignored: restore it,
        # as a terminal would, so the test means the same on every machine.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for_outputs(out: Path, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while len(list(out.glob("*.json"))) < count:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "the job produced no output in time"
        time.sleep(0.05)


def _valid_outputs(out: Path) -> list[Path]:
    files = sorted(out.glob("*.json"))
    for path in files:
        assert json.loads(path.read_text())["summary"]  # complete, parseable, not truncated
    return files


MANY = 80  # far more than can be done before the signal, even on a busy machine


def test_ctrl_c_stops_cleanly_and_a_rerun_completes(tiny: TinyModels, tmp_path: Path) -> None:
    folder = tmp_path / "banyak"
    folder.mkdir()
    for i in range(MANY):
        (folder / f"a{i:02}.txt").write_text(ARTICLE.replace("Maluku", f"Maluku {i}"), "utf-8")
    out = tmp_path / "out"
    process = _start_job(tiny, folder, out)
    _wait_for_outputs(out, 1, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == ExitCode.INTERRUPTED, stderr.decode()
    assert "interrupted" in stderr.decode()
    assert "not started" in stderr.decode()
    done_first = _valid_outputs(out)
    assert 1 <= len(done_first) < MANY
    # The signal came while the first group's results (made together) were being written:
    # all of that group was written, not just the one being handled.
    assert len(done_first) >= GROUP_SIZE
    assert not list(out.glob(".*.tmp"))

    report = tmp_path / "report.json"
    rerun = _start_job(tiny, folder, out, "--report", str(report))
    _, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr.decode()
    assert len(_valid_outputs(out)) == MANY
    counts = json.loads(report.read_text())["counts"]
    assert counts["skipped"] == len(done_first) and counts["done"] == MANY - len(done_first)


def test_kill_never_leaves_a_partial_output(tiny: TinyModels, tmp_path: Path) -> None:
    folder = tmp_path / "banyak"
    folder.mkdir()
    for i in range(40):
        (folder / f"a{i:02}.txt").write_text(ARTICLE.replace("Maluku", f"Maluku {i}"), "utf-8")
    out = tmp_path / "out"
    process = _start_job(tiny, folder, out)
    _wait_for_outputs(out, 3, process)
    process.kill()
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    _valid_outputs(out)  # every visible output is whole
    rerun = _start_job(tiny, folder, out)
    _, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr.decode()
    assert len(_valid_outputs(out)) == 40
    assert not list(out.glob(".*.tmp"))  # debris of the killed run is cleared


def test_debris_of_a_killed_write_is_cleared(tiny: TinyModels, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    debris = out / ".maluku-kumkm.json.k3j2h1.tmp"  # what write_atomic leaves when killed
    debris.write_text('{"schema_version": 1, "summ')
    result = invoke("summarize", str(SEED), *models(tiny), "-O", str(out), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert not debris.exists()
    assert json.loads((out / "maluku-kumkm.json").read_text())["summary"]


def test_jsonl_stream_answers_each_line_before_the_next_arrives(tiny: TinyModels) -> None:
    """A producer that waits for each answer (a coprocess) is not left waiting for a full
    group of articles."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ringkas", "summarize", "--input-format", "jsonl", *models(tiny)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    answers = []
    for number, text in enumerate([ARTICLE, "Gempa M 4,8 terjadi di Garut, Jawa Barat."]):
        process.stdin.write(json.dumps({"id": number, "text": text}) + "\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], 120)
        assert ready, "no answer while the producer waits for it"
        answers.append(json.loads(process.stdout.readline()))
    process.stdin.close()
    assert process.wait(timeout=60) == 0
    assert [a["id"] for a in answers] == [0, 1]
    assert all(a["summary"] for a in answers)
