"""Abstractive summaries of any length: chunk on sentence boundaries, then combine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ringkas.models.engine import Decoding, Seq2SeqEngine
from ringkas.result import Notice
from ringkas.text.chunk import pack, split_to_fit


@dataclass(frozen=True)
class Length:
    """Bounds of a summary, in model tokens."""

    min_tokens: int
    max_tokens: int


# "medium" follows distilbart-cnn's own settings (56-142 tokens), tuned on news.
LENGTHS = {
    "short": Length(min_tokens=12, max_tokens=60),
    "medium": Length(min_tokens=40, max_tokens=142),
    "long": Length(min_tokens=90, max_tokens=280),
}

# Tokenising a joined chunk can take a few more tokens than its parts did apart.
_SAFETY = 0.97
_MAX_PASSES = 4


@dataclass
class Summary:
    """A summary and how it was made."""

    text: str
    tokens: int
    input_tokens: int
    chunks: int
    passes: int
    warnings: list[Notice] = field(default_factory=list)


@dataclass
class _Job:
    """One text on its way to a summary: the chunks of its current pass and their outputs."""

    input_tokens: int
    chunks: list[str]
    first_chunks: int
    passes: int = 1
    outputs: list[tuple[str, int]] = field(default_factory=list)


class Summarizer:
    """Summarise English text of any length with a seq2seq model."""

    def __init__(
        self, engine: Seq2SeqEngine, *, beam_size: int = 2, forced_tokens: int | None = None
    ) -> None:
        self.engine = engine
        self.beam_size = beam_size
        self.forced_tokens = forced_tokens
        self.prefix = engine.task_prefix("summarization")
        empty, with_prefix = engine.count_tokens(["", self.prefix])
        self._overhead = max(empty, with_prefix)  # specials + task prefix
        self._empty = empty
        self.budget = int((engine.max_input_tokens - self._overhead) * _SAFETY)
        if self.budget < 16:
            raise ValueError(f"{engine.name} accepts too few input tokens to summarise")

    def _cost(self, texts: Sequence[str]) -> list[int]:
        return [n - self._empty for n in self.engine.count_tokens(list(texts))]

    def _chunks(self, units: Sequence[str]) -> list[str]:
        """Join consecutive units into chunks that each fit the model's input."""
        whole = " ".join(units)
        if self.engine.count_tokens([self.prefix + whole])[0] <= self.engine.max_input_tokens:
            return [whole]
        pieces: list[str] = []
        for unit, cost in zip(units, self._cost(units), strict=True):
            if cost <= self.budget:
                pieces.append(unit)
            else:
                pieces.extend(split_to_fit(unit, self.budget, lambda t: self._cost([t])[0]))
        costs = self._cost(pieces)
        chunks = [" ".join(pieces[i] for i in group) for group in pack(costs, self.budget)]
        fitted: list[str] = []
        for chunk in chunks:
            if self.engine.count_tokens([self.prefix + chunk])[0] <= self.engine.max_input_tokens:
                fitted.append(chunk)
            else:  # tokenisation across the joins grew it: cut it again
                fitted.extend(split_to_fit(chunk, self.budget, lambda t: self._cost([t])[0]))
        return fitted

    def _decoding(self, length: Length, input_tokens: int) -> Decoding:
        if self.forced_tokens is not None:  # benchmarks: exactly this long, every pass
            return Decoding(self.beam_size, self.forced_tokens, self.forced_tokens)
        # A summary should not be longer than its input nor forced past half of it.
        max_new = min(length.max_tokens, max(16, input_tokens))
        min_new = min(length.min_tokens, input_tokens // 2, max_new)
        return Decoding(beam_size=self.beam_size, max_new_tokens=max_new, min_new_tokens=min_new)

    def _run(self, jobs: Sequence[_Job], bounds: Length) -> None:
        """One pass over the current chunks of every job, in shared batches: chunks that
        decode alike go to the engine together (its workers share them out)."""
        medium = LENGTHS["medium"]
        # Partial summaries keep enough detail for the final pass to choose from, yet are
        # short enough that several fit in one input, so each pass shrinks the text.
        partial_max = min(medium.max_tokens, self.budget // 4)
        partial = Length(min(medium.min_tokens, partial_max // 2), partial_max)
        requests: dict[Decoding, list[tuple[_Job, int, str]]] = {}
        for job in jobs:
            job.outputs = [("", 0)] * len(job.chunks)
            length = bounds if len(job.chunks) == 1 else partial
            for index, chunk in enumerate(job.chunks):
                decoding = self._decoding(length, self._cost([chunk])[0])
                requests.setdefault(decoding, []).append((job, index, chunk))
        generated = self.engine.generate_batches(
            [
                ([self.prefix + chunk for _, _, chunk in items], decoding)
                for decoding, items in requests.items()
            ]
        )
        for items, outs in zip(requests.values(), generated, strict=True):
            for (job, index, _), out in zip(items, outs, strict=True):
                job.outputs[index] = (out.text, out.tokens)

    def summarize(self, sentences: Sequence[str], length: str = "medium") -> Summary:
        """Summarise the sentences; text too long for one pass is chunked and recombined."""
        return self.summarize_many([sentences], length)[0]

    def summarize_many(
        self, articles: Sequence[Sequence[str]], length: str = "medium"
    ) -> list[Summary]:
        """Summarise several texts at once: their chunks share batches in every pass."""
        bounds = LENGTHS[length]
        jobs: list[_Job] = []
        for sentences in articles:
            units = [s.strip() for s in sentences if s.strip()]
            if not units:
                raise ValueError("nothing to summarise")
            chunks = self._chunks(units)
            jobs.append(_Job(sum(self._cost(units)) + self._overhead, chunks, len(chunks)))
        active = list(jobs)
        while active:
            self._run(active, bounds)
            again = []
            for job in active:
                if len(job.outputs) > 1 and job.passes < _MAX_PASSES:
                    job.passes += 1
                    job.chunks = self._chunks([text for text, _ in job.outputs if text])
                    again.append(job)
            active = again
        return [self._summary(job) for job in jobs]

    def _summary(self, job: _Job) -> Summary:
        text = " ".join(t for t, _ in job.outputs if t)
        warnings = []
        if job.first_chunks > 1:
            warnings.append(
                Notice(
                    "chunked",
                    f"the translation has {job.input_tokens} tokens, more than the "
                    f"summarizer's limit of {self.engine.max_input_tokens}: it was summarised "
                    f"in {job.first_chunks} chunks and the partial summaries were combined "
                    f"in {job.passes - 1} more pass(es)",
                )
            )
        if not text:
            warnings.append(Notice("empty_summary", "the summarizer produced no text"))
        return Summary(
            text=text,
            tokens=sum(n for _, n in job.outputs),
            input_tokens=job.input_tokens,
            chunks=job.first_chunks,
            passes=job.passes,
            warnings=warnings,
        )
