"""The chain: clean -> segment -> translate (id->en) -> summarize -> check, over many articles.

Articles are worked on in groups: their sentences share translation batches and their
summaries are made side by side; a bad article costs only itself.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ringkas.check import check_summary
from ringkas.errors import InputError, RingkasError, internal_failure
from ringkas.models.styled import StyledSummarizer, StyledSummary
from ringkas.models.summarizer import Summarizer, Summary
from ringkas.models.translator import Translator
from ringkas.pipeline.document import Document, Flush, Prepared, as_document, prepare_article
from ringkas.pipeline.loading import LoadedModels, StageCallback
from ringkas.result import Notice, Result, Stats, count_words
from ringkas.settings import Settings

# Articles whose sentences are translated together: enough to fill batches with short news
# items, few enough that a Ctrl-C or a failure never costs much.
GROUP_SIZE = 8


class Pipeline:
    """Loads the translator and summarizer once and runs them over many articles.

    Settings come as a :class:`~ringkas.settings.Settings` or as its fields by keyword:

    >>> pipe = Pipeline(length="short")                  # doctest: +SKIP
    >>> [result] = pipe.summarize(["Teks berita ..."])  # doctest: +SKIP
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        on_stage: StageCallback | None = None,
        report: StageCallback | None = None,
        **options: Any,
    ) -> None:
        base = settings or Settings()
        self.config = base.with_options(**options) if options else base
        self.on_stage = on_stage
        self.report = report
        self.models = LoadedModels(self.config, stage=self._stage, report=self._report)

    # -- models -------------------------------------------------------------------------

    def _stage(self, name: str) -> None:
        if self.on_stage:
            self.on_stage(name)

    def _report(self, message: str) -> None:
        if self.report:
            self.report(message)

    @property
    def translator(self) -> Translator:
        """The translator, loaded on first use."""
        return self.models.translator

    @property
    def summarizer(self) -> Summarizer | StyledSummarizer:
        """The summarizer, loaded on first use: a seq2seq model's own summary, or a style
        written by an instruction model."""
        return self.models.summarizer

    @property
    def style_mode(self) -> str | None:
        """How the summarizer writes: native, prompt or chat (None until it is loaded)."""
        return self.models.style_mode

    def expect_articles(self, count: int | None) -> None:
        """Say how many articles are coming (None: an unknown number, e.g. JSON Lines), before
        the summarizer is loaded. CTranslate2's threads are laid out for it: one article gets
        every thread (its encoder pass and each decoding step shared by the cores); several
        get two workers, each summarising an article of its own, which on 2 cores did a
        folder's summaries in 0.77x the time (benchmarks/speed.py). The tokens are the same."""
        self.models.summaries = "serial" if count is not None and count <= 1 else "parallel"

    def load_models(self) -> None:
        """Load both models now, so that a missing model or a refused style stops a run
        before any work, naming every model that is missing."""
        self.models.load_all()

    def _both_converted(self) -> bool:
        return self.models.both_converted()

    # -- stages -------------------------------------------------------------------------

    def prepare(self, document: Document) -> Prepared:
        """Clean the article and split it into paragraphs and sentences."""
        return prepare_article(document, clean=self.config.clean)

    def _translate(self, prepared: Sequence[Prepared]) -> list[Result]:
        """Translate the sentences of several articles in shared batches; English articles
        pass through untranslated."""
        todo = [item for item in prepared if item.language != "en"]
        if not todo:
            return [self._untranslated(item) for item in prepared]
        translator = self.translator
        everything = [s for item in todo for s in item.sentences]
        self._stage("translating")
        start = time.perf_counter()
        out = translator.translate([s.source for s in everything])
        elapsed = time.perf_counter() - start
        load = self.models.take_load_seconds()
        total_tokens = sum(out.input_tokens) or 1
        translated: dict[int, Result] = {}
        position = 0
        for item in todo:
            span = slice(position, position + len(item.sentences))
            position = span.stop
            for sentence, text in zip(item.sentences, out.texts[span], strict=True):
                sentence.translation = text
            in_tokens = sum(out.input_tokens[span])
            # Shared batches: each article is charged its share of the translation time.
            seconds = {
                "load": load,
                **item.seconds,
                "translate": elapsed * in_tokens / total_tokens,
            }
            load = 0.0
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
            result = self._result(item, in_tokens, sum(out.output_tokens[span]), seconds)
            result.warnings += warnings
            result.models["translator"] = self.config.translator
            translated[id(item)] = result
        return [translated.get(id(item)) or self._untranslated(item) for item in prepared]

    def _untranslated(self, item: Prepared) -> Result:
        """An English article (or a check without translation): the text stands as it is."""
        for sentence in item.sentences:
            sentence.translation = sentence.source if item.language == "en" else ""
        return self._result(item, 0, 0, {"load": self.models.take_load_seconds(), **item.seconds})

    def _result(
        self, item: Prepared, in_tokens: int, out_tokens: int, seconds: dict[str, float]
    ) -> Result:
        paragraphs: dict[int, list[str]] = {}
        for sentence in item.sentences:
            paragraphs.setdefault(sentence.paragraph, []).append(sentence.translation)
        translation = "\n\n".join(" ".join(p).strip() for p in paragraphs.values()).strip()
        stats = Stats(
            source_words=count_words(item.cleaned.text),
            source_tokens=in_tokens,
            sentences=len(item.sentences),
            paragraphs=len(paragraphs),
            translation_words=count_words(translation),
            translation_tokens=out_tokens,
            seconds=seconds,
        )
        return Result(
            source=item.document.source,
            translation=translation,
            summary=None,
            models={"translator": None},
            settings=self.settings(summary=False),
            sentences=item.sentences,
            stats=stats,
            warnings=list(item.warnings),
            metadata={**item.document.metadata, **item.cleaned.metadata},
            removed=list(item.cleaned.removed),
            language=item.language,
        )

    def settings(self, *, summary: bool = True) -> dict[str, Any]:
        """The settings that shaped a result (recorded in it for reproducibility)."""
        config = self.config
        # What the engine actually chose (e.g. "auto" resolved), from any model loaded.
        loaded = self.models.loaded_engine()
        data: dict[str, Any] = {
            "engine": config.engine,
            "device": loaded.device if loaded else config.device,
            "compute_type": loaded.compute_type if loaded else config.compute_type,
            "beam_size": config.beam_size,
            "clean": config.clean,
        }
        if summary:
            data["length"] = config.length
            if self.style_mode is not None:
                data["style_mode"] = self.style_mode
        return data

    def _summarize(self, results: Sequence[Result]) -> list[Result | InputError]:
        """Add summaries to already translated articles; a seq2seq summarizer makes them in
        shared batches, and each article is charged its share of the time."""
        summarizer = self.summarizer
        self._stage("summarizing")
        outcomes: list[Result | InputError] = []
        todo: list[tuple[Result, list[str]]] = []
        for result in results:
            english = [s.translation for s in result.sentences if s.translation]
            if english:
                todo.append((result, english))
                outcomes.append(result)
            else:
                outcomes.append(InputError(f"{result.source}: the translation came out empty"))
        summaries: list[Summary | StyledSummary] = []
        seconds: list[float] = []
        if isinstance(summarizer, StyledSummarizer):
            for result, english in todo:
                start = time.perf_counter()
                styled = summarizer.summarize(english)
                result.style = summarizer.template.name
                result.bullets, result.fields = styled.bullets, styled.fields
                summaries.append(styled)
                seconds.append(time.perf_counter() - start)
        elif todo:
            start = time.perf_counter()
            made = summarizer.summarize_many([english for _, english in todo], self.config.length)
            elapsed = time.perf_counter() - start
            total = sum(summary.input_tokens for summary in made) or 1
            summaries.extend(made)
            seconds.extend(elapsed * summary.input_tokens / total for summary in made)
            for result, _ in todo:
                result.style = self.config.style and "brief"
        load = self.models.take_load_seconds()
        for (result, _), summary, elapsed in zip(todo, summaries, seconds, strict=True):
            result.summary = summary.text
            result.models["summarizer"] = self.config.summarizer
            result.settings = self.settings()
            result.warnings.extend(summary.warnings)
            stats = result.stats
            stats.summary_input_tokens = summary.input_tokens
            stats.summary_words = count_words(summary.text)
            stats.summary_tokens = summary.tokens
            stats.chunks = summary.chunks
            stats.passes = summary.passes
            stats.seconds["load"] += load
            load = 0.0
            stats.seconds["summarize"] = elapsed
            start = time.perf_counter()
            result.checks = check_summary(
                summary.text,
                [s.source for s in result.sentences],
                [s.translation for s in result.sentences],
                context=article_context(result.metadata),
            )
            stats.seconds["check"] = time.perf_counter() - start
        return outcomes

    # -- public API ---------------------------------------------------------------------

    def process(
        self,
        documents: Iterable[Document | str | InputError | Flush],
        *,
        summarize: bool = True,
        group_size: int = GROUP_SIZE,
    ) -> Iterator[tuple[Document | None, Result | InputError]]:
        """Yield each document with its result, or the input error that stopped it, in order.

        Up to ``group_size`` articles are worked on together: their sentences share
        translation batches and their summaries are made side by side, which keeps batches
        full and every worker busy. Their results come once the group is done (or the
        documents end, or :data:`FLUSH` comes among them). A bad article costs only itself;
        model errors (missing model, ...) propagate. An :class:`InputError` among the
        documents (an input that could not even be read) is passed through in its place.
        """
        if isinstance(documents, (str, Document)):
            documents = [documents]
        if summarize:
            self.load_models()
        group: list[Document | InputError] = []
        index = 0
        for item in documents:
            if isinstance(item, Flush):
                if group:
                    yield from self._process_group(group, summarize)
                    group = []
                continue
            group.append(item if isinstance(item, InputError) else as_document(item, index))
            index += 1
            if len(group) >= group_size:
                yield from self._process_group(group, summarize)
                group = []
        if group:
            yield from self._process_group(group, summarize)

    def _process_group(
        self, group: list[Document | InputError], summarize: bool
    ) -> Iterator[tuple[Document | None, Result | InputError]]:
        outcomes: dict[int, Result | InputError] = {}
        prepared: list[Prepared] = []
        for position, document in enumerate(group):
            if isinstance(document, InputError):
                outcomes[position] = document
                continue
            try:
                prepared.append(self.prepare(document))
            except InputError as exc:
                outcomes[position] = exc
            except Exception as exc:  # a bug met cleaning this article: its failure alone
                outcomes[position] = internal_failure(document.source, exc)
        results = iter(self._work(prepared, summarize) if prepared else [])
        for position, document in enumerate(group):
            outcome = outcomes.get(position) or next(results)
            if isinstance(outcome, Result):
                _total_seconds(outcome)
            yield (None if isinstance(document, InputError) else document), outcome

    def _work(self, prepared: list[Prepared], summarize: bool) -> list[Result | InputError]:
        """Translate (and summarise and check) articles together, one outcome each.

        An unexpected error in the shared work cannot say which article caused it: the
        articles are then done one by one, so that it costs only the one at fault (as an
        internal error naming it) and the others still get their results. Errors of the
        whole run (a model that cannot load, a refused style) and signals go on up.
        """
        try:
            translated: list[Result | InputError] = list(self._translate(prepared))
            if summarize:
                translated = self._summarize([r for r in translated if isinstance(r, Result)])
            return translated
        except RingkasError:
            raise
        except Exception as exc:
            if self.models.failed is exc:  # the summarizer could not load: the run stops
                raise
            if len(prepared) == 1:
                return [internal_failure(prepared[0].document.source, exc)]
        return [outcome for item in prepared for outcome in self._work([item], summarize)]

    def check(self, article: Document | str, summary: str, *, translate: bool = True) -> Result:
        """Check any summary against an article (Indonesian, or English) without summarising.

        An Indonesian article is translated first (unless ``translate`` is false), so that
        names in an English summary can be matched against the English translation.
        """
        document = as_document(article, 0)
        if not summary.strip():
            raise InputError("the summary to check is empty", source="summary")
        prepared = self.prepare(document)
        if translate and prepared.language != "en":
            (result,) = self._translate([prepared])
        else:
            result = self._untranslated(prepared)
        result.summary = summary.strip()
        result.models["summarizer"] = "(given)"
        result.stats.summary_words = count_words(result.summary)
        start = time.perf_counter()
        result.checks = check_summary(
            result.summary,
            [s.source for s in result.sentences],
            [s.translation for s in result.sentences] if result.translation else None,
            context=article_context(result.metadata),
        )
        result.stats.seconds["check"] = time.perf_counter() - start
        _total_seconds(result)
        return result

    def translate(self, documents: Sequence[Document | str]) -> list[Result]:
        """Translate articles (summary left as None); the first bad article raises."""
        return _raise_first(self.process(documents, summarize=False))

    def summarize(self, documents: Sequence[Document | str]) -> list[Result]:
        """Translate and summarise articles; the first bad article raises."""
        return _raise_first(self.process(documents))

    def __call__(self, documents: Sequence[Document | str]) -> list[Result]:
        return self.summarize(documents)


def article_context(metadata: dict[str, Any]) -> list[str]:
    """What the cleaner lifted out of an article that a summary may still name."""
    return [str(metadata[key]) for key in ("title", "dateline", "outlet") if metadata.get(key)]


def _raise_first(
    outcomes: Iterable[tuple[Document | None, Result | InputError]],
) -> list[Result]:
    results = []
    for _, outcome in outcomes:
        if isinstance(outcome, InputError):
            raise outcome
        results.append(outcome)
    return results


def _total_seconds(result: Result) -> None:
    seconds = result.stats.seconds
    seconds["total"] = sum(v for k, v in seconds.items() if k != "total")
