"""The two engines behind one interface: conversion, parity, start-up cost, the model store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, SEED, TinyModels
from ringkas.cli import cli
from ringkas.errors import ExitCode
from ringkas.models import store
from ringkas.models.convert import convert_checkpoint
from ringkas.models.ct2_engine import CT2Seq2Seq
from ringkas.models.engine import Decoding
from ringkas.models.hub import parse_model_spec
from ringkas.models.summarizer import Summarizer
from ringkas.models.torch_engine import TorchSeq2Seq
from ringkas.models.translator import Translator
from ringkas.pipeline import Pipeline, load_engine
from ringkas.settings import Settings
from ringkas.text import split_sentences

SENTENCES = [
    "Sekretaris Daerah Provinsi Maluku membuka rapat koordinasi.",
    "Rakor berlangsung selama dua hari di Hotel Santika.",
    "Pemerintah daerah memberikan dukungan berupa pelatihan teknis dan modal usaha.",
]
ENGLISH = [
    "The meeting took place on the fifth floor of a hotel in Ambon on Wednesday.",
    "Officials from the ministry attended the two-day event.",
]


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture(scope="module")
def float32_folders(tiny: TinyModels, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Unquantised conversions, so greedy search can be compared token for token."""
    root = tmp_path_factory.mktemp("ct2-float32")
    folders = {}
    models = (("marian", tiny.marian), ("bart", tiny.bart), ("t5", tiny.t5), ("m2m", tiny.m2m))
    for name, folder in models:
        folders[name] = root / name
        convert_checkpoint(folder, folders[name], quantization="float32", source={"name": name})
    return folders


@pytest.mark.parametrize(
    ("model", "texts", "prefix"),
    [
        ("marian", SENTENCES, ""),
        ("bart", ENGLISH, ""),
        ("t5", ENGLISH, "summarize: "),
        ("m2m", SENTENCES, ""),
    ],
)
def test_engines_give_the_same_greedy_tokens(
    tiny: TinyModels, float32_folders: dict[str, Path], model: str, texts, prefix: str
) -> None:
    reference = TorchSeq2Seq(getattr(tiny, model), model, threads=1)
    fast = CT2Seq2Seq(float32_folders[model], model, compute_type="float32", threads=1)
    for engine in (reference, fast):
        engine.set_languages("id", "en")  # M2M100: __id__ text </s>, decoded after __en__
    inputs = [prefix + text for text in texts]
    assert fast.count_tokens(inputs) == reference.count_tokens(inputs)
    assert fast.task_prefix("summarization") == reference.task_prefix("summarization")
    assert fast.max_input_tokens == reference.max_input_tokens
    decoding = Decoding(beam_size=1, max_new_tokens=40)
    for text in inputs:  # one by one: padding must not enter the comparison
        (want,) = reference.generate([text], decoding)
        (got,) = fast.generate([text], decoding)
        if got.tokens < 39:  # stopped on its own: identical
            assert got == want
        else:  # torch forces </s> as the last of max_new_tokens; ctranslate2 does not
            assert got.text.startswith(want.text[: len(want.text) // 2])


def test_bart_forced_first_token_and_suppressed_tokens_are_recorded(
    float32_folders: dict[str, Path],
) -> None:
    info = json.loads((float32_folders["bart"] / "ringkas.json").read_text())
    assert info["decoder_prefix"] == ["<s>"]
    assert info["generation"]["no_repeat_ngram_size"] == 3
    assert info["generation"]["length_penalty"] == 2.0
    marian = json.loads((float32_folders["marian"] / "ringkas.json").read_text())
    # <pad> is not in CTranslate2's Marian vocabulary, so only <unk> can be suppressed
    assert marian["generation"]["suppress_sequences"] == [["<unk>"]]
    assert marian["tokenizer"] == "marian"


def test_int8_store_conversion_runs(tiny: TinyModels) -> None:
    stored = store.ensure(parse_model_spec(str(tiny.marian)))
    assert stored.info["quantization"] == "int8"
    assert stored.info["source"]["content_hash"]
    engine = CT2Seq2Seq(stored.path, "marian", threads=1)
    assert engine.compute_type.startswith("int8")
    [out] = engine.generate([SENTENCES[0]], Decoding(beam_size=2, max_new_tokens=20))
    assert out.tokens > 0
    # Found again by content, without converting.
    assert store.find(parse_model_spec(str(tiny.marian))) == stored


def test_changed_folder_is_converted_again(tiny: TinyModels, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "marian"
    shutil.copytree(tiny.marian, copy)
    first = store.entry_name(parse_model_spec(str(copy)))
    config = json.loads((copy / "generation_config.json").read_text())
    config["num_beams"] = 5
    (copy / "generation_config.json").write_text(json.dumps(config))
    assert store.entry_name(parse_model_spec(str(copy))) != first


@pytest.mark.parametrize("engine", ["ctranslate2", "torch"])
def test_cli_summarize_with_each_engine(tiny: TinyModels, engine: str) -> None:
    args = ["summarize", str(SEED), "-t", str(tiny.marian), "-s", str(tiny.bart)]
    result = invoke(*args, "--engine", engine, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["settings"]["engine"] == engine
    assert data["summary"]
    assert all(s["translation"] for s in data["sentences"])


def test_compute_types(tiny: TinyModels) -> None:
    args = ["translate", "-", "-t", str(tiny.marian), "-f", "json"]
    as_float = invoke(*args, "--compute-type", "float32", input=SENTENCES[0])
    assert json.loads(as_float.stdout)["settings"]["compute_type"] == "float32"
    torch_int8 = invoke(*args, "--engine", "torch", "--compute-type", "int8", input=SENTENCES[0])
    assert torch_int8.exit_code == 0, torch_int8.stderr
    assert json.loads(torch_int8.stdout)["settings"]["compute_type"] == "int8"
    torch_half = invoke(*args, "--engine", "torch", "--compute-type", "float16", input="x")
    assert torch_half.exit_code == ExitCode.USAGE
    assert "only on a GPU" in torch_half.stderr


def test_fast_is_greedy_and_contradicts_beam(tiny: TinyModels) -> None:
    args = ["translate", "-", "-t", str(tiny.marian), "-f", "json"]
    fast = invoke(*args, "--fast", input=SENTENCES[0])
    assert json.loads(fast.stdout)["settings"]["beam_size"] == 1
    both = invoke(*args, "--fast", "--beam", "4", input=SENTENCES[0])
    assert both.exit_code == ExitCode.USAGE


def test_forced_output_lengths(tiny: TinyModels) -> None:
    args = ["summarize", "-", "-t", str(tiny.marian), "-s", str(tiny.t5), "-f", "json"]
    result = invoke(*args, "--force-output-lengths", "1.0,20", input="\n".join(SENTENCES))
    data = json.loads(result.stdout)
    assert data["stats"]["summary"]["tokens"] == 20
    # Each sentence got exactly as many tokens as it had, although they shared batches.
    assert data["stats"]["translation"]["tokens"] == data["stats"]["source"]["tokens"]


def test_ctranslate2_path_imports_no_torch_or_transformers(tiny: TinyModels) -> None:
    # Nor the summary styles' templates, which a summary without --style does not use.
    for folder in (tiny.marian, tiny.t5):  # converted beforehand, as `models pull` would
        store.ensure(parse_model_spec(str(folder)))
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from ringkas.cli import cli\n"
        f"args = ['summarize', {str(SEED)!r}, '-t', {str(tiny.marian)!r},\n"
        f"        '-s', {str(tiny.t5)!r}, '-f', 'json']\n"
        "result = CliRunner().invoke(cli, args)\n"
        "assert result.exit_code == 0, result.output\n"
        "print([m for m in ('torch', 'transformers', 'ringkas.prompts') if m in sys.modules])\n"
    )
    import os

    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


# -- ringkas models -----------------------------------------------------------------------


def test_models_import_path_list_rm(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RINGKAS_CACHE_DIR", str(tmp_path / "cache"))
    imported = invoke("models", "import", str(tiny.t5))
    assert imported.exit_code == 0, imported.stderr
    name, folder, size = imported.stdout.strip().split("\t")
    assert name == str(tiny.t5.resolve())
    assert Path(folder).is_dir()
    assert "converting" in imported.stderr
    # Sizes in decimal units, as the download line and `ringkas doctor` write them.
    stored = sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())
    number, unit = size.split()
    assert int(number) == round(stored / {"KB": 1e3, "MB": 1e6}[unit])  # 349 KB, not 341
    table = invoke("models", "list").stdout
    assert f"cached, {size}" in table and "not downloaded (~300 MB)" in table

    listed = [json.loads(line) for line in invoke("models", "list", "--json").stdout.splitlines()]
    assert [row["name"] for row in listed[:2]] == [
        "Helsinki-NLP/opus-mt-id-en",
        "sshleifer/distilbart-cnn-12-6",
    ]
    assert not listed[0]["cached"] and listed[0]["license"]
    assert {row["path"] for row in listed} >= {folder}

    assert invoke("models", "path", str(tiny.t5)).stdout.strip() == folder
    removed = invoke("models", "rm", str(tiny.t5))
    assert removed.exit_code == 0 and not Path(folder).exists()
    assert invoke("models", "path", str(tiny.t5)).exit_code == ExitCode.MODEL_UNAVAILABLE
    assert invoke("models", "rm", str(tiny.t5)).exit_code == ExitCode.INPUT_FAILED


def test_models_pull_offline_names_what_is_missing() -> None:
    result = invoke("models", "pull")
    assert result.exit_code == ExitCode.MODEL_UNAVAILABLE
    assert "Helsinki-NLP/opus-mt-id-en@refs/pr/1 is not downloaded" in result.stderr
    assert "ringkas models pull" in result.stderr


def test_first_summarize_converts_by_itself(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RINGKAS_CACHE_DIR", str(tmp_path / "cache"))
    args = ["translate", "-", "-t", str(tiny.marian)]
    first = invoke(*args, input=SENTENCES[0])
    assert first.exit_code == 0 and "converting" in first.stderr
    second = invoke(*args, input=SENTENCES[0])
    assert second.exit_code == 0 and "converting" not in second.stderr
    assert second.stdout == first.stdout


def test_ctranslate2_splits_threads_into_workers(tiny: TinyModels) -> None:
    from ringkas.models.ct2_engine import thread_layout, worker_batch

    # Many batches at once (a translator's sentences): workers side by side.
    assert thread_layout(1, "cpu") == (1, 1)
    assert thread_layout(2, "cpu") == (2, 1)
    assert thread_layout(3, "cpu") == (2, 1)
    assert thread_layout(8, "cpu") == (2, 4)
    assert thread_layout(None, "cuda") == (1, 0)
    # One large batch at a time (a summarizer's articles): every thread on it.
    assert thread_layout(2, "cpu", "serial") == (1, 2)
    assert thread_layout(16, "cpu", "serial") == (1, 16)
    assert thread_layout(None, "cuda", "serial") == (1, 0)
    engine = load_engine(str(tiny.marian), Settings(engine="ctranslate2", threads=2))
    assert engine.translator.num_translators == 2
    # Each worker gets a share; long inputs come in smaller sub-batches (memory).
    assert [worker_batch(engine.translator, [20] * n) for n in (1, 2, 3, 64)] == [1, 1, 2, 32]
    assert worker_batch(engine.translator, [500] * 8) == 2
    assert worker_batch(engine.translator, [1000] * 8) == 1
    # One worker takes everything, within the same memory budget per sub-batch.
    alone = CT2Seq2Seq(engine.folder, "marian", threads=2, batches="serial")
    assert alone.layout == (1, 2) and alone.translator.num_translators == 1
    assert [worker_batch(alone.translator, [20] * n) for n in (1, 2, 3, 64)] == [1, 2, 3, 51]
    assert worker_batch(alone.translator, [500] * 8) == 2
    assert worker_batch(alone.translator, [1000] * 8) == 1


def test_pipeline_lays_out_translator_and_summarizer_by_their_work(tiny: TinyModels) -> None:
    pipe = Pipeline(
        Settings(
            engine="ctranslate2", threads=2, translator=str(tiny.marian), summarizer=str(tiny.bart)
        )
    )
    pipe.load_models()
    assert pipe.translator.engine.layout == (2, 1)
    assert pipe.summarizer.engine.layout == (1, 2)  # type: ignore[union-attr]
    # OpenMP threads sleep while they wait (unless the user chose otherwise).
    assert os.environ.get("OMP_WAIT_POLICY") == "PASSIVE" or "GOMP_SPINCOUNT" in os.environ


@pytest.mark.parametrize(
    ("inputs", "jsonl", "summarizer"),
    [(1, False, (1, 2)), (3, False, (2, 1)), (1, True, (2, 1))],
    ids=["one article", "a folder", "json lines"],
)
def test_a_job_lays_out_the_summarizer_for_its_articles(
    tiny: TinyModels, tmp_path: Path, inputs: int, jsonl: bool, summarizer: tuple[int, int]
) -> None:
    """One article gets every thread on its summary; several (or an unknown number, as in
    JSON Lines) get two workers, an article each. The summaries are the same either way."""
    from ringkas.batch import Job, JobOptions

    text = SEED.read_text("utf-8")
    if jsonl:
        (tmp_path / "a.jsonl").write_text(json.dumps({"id": "a", "text": text}) + "\n", "utf-8")
        paths: tuple[str, ...] = (str(tmp_path / "a.jsonl"),)
    else:
        for n in range(inputs):
            (tmp_path / f"a{n}.txt").write_text(text, "utf-8")
        paths = tuple(str(tmp_path / f"a{n}.txt") for n in range(inputs))
    settings = Settings(
        engine="ctranslate2", threads=2, translator=str(tiny.marian), summarizer=str(tiny.bart)
    )
    pipe = Pipeline(settings)
    options = JobOptions(fmt="json", output=tmp_path / "out.json", quiet=True)
    if jsonl:
        options = replace(options, input_format="jsonl", fmt="jsonl")
    report = Job(pipe, options, say=print, warn=print, error=print).run(paths)
    assert report.exit_code == 0
    assert pipe.summarizer.engine.layout == summarizer  # type: ignore[union-attr]
    assert pipe.translator.engine.layout == (2, 1)
    alone = Pipeline(settings).summarize([text])[0]  # a library call: every thread on it
    lines = (tmp_path / "out.json").read_text("utf-8")
    written = [json.loads(line) for line in lines.splitlines()] if jsonl else json.loads(lines)
    written = written if isinstance(written, list) else [written]
    assert len(written) == inputs
    assert {item["summary"] for item in written} == {alone.summary}


@pytest.mark.parametrize("threads", [2, 4])
def test_thread_layout_keeps_outputs_token_identical(tiny: TinyModels, threads: int) -> None:
    """The layouts chosen since issue 15 (a summarizer: one worker with every thread, its
    sub-batches one after the other) give the same tokens as the layout every model had
    before (two workers splitting the threads and the sub-batches), at the default beam."""
    marian = store.ensure(parse_model_spec(str(tiny.marian))).path
    bart = store.ensure(parse_model_spec(str(tiny.bart))).path
    lines = [line.strip() for line in SEED.read_text("utf-8").splitlines() if line.strip()]
    sentences = [s for line in lines for s in split_sentences(line)]
    # Summaries of several lengths (some chunked and recombined), sharing sub-batches.
    articles = [sentences[i : i + size] for i, size in ((0, 3), (2, 12), (5, 6), (1, 30), (9, 9))]

    def outputs(translator: CT2Seq2Seq, summarizer: CT2Seq2Seq) -> tuple[object, ...]:
        translated = Translator(translator).translate(sentences)
        summaries = Summarizer(summarizer).summarize_many(articles)
        return (
            translated.texts,
            translated.output_tokens,
            [(s.text, s.tokens, s.chunks, s.passes) for s in summaries],
        )

    before = {"threads": threads, "layout": (2, threads // 2)}
    old = outputs(CT2Seq2Seq(marian, "marian", **before), CT2Seq2Seq(bart, "bart", **before))
    translator = CT2Seq2Seq(marian, "marian", threads=threads)
    summarizer = CT2Seq2Seq(bart, "bart", threads=threads, batches="serial")
    assert (translator.layout, summarizer.layout) == ((2, threads // 2), (1, threads))
    new = outputs(translator, summarizer)
    assert len(old[0]) == len(sentences) >= 20
    assert any(passes > 1 for *_, passes in old[2])  # the long article was chunked
    assert new == old
