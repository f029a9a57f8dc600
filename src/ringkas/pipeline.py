"""The chain: clean -> segment -> translate (id->en) -> summarize, with models loaded once."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ringkas.errors import InputError
from ringkas.models.engine import Seq2SeqEngine
from ringkas.models.hub import fetch_model, parse_model_spec
from ringkas.models.registry import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR
from ringkas.models.summarizer import LENGTHS, Summarizer
from ringkas.models.translator import Translator
from ringkas.result import Notice, Result, Sentence, Stats, count_words
from ringkas.text import clean_article, split_sentences
from ringkas.text.clean import CleanedArticle, normalize_whitespace

StageCallback = Callable[[str], None]
ENGINES = ("torch",)
DEVICES = ("cpu", "cuda", "auto")


@dataclass
class Document:
    """An article to process: where it came from and its raw text."""

    source: str
    text: str


@dataclass
class _Prepared:
    document: Document
    cleaned: CleanedArticle
    sentences: list[Sentence]
    seconds: dict[str, float] = field(default_factory=dict)


def load_engine(
    spec: str, *, engine: str = "torch", device: str = "cpu", threads: int | None = None
) -> Seq2SeqEngine:
    """Fetch (if needed) and load a seq2seq model with the chosen engine."""
    model = parse_model_spec(spec)
    folder = fetch_model(model)
    if engine != "torch":
        raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    from ringkas.models.torch_engine import TorchSeq2Seq

    return TorchSeq2Seq(folder, model.label, device=device, threads=threads)


class Pipeline:
    """Loads the translator and summarizer once and runs them over many articles.

    >>> pipe = Pipeline()                        # doctest: +SKIP
    >>> [result] = pipe.summarize(["Teks berita ..."])  # doctest: +SKIP
    """

    def __init__(
        self,
        translator: str | None = None,
        summarizer: str | None = None,
        *,
        engine: str = "torch",
        device: str = "cpu",
        threads: int | None = None,
        length: str = "medium",
        clean: bool = True,
        beam_size: int = 2,
        on_stage: StageCallback | None = None,
    ) -> None:
        if length not in LENGTHS:
            raise ValueError(f"length must be one of {', '.join(LENGTHS)}")
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
        if device not in DEVICES:
            raise ValueError(f"device must be one of {', '.join(DEVICES)}")
        self.translator_name = translator or DEFAULT_TRANSLATOR
        self.summarizer_name = summarizer or DEFAULT_SUMMARIZER
        self.engine = engine
        self.device = device
        self.threads = threads
        self.length = length
        self.clean = clean
        self.beam_size = beam_size
        self.on_stage = on_stage
        self._translator: Translator | None = None
        self._summarizer: Summarizer | None = None
        self._pending_load = 0.0

    # -- models -------------------------------------------------------------------------

    def _stage(self, name: str) -> None:
        if self.on_stage:
            self.on_stage(name)

    def _load(self, spec: str) -> Seq2SeqEngine:
        start = time.perf_counter()
        self._stage(f"loading {spec}")
        model = load_engine(spec, engine=self.engine, device=self.device, threads=self.threads)
        self._pending_load += time.perf_counter() - start
        return model

    @property
    def translator(self) -> Translator:
        """The translator, loaded on first use."""
        if self._translator is None:
            self._translator = Translator(
                self._load(self.translator_name), beam_size=self.beam_size
            )
        return self._translator

    @property
    def summarizer(self) -> Summarizer:
        """The summarizer, loaded on first use."""
        if self._summarizer is None:
            self._summarizer = Summarizer(
                self._load(self.summarizer_name), beam_size=self.beam_size
            )
        return self._summarizer

    def _take_load_seconds(self) -> float:
        seconds, self._pending_load = self._pending_load, 0.0
        return seconds

    # -- stages -------------------------------------------------------------------------

    def prepare(self, document: Document) -> _Prepared:
        """Clean the article and split it into paragraphs and sentences."""
        start = time.perf_counter()
        if not document.text.strip():
            raise InputError(f"{document.source}: the article is empty")
        cleaned = (
            clean_article(document.text)
            if self.clean
            else CleanedArticle(text=normalize_whitespace(document.text))
        )
        sentences: list[Sentence] = []
        paragraphs = [p for p in cleaned.text.split("\n") if p.strip()]
        for number, paragraph in enumerate(paragraphs):
            for sentence in split_sentences(paragraph):
                if sentence.strip():
                    sentences.append(Sentence(len(sentences), number, sentence.strip()))
        if not sentences:
            raise InputError(f"{document.source}: no text left to translate after cleaning")
        return _Prepared(document, cleaned, sentences, {"clean": time.perf_counter() - start})

    def _translate(self, prepared: Sequence[_Prepared]) -> list[Result]:
        """Translate the sentences of several articles in shared batches."""
        translator = self.translator
        everything = [s for p in prepared for s in p.sentences]
        self._stage("translating")
        start = time.perf_counter()
        out = translator.translate([s.source for s in everything])
        elapsed = time.perf_counter() - start
        load = self._take_load_seconds()
        total_tokens = sum(out.input_tokens) or 1
        results = []
        position = 0
        for item in prepared:
            count = len(item.sentences)
            span = slice(position, position + count)
            position += count
            for sentence, text in zip(item.sentences, out.texts[span], strict=True):
                sentence.translation = text
            in_tokens = sum(out.input_tokens[span])
            paragraphs: dict[int, list[str]] = {}
            for sentence in item.sentences:
                paragraphs.setdefault(sentence.paragraph, []).append(sentence.translation)
            translation = "\n\n".join(" ".join(p).strip() for p in paragraphs.values())
            seconds = {"load": load, **item.seconds}
            # Shared batches: each article is charged its share of the translation time.
            seconds["translate"] = elapsed * in_tokens / total_tokens
            load = 0.0
            stats = Stats(
                source_words=count_words(item.cleaned.text),
                source_tokens=in_tokens,
                sentences=count,
                paragraphs=len(paragraphs),
                translation_words=count_words(translation),
                translation_tokens=sum(out.output_tokens[span]),
                seconds=seconds,
            )
            warnings = [
                Notice(
                    "long_sentence",
                    f"sentence {index - span.start + 1} has {out.input_tokens[index]} tokens, "
                    f"more than the translator's limit of {translator.engine.max_input_tokens}; "
                    f"it was translated in {parts} parts",
                )
                for index, parts in sorted(out.parts.items())
                if span.start <= index < span.stop
            ]
            results.append(
                Result(
                    source=item.document.source,
                    translation=translation,
                    summary=None,
                    models={"translator": self.translator_name},
                    settings=self.settings(summary=False),
                    sentences=item.sentences,
                    stats=stats,
                    warnings=warnings,
                    metadata=dict(item.cleaned.metadata),
                    removed=list(item.cleaned.removed),
                )
            )
        return results

    def settings(self, *, summary: bool = True) -> dict[str, Any]:
        """The settings that shaped a result (recorded in it for reproducibility)."""
        data: dict[str, Any] = {"engine": self.engine, "beam_size": self.beam_size}
        data["clean"] = self.clean
        if summary:
            data["length"] = self.length
        return data

    # -- public API ---------------------------------------------------------------------

    def translate(self, documents: Sequence[Document | str]) -> list[Result]:
        """Translate articles (summary left as None)."""
        docs = _as_documents(documents)
        results = self._translate([self.prepare(doc) for doc in docs])
        for result in results:
            _total_seconds(result)
        return results

    def summarize(self, documents: Sequence[Document | str]) -> list[Result]:
        """Translate and summarise articles."""
        results = self.translate(documents)
        summarizer = self.summarizer
        for result in results:
            self._stage("summarizing")
            start = time.perf_counter()
            english = [s.translation for s in result.sentences if s.translation]
            if not english:
                raise InputError(f"{result.source}: the translation came out empty")
            summary = summarizer.summarize(english, self.length)
            result.summary = summary.text
            result.models["summarizer"] = self.summarizer_name
            result.settings = self.settings()
            result.warnings.extend(summary.warnings)
            stats = result.stats
            stats.summary_input_tokens = summary.input_tokens
            stats.summary_words = count_words(summary.text)
            stats.summary_tokens = summary.tokens
            stats.chunks = summary.chunks
            stats.passes = summary.passes
            stats.seconds["load"] += self._take_load_seconds()
            stats.seconds["summarize"] = time.perf_counter() - start
            _total_seconds(result)
        return results

    def __call__(self, documents: Sequence[Document | str]) -> list[Result]:
        return self.summarize(documents)


def _total_seconds(result: Result) -> None:
    seconds = result.stats.seconds
    seconds["total"] = sum(v for k, v in seconds.items() if k != "total")


def _as_documents(items: Sequence[Document | str]) -> list[Document]:
    if isinstance(items, (str, Document)):
        items = [items]
    return [
        item if isinstance(item, Document) else Document(source=f"<text {i + 1}>", text=item)
        for i, item in enumerate(items)
    ]
