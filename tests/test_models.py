"""Model naming, loading rules and the engine-level behaviour on tiny checkpoints."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import ringkas
from conftest import SEED, TinyModels
from ringkas.errors import ModelUnavailableError, UsageError
from ringkas.models.hub import fetch_model, offline_mode, parse_model_spec
from ringkas.models.registry import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR
from ringkas.models.summarizer import Summarizer
from ringkas.models.torch_engine import TorchSeq2Seq
from ringkas.pipeline import Pipeline, load_engine
from ringkas.settings import Settings


def test_known_models_are_pinned_to_safetensors_revisions() -> None:
    translator = parse_model_spec(DEFAULT_TRANSLATOR)
    assert (translator.name, translator.revision) == (DEFAULT_TRANSLATOR, "refs/pr/1")
    assert parse_model_spec(DEFAULT_SUMMARIZER).revision == "refs/pr/13"


def test_model_spec_forms(tmp_path: Path) -> None:
    explicit = parse_model_spec("google/flan-t5-small@main")
    assert (explicit.name, explicit.revision, explicit.is_local) == (
        "google/flan-t5-small",
        "main",
        False,
    )
    assert parse_model_spec("someone/model").revision is None
    assert parse_model_spec(str(tmp_path)).folder == tmp_path
    assert parse_model_spec("./models/marian").is_local
    assert parse_model_spec("a/b/c").is_local


def test_offline_switches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE")
    assert not offline_mode()
    monkeypatch.setenv("RINGKAS_OFFLINE", "1")
    assert offline_mode()


def test_hub_model_not_in_cache_offline_names_model_and_fix() -> None:
    with pytest.raises(ModelUnavailableError) as error:
        fetch_model(parse_model_spec(DEFAULT_SUMMARIZER))
    message = error.value.one_line()
    assert "sshleifer/distilbart-cnn-12-6@refs/pr/13" in message
    assert "offline" in message
    assert error.value.exit_code == 3


def test_folder_without_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match=r"no config\.json"):
        fetch_model(parse_model_spec(str(tmp_path)))


@pytest.mark.parametrize("engine", ["ctranslate2", "torch"])
def test_input_limits_come_from_the_checkpoints(tiny: TinyModels, engine: str) -> None:
    settings = Settings(engine=engine, threads=1)
    assert load_engine(str(tiny.marian), settings).max_input_tokens == 256
    assert load_engine(str(tiny.bart), settings).max_input_tokens == 256
    assert load_engine(str(tiny.t5), settings).max_input_tokens == 4096


def test_t5_gets_its_task_prefix_bart_none(tiny: TinyModels) -> None:
    t5 = Summarizer(TorchSeq2Seq(tiny.t5, "t5"))
    assert t5.prefix == "summarize: "
    assert Summarizer(TorchSeq2Seq(tiny.bart, "bart")).prefix == ""


def test_token_counts_include_special_tokens(tiny: TinyModels) -> None:
    bart = TorchSeq2Seq(tiny.bart, "bart")
    empty, word = bart.count_tokens(["", "meeting"])
    assert empty == 2  # <s> and </s>
    assert word > empty


def test_summarizer_reports_input_tokens_and_single_pass(tiny: TinyModels) -> None:
    summarizer = Summarizer(TorchSeq2Seq(tiny.bart, "bart"))
    sentences = ["The meeting took place on the fifth floor of a hotel in Ambon on Wednesday."]
    summary = summarizer.summarize(sentences, "short")
    assert (summary.chunks, summary.passes) == (1, 1)
    assert summary.warnings == [] or [w.code for w in summary.warnings] == ["empty_summary"]
    assert summary.input_tokens == TorchSeq2Seq(tiny.bart, "bart").count_tokens(sentences)[0]


def test_library_api(tiny: TinyModels) -> None:
    text = SEED.read_text(encoding="utf-8")
    settings = {"translator": str(tiny.marian), "summarizer": str(tiny.t5), "threads": 1}
    result = ringkas.summarize(text, **settings)
    assert result.summary
    assert result.models == {"translator": str(tiny.marian), "summarizer": str(tiny.t5)}
    again = ringkas.summarize(text, **settings)
    assert again.stats.seconds["load"] == 0  # the same pipeline, models already loaded
    assert again.summary == result.summary  # deterministic decoding


def test_pipeline_is_callable_on_a_list(tiny: TinyModels) -> None:
    pipe = Pipeline(translator=str(tiny.marian), summarizer=str(tiny.t5), length="short", threads=1)
    results = pipe(["Rapat berlangsung dua hari.", "Gempa M 4,8 terjadi di Garut."])
    assert [r.source for r in results] == ["<text 1>", "<text 2>"]
    assert all(r.summary is not None for r in results)
    assert results[0].sentences[0].translation


def test_pipeline_rejects_unknown_settings() -> None:
    with pytest.raises(UsageError, match="length"):
        Pipeline(length="huge")
    with pytest.raises(TypeError, match="colour"):
        Settings.from_options(colour="red")


def test_articles_share_translation_batches_and_fail_alone(tiny: TinyModels) -> None:
    pipe = Pipeline(translator=str(tiny.marian), summarizer=str(tiny.t5), threads=1)
    engine = pipe.translator.engine
    calls = []
    real_generate = engine.generate_batches

    def counting_generate(batches):
        calls.append([sorted(texts) for texts, _ in batches])
        return real_generate(batches)

    engine.generate_batches = counting_generate  # type: ignore[method-assign]
    articles = ["Rapat berlangsung dua hari.", "   ", "Gempa terjadi di Garut. Warga tenang."]
    outcomes = list(pipe.process(articles, summarize=False))
    assert [type(o).__name__ for _, o in outcomes] == ["Result", "InputError", "Result"]
    # The three sentences of both articles go to the engine at once, in length buckets.
    [call] = calls
    assert sorted(t for batch in call for t in batch) == sorted(
        ["Rapat berlangsung dua hari.", "Gempa terjadi di Garut.", "Warga tenang."]
    )
    assert any(
        "Rapat berlangsung dua hari." in batch and "Gempa terjadi di Garut." in batch
        for batch in call
    )
    first, _, third = (o for _, o in outcomes)
    assert [s.source for s in third.sentences] == ["Gempa terjadi di Garut.", "Warga tenang."]
    assert first.sentences[0].translation and third.sentences[1].translation


def test_m2m100_translator_gets_its_language_codes(tiny: TinyModels) -> None:
    engine = load_engine(str(tiny.m2m), Settings(engine="torch", threads=1))
    pipe = Pipeline(translator=str(tiny.m2m), engine="torch", threads=1)
    [result] = pipe.translate(["Rapat berlangsung dua hari di Ambon."])
    tokenizer = pipe.translator.engine.tokenizer
    assert tokenizer.src_lang == "id"
    assert pipe.translator.engine._forced_bos == tokenizer.get_lang_id("en")
    assert result.sentences[0].translation
    assert "__en__" not in result.translation  # the forced target token is not text
    assert engine.max_input_tokens == 256


def test_m2m100_runs_on_the_default_engine(tiny: TinyModels) -> None:
    """Converted despite transformers 5 no longer listing its language tokens, and read
    with sentencepiece alone (it has no tokenizer.json)."""
    pipe = Pipeline(translator=str(tiny.m2m), threads=1)
    [result] = pipe.translate(["Rapat berlangsung dua hari di Ambon."])
    engine = pipe.translator.engine
    assert engine.engine == "ctranslate2"
    assert engine._source("Rapat")[0] == "__id__"
    assert engine._decoder_prefix == ["__en__"]
    assert result.sentences[0].translation
    assert not re.search(r"__[a-z]{2,3}__", result.translation)  # language tokens aren't text


def test_text_that_fits_the_summarizer_is_never_chunked(tiny: TinyModels) -> None:
    """Right up to the model's input limit the article is summarised in one pass; one
    token more and it is chunked."""
    bart = TorchSeq2Seq(tiny.bart, "bart")
    summarizer = Summarizer(bart, forced_tokens=4)
    words = [f"word{i}." for i in range(400)]
    # The longest prefix of the words that still fits the model in one input.
    fits = max(n for n in range(1, 400) if bart.count_tokens([" ".join(words[:n])])[0] <= 256)
    assert bart.count_tokens([" ".join(words[:fits])])[0] > summarizer.budget  # margin zone
    assert summarizer.summarize(words[:fits]).chunks == 1
    over = summarizer.summarize(words[: fits + 1])
    assert over.chunks > 1 and over.passes > 1


@pytest.mark.parametrize("engine", ["torch", "ctranslate2"])
def test_summaries_made_together_equal_summaries_made_alone(tiny: TinyModels, engine: str) -> None:
    settings = Settings(engine=engine, threads=2, beam_size=1)
    summarizer = Summarizer(load_engine(str(tiny.bart), settings), beam_size=1)
    articles = [
        ["The meeting took place in Ambon on Wednesday.", "Forty people came."],
        [f"Sentence number {i} of a long report about the harbour." for i in range(40)],
        ["An earthquake of magnitude 4.8 shook Garut."],
    ]
    together = summarizer.summarize_many(articles, "short")
    alone = [summarizer.summarize(article, "short") for article in articles]
    assert [s.text for s in together] == [s.text for s in alone]
    assert [(s.chunks, s.passes) for s in together] == [(s.chunks, s.passes) for s in alone]
    assert together[1].chunks > 1  # the long one was chunked, the others were not
    assert together[0].chunks == together[2].chunks == 1


def test_converted_models_load_side_by_side(tiny: TinyModels) -> None:
    from ringkas.models import store

    for folder in (tiny.marian, tiny.bart):
        store.ensure(parse_model_spec(str(folder)))
    pipe = Pipeline(translator=str(tiny.marian), summarizer=str(tiny.bart), threads=1)
    assert pipe._both_converted()
    pipe.load_models()
    [result] = pipe(["Rapat berlangsung dua hari di Ambon."])
    assert result.summary is not None
    assert result.stats.seconds["load"] > 0  # charged once, to the first article


def _convert(*folders: Path) -> None:
    from ringkas.models import store

    for folder in folders:
        store.ensure(parse_model_spec(str(folder)))


def test_the_summarizer_loads_while_the_translation_starts(tiny: TinyModels) -> None:
    """Both converted, no style: load_models returns with the translator loaded and the
    summarizer still on its way (it is joined when the first summary needs it); the
    results are those of a pipeline whose models were loaded one after the other."""
    _convert(tiny.marian, tiny.bart)
    articles = [SEED.read_text("utf-8"), "Rapat berlangsung dua hari di Ambon."]
    options = {"translator": str(tiny.marian), "summarizer": str(tiny.bart), "threads": 2}
    beside = Pipeline(**options)
    beside.load_models()
    assert beside.models.summarizer_loading and beside.models.loaded_engine() is not None
    overlapped = beside(articles)
    assert not beside.models.summarizer_loading
    one_by_one = Pipeline(**options)
    assert one_by_one.translator and one_by_one.summarizer  # loaded in turn, up front
    assert not one_by_one.models.summarizer_loading
    expected = one_by_one(articles)
    assert [r.summary for r in overlapped] == [r.summary for r in expected]
    assert [r.translation for r in overlapped] == [r.translation for r in expected]
    assert overlapped[0].stats.seconds["load"] > 0  # the loading, waits included, charged once
    assert overlapped[1].stats.seconds["load"] == 0
    # A style may be refused: then both load before any work, as before.
    styled = Pipeline(**options, style="brief")
    styled.load_models()
    assert not styled.models.summarizer_loading


def test_a_summarizer_that_fails_to_load_beside_the_translation_stops_the_run(
    tiny: TinyModels, tmp_path: Path
) -> None:
    """The summarizer's load fails while the translator works (a damaged conversion): the
    run stops with the model's one-line error, exit 3, and writes no summary."""
    from click.testing import CliRunner

    from ringkas.cli import cli
    from ringkas.models import store

    bart = tmp_path / "bart"
    shutil.copytree(tiny.bart, bart)
    _convert(tiny.marian, bart)
    stored = store.find(parse_model_spec(str(bart)))
    assert stored is not None
    (stored.path / "model.bin").write_bytes(b"not a model")
    out = tmp_path / "ringkasan"
    args = ["summarize", str(SEED), "-t", str(tiny.marian), "-s", str(bart), "-O", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 3, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("ringkas: error")]
    assert len(lines) == 1 and "could not be loaded by CTranslate2" in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_an_unexpected_fault_loading_the_summarizer_is_the_runs_not_the_articles(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug met while the summarizer loads beside the translation is an internal error of
    the run (exit 70, one line), not a failure charged to each article."""
    from click.testing import CliRunner

    from ringkas.cli import cli
    from ringkas.pipeline.loading import LoadedModels

    _convert(tiny.marian, tiny.bart)

    def broken(self: LoadedModels, model: object) -> None:
        raise RuntimeError("injected fault making the summarizer")

    monkeypatch.setattr(LoadedModels, "_make_summarizer", broken)
    args = ["summarize", str(SEED), str(SEED), "-t", str(tiny.marian), "-s", str(tiny.bart)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 70, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("ringkas: ")]
    assert len(lines) == 1 and "injected fault making the summarizer" in lines[0]
    assert result.stdout == ""
