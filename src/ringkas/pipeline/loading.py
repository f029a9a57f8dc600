"""The pipeline's two models: loaded once, on first use (or up front, side by side when both
are already converted: the translation starts while the summarizer still loads), and the
summarizer chosen for the style: a seq2seq model's own summary, or a style written by an
instruction model."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ringkas import stopping
from ringkas.errors import CacheUnusableError, ModelUnavailableError, UsageError
from ringkas.models.chat import Seq2SeqInstruct
from ringkas.models.ct2_engine import Batches
from ringkas.models.engine import Seq2SeqEngine
from ringkas.models.hub import parse_model_spec
from ringkas.models.loading import load_model
from ringkas.models.styled import StyledSummarizer
from ringkas.models.summarizer import Summarizer
from ringkas.models.translator import Translator
from ringkas.settings import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR, Settings

if TYPE_CHECKING:
    from ringkas.prompts import PromptTemplate

StageCallback = Callable[[str], None]
# Seq2seq families trained to follow written instructions (flan-t5 and its kin).
INSTRUCTABLE_SEQ2SEQ = frozenset({"t5", "mt5", "umt5"})


def load_engine(
    spec: str, settings: Settings | None = None, *, report: StageCallback | None = None
) -> Seq2SeqEngine:
    """Load an encoder-decoder model (translator or seq2seq summarizer)."""
    model = load_model(spec, settings, report=report)
    if not hasattr(model, "generate"):
        raise UsageError(
            f"{spec} is a chat model; it can summarise (with --summarizer) but not translate",
            hint="pass a seq2seq translation model such as Helsinki-NLP/opus-mt-id-en",
        )
    return model


def _template(name: str) -> PromptTemplate:
    """A summary style's template. The templates' module is imported only where a style is
    written: a plain summary does not need it (~0.08 s of imports, which ran beside the
    translation while the summarizer loaded)."""
    from ringkas.prompts import load_template

    return load_template(name)


class LoadedModels:
    """The translator and summarizer of one pipeline, each loaded once on first use; the
    seconds spent loading are kept until a result is charged with them."""

    def __init__(self, config: Settings, *, stage: StageCallback, report: StageCallback) -> None:
        self.config = config
        self._stage = stage
        self.report = report
        self._translator: Translator | None = None
        self._summarizer: Summarizer | StyledSummarizer | None = None
        self.style_mode: str | None = None  # native | prompt | chat, once the model is loaded
        self._pending_load = 0.0
        # The summarizer loading beside the translation (see load_all), until it is needed.
        self._loading: Future[Summarizer | StyledSummarizer] | None = None
        self.failed: BaseException | None = None  # what stopped it loading
        # How the summaries will come (see Pipeline.expect_articles): one article at a time
        # (every thread on it) unless a job says it has several.
        self.summaries: Batches = "serial"
        self._template: PromptTemplate | None = None  # the style's, once read

    def _style_template(self) -> PromptTemplate | None:
        """The template of the style asked for (read once), or None."""
        if not self.config.style:
            return None
        if self._template is None:
            self._template = _template(self.config.style)
        return self._template

    def _load(self, spec: str) -> Seq2SeqEngine:
        start = time.perf_counter()
        self._stage(f"loading {spec}")
        model = load_engine(spec, self.config, report=self.report)
        self._pending_load += time.perf_counter() - start
        return model

    @property
    def translator(self) -> Translator:
        """The translator, loaded on first use."""
        if self._translator is None:
            forced = self.config.forced_lengths
            self._translator = Translator(
                self._load(self.config.translator),
                beam_size=self.config.beam_size,
                forced_ratio=forced[0] if forced else None,
            )
        return self._translator

    @property
    def summarizer(self) -> Summarizer | StyledSummarizer:
        """The summarizer, loaded on first use: a seq2seq model's own summary, or a style
        written by an instruction model."""
        if self._summarizer is None:
            start = time.perf_counter()  # waiting for a load under way counts as loading
            loading, self._loading = self._loading, None
            try:
                self._summarizer = loading.result() if loading else self._load_summarizer()
            except BaseException as exc:
                self.failed = exc
                raise
            finally:
                self._pending_load += time.perf_counter() - start
        return self._summarizer

    def _load_summarizer(self) -> Summarizer | StyledSummarizer:
        self._stage(f"loading {self.config.summarizer}")
        # One article: every thread on it; several: articles side by side on workers.
        model = load_model(
            self.config.summarizer, self.config, report=self.report, batches=self.summaries
        )
        return self._make_summarizer(model)

    def _make_summarizer(self, model: Any) -> Summarizer | StyledSummarizer:
        config = self.config
        if hasattr(model, "answer"):  # a chat model: every style, brief by default
            self.style_mode = "chat"
            return StyledSummarizer(
                model, self._style_template() or _template("brief"), beam_size=config.beam_size
            )
        template = self._style_template()
        if template is not None and model.model_type in INSTRUCTABLE_SEQ2SEQ:
            self.style_mode = "prompt"  # T5-style models read instructions as text
            return StyledSummarizer(Seq2SeqInstruct(model), template, beam_size=config.beam_size)
        if template is not None and template.seq2seq != "native":
            raise UsageError(
                f"{config.summarizer} writes one kind of summary and cannot follow the "
                f"{template.name!r} style",
                hint="use --style brief (its own summary), or an instruction model: "
                "--summarizer Qwen/Qwen2.5-1.5B-Instruct or google/flan-t5-large",
            )
        self.style_mode = "native"  # brief-like styles are this model's own summary
        forced = config.forced_lengths
        return Summarizer(
            model, beam_size=config.beam_size, forced_tokens=forced[1] if forced else None
        )

    def load_all(self) -> None:
        """Load both models now, so that a missing model or a refused style stops a run
        before any work, naming every model that is missing. Once both are converted and
        no style is asked for, the summarizer may still be loading when this returns (see
        :attr:`summarizer_loading`); what stops it is raised by the first summary."""
        start = time.perf_counter()
        if self.config.style:
            # An unknown style or a broken template file stops the run before any model is
            # downloaded or converted (minutes on a first run), not after.
            self._style_template()
        stages = ("translator", "summarizer")
        converted = self.both_converted()
        if converted and self.config.style is None:
            # Nothing to download or convert and no style to refuse: CTranslate2 loads
            # without holding the GIL, so the summarizer loads in a thread of its own while
            # the translator loads and then translates (one article on 2 cores: with the
            # quick exit, cores busy 1.75 -> 1.79, benchmarks/speed.py). Its errors come
            # with the first summary, before any result.
            pool = ThreadPoolExecutor(1, thread_name_prefix="ringkas-load")
            self._loading = pool.submit(self._load_summarizer)
            pool.shutdown(wait=False)
            outcomes = [self._load_stage("translator")]
            if outcomes[0] is not None:  # name every missing model, as below
                outcomes.append(self._load_stage("summarizer"))
        elif converted:
            # A style may be refused: both models load side by side before any work.
            with ThreadPoolExecutor(len(stages)) as pool:
                outcomes = list(pool.map(self._load_stage, stages))
        else:  # downloads and conversions report progress: one at a time
            outcomes = []
            for stage in stages:
                # Ctrl-C while a model converts: that one is finished, no other is started.
                stopping.check()
                outcomes.append(self._load_stage(stage))
        if converted:
            self._pending_load = time.perf_counter() - start
        errors = [outcome for outcome in outcomes if outcome is not None]
        if len(errors) == 1:
            raise errors[0]
        if errors:
            names = [self.config.translator, self.config.summarizer]
            defaults = names == [DEFAULT_TRANSLATOR, DEFAULT_SUMMARIZER]
            command = (
                "ringkas models pull" if defaults else f"ringkas models pull {' '.join(names)}"
            )
            raise ModelUnavailableError(
                "; ".join(error.message for error in errors),
                hint=f"run `{command}` while online, or pass local folders",
            )

    def _load_stage(self, stage: str) -> ModelUnavailableError | None:
        try:
            getattr(self, stage)
        except CacheUnusableError:
            raise  # the same for every model: said once
        except ModelUnavailableError as exc:
            return exc
        return None

    def both_converted(self) -> bool:
        if self.config.engine != "ctranslate2" or self._translator or self._summarizer:
            return False
        if self._loading:  # the summarizer's load is under way
            return False
        from ringkas.models import store

        specs = (self.config.translator, self.config.summarizer)
        return all(store.find(parse_model_spec(spec)) is not None for spec in specs)

    @property
    def summarizer_loading(self) -> bool:
        """Whether the summarizer is loading in the background (see load_all)."""
        return self._loading is not None

    def take_load_seconds(self) -> float:
        seconds, self._pending_load = self._pending_load, 0.0
        return seconds

    def loaded_engine(self) -> Any:
        """Any engine loaded so far (for what it chose: device, compute type), else None."""
        if self._translator is not None:
            return self._translator.engine
        if self._summarizer is not None:
            return getattr(self._summarizer, "engine", None) or getattr(
                self._summarizer, "model", None
            )
        return None
