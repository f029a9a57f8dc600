"""The CTranslate2 engine: int8 inference without torch or transformers on the import path."""

from __future__ import annotations

import ctypes
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from ringkas.errors import ModelUnavailableError
from ringkas.models.converted import INFO_FILE
from ringkas.models.engine import Decoding, Generated
from ringkas.models.tokenize import load_tokens

COMPUTE_TYPES = ("auto", "int8", "int8_float16", "float16", "float32")
_NLLB_CODES = {"id": "ind_Latn", "en": "eng_Latn"}
# How a model's work comes: many small batches at once (a translator's sentences), or one
# large batch at a time (a summarizer's article, or two).
Batches = Literal["parallel", "serial"]
_CPU_WORKERS = 2
# A sub-batch's memory (attention, the decoder's cache of encoder states for every beam)
# grows with its tokens: at most this many input tokens per sub-batch keeps a folder of long
# articles within ~1 GB with the default models (8 articles: 1,102 MB with 2048, 919 MB with
# 1024, at ~5% more time). The summarizer's one worker keeps it: two articles per sub-batch
# took ~2% less CPU on its busiest thread but raised a folder of 5's peak RSS from ~720 MB
# to 770-880 MB.
_SUB_BATCH_TOKENS = 1024
_M_ARENA_MAX = -8  # glibc's mallopt parameter
_ARENAS = 1


def worker_batch(model: Any, lengths: Sequence[int]) -> int:
    """The sub-batch size for inputs of these token ``lengths``: small enough that every
    worker of ``model`` gets a share (CTranslate2 runs sub-batches on its workers in
    parallel) and that a sub-batch of long inputs stays within a memory budget."""
    workers: int = getattr(model, "num_translators", 0) or getattr(model, "num_generators", 1)
    share = math.ceil(len(lengths) / max(1, workers))
    return max(1, min(share, _SUB_BATCH_TOKENS // max(1, *lengths)))


def resolve_device(device: str) -> str:
    """Map 'auto' to 'cuda' when CTranslate2 sees a GPU, else 'cpu'."""
    if device != "auto":
        return device
    wait_passively()
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def thread_layout(
    threads: int | None, device: str, batches: Batches = "parallel"
) -> tuple[int, int]:
    """(workers, threads per worker) for CTranslate2 on ``device``.

    Measured on 2 cores with the default models: a translator's many short batches go
    best on two workers of one thread each, side by side (a decoding step of opus-mt is
    too small to share between cores); a summarizer's one long input per article goes
    best with every thread on it (its encoder pass and each decoding step are large): one
    article's summary ~1.5x faster than with an article per worker; but a folder's
    summaries go ~1.3x faster an article per worker, side by side ("parallel"), so a job
    with several articles lays the summarizer out like the translator. A GPU gets one worker.
    """
    if device != "cpu":
        return 1, threads or 0
    total = threads or os.cpu_count() or 1
    if batches == "serial":
        return 1, total
    workers = min(_CPU_WORKERS, total)
    return workers, max(1, total // workers)


def wait_passively() -> None:
    """Have OpenMP threads sleep rather than spin while they wait for work, unless the
    user chose (OMP_WAIT_POLICY, GOMP_SPINCOUNT). Must run before ctranslate2 is imported.

    A summarizer's threads wait for each other hundreds of times per decoding step. When
    other programs share the cores, a thread that spins while its partner is descheduled
    wastes its turn: measured on 2 busy cores, one summary took 7x longer spinning (the
    GNU OpenMP default) than sleeping. On idle cores sleeping costs a wake-up per wait.
    """
    if not ({"OMP_WAIT_POLICY", "GOMP_SPINCOUNT"} & os.environ.keys()):
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"


def limit_malloc_arenas() -> None:
    """Have glibc's malloc share MALLOC_ARENA_MAX arenas among CTranslate2's worker threads
    instead of one (or more) per thread, unless the user set the variable.

    Each worker's large, short-lived buffers otherwise stay reserved in its own arena:
    measured on a folder of 8 articles with the default models, peak memory fell from
    919 MB to 741 MB with no loss of speed. Other C libraries: nothing to do.
    """
    if os.environ.get("MALLOC_ARENA_MAX") or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_ARENA_MAX, _ARENAS)
    except (OSError, AttributeError):  # not glibc
        pass


def open_ct2(
    kind: str, folder: Path, name: str, **options: Any
) -> tuple[Any, dict[str, Any], tuple[int, int]]:
    """A CTranslate2 ``Translator`` or ``Generator`` for a converted folder, its info and
    its thread layout (workers, threads per worker).

    ``options``: device, compute_type, threads, batches (how the work comes, see
    :func:`thread_layout`) or layout (workers, threads per worker: chosen for you if None).
    """
    wait_passively()
    import ctranslate2

    try:
        info: dict[str, Any] = json.loads((folder / INFO_FILE).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelUnavailableError(
            f"{folder} is not a ringkas CTranslate2 model folder ({INFO_FILE} missing)",
            hint="convert it with `ringkas models import PATH`",
        ) from exc
    device = resolve_device(options.get("device", "cpu"))
    limit_malloc_arenas()  # before the workers start
    factory = ctranslate2.Generator if kind == "causal" else ctranslate2.Translator
    workers, per_worker = options.get("layout") or thread_layout(
        options.get("threads"), device, options.get("batches", "parallel")
    )
    try:
        model = factory(
            str(folder),
            device=device,
            compute_type=options.get("compute_type", "auto"),
            inter_threads=workers,
            intra_threads=per_worker,
        )
    except (RuntimeError, ValueError) as exc:
        raise ModelUnavailableError(
            f"model {name!r} could not be loaded by CTranslate2 on {device}: {exc}",
            hint="try --device cpu, another --compute-type, or --engine torch",
        ) from exc
    return model, info, (workers, per_worker)


def decoding_options(info: dict[str, Any]) -> dict[str, Any]:
    """The checkpoint's own generation settings, as CTranslate2 options."""
    generation = info["generation"]
    return {
        "no_repeat_ngram_size": generation["no_repeat_ngram_size"],
        "length_penalty": generation["length_penalty"],
        "repetition_penalty": generation["repetition_penalty"],
        "suppress_sequences": generation["suppress_sequences"] or None,
    }


class CT2Seq2Seq:
    """A converted encoder-decoder model run with CTranslate2."""

    engine = "ctranslate2"

    def __init__(
        self,
        folder: Path,
        name: str,
        *,
        device: str = "cpu",
        compute_type: str = "auto",
        threads: int | None = None,
        batches: Batches = "parallel",
        layout: tuple[int, int] | None = None,
    ) -> None:
        self.name = name
        self.folder = folder
        self.translator, self.info, self.layout = open_ct2(
            "seq2seq",
            folder,
            name,
            device=device,
            compute_type=compute_type,
            threads=threads,
            batches=batches,
            layout=layout,
        )
        self.device = str(self.translator.device)
        self.tokens = load_tokens(folder, self.info)
        self.model_type: str = self.info["model_type"]
        self.max_input_tokens: int = self.info["max_input_tokens"]
        self.compute_type = self.translator.compute_type
        self._options = decoding_options(self.info)
        self._min_new_tokens: int = self.info["generation"]["min_new_tokens"]
        self._decoder_prefix: list[str] = list(self.info["decoder_prefix"])
        self._source_prefix: list[str] = []

    def _source(self, text: str) -> list[str]:
        if not self._source_prefix:
            return self.tokens.encode(text)
        # Multilingual models: [source language] text </s>
        return [*self._source_prefix, *self.tokens.encode(text, specials=False), self.tokens.eos]

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(self._source(text)) for text in texts]

    def task_prefix(self, task: str) -> str:
        return str(self.info["task_prefixes"].get(task, ""))

    def set_languages(self, source: str, target: str) -> None:
        style = self.info.get("languages")
        if style == "nllb":
            self._source_prefix = [_NLLB_CODES.get(source, source)]
            self._decoder_prefix = [_NLLB_CODES.get(target, target)]
        elif style == "m2m":
            self._source_prefix = [f"__{source}__"]
            self._decoder_prefix = [f"__{target}__"]

    def _submit(self, texts: Sequence[str], decoding: Decoding) -> list[Any]:
        """Queue one batch on the workers; returns one future per text."""
        sources = [self._source(text) for text in texts]
        prefix = self._decoder_prefix
        # Lengths count the forced first token, as transformers' max/min_new_tokens do.
        return list(
            self.translator.translate_batch(
                sources,
                target_prefix=[list(prefix) for _ in texts] if prefix else None,
                beam_size=decoding.beam_size,
                max_decoding_length=decoding.max_new_tokens,
                min_decoding_length=decoding.min_new_tokens or self._min_new_tokens,
                max_input_length=0,  # never truncate silently: callers keep inputs in limits
                max_batch_size=worker_batch(self.translator, [len(s) for s in sources]),
                asynchronous=True,
                **self._options,
            )
        )

    def _collect(self, futures: Sequence[Any], decoding: Decoding) -> list[Generated]:
        prefix = self._decoder_prefix
        outputs = []
        for index, future in enumerate(futures):
            tokens = list(future.result().hypotheses[0])
            if prefix and tokens[: len(prefix)] == prefix:
                tokens = tokens[len(prefix) :]
            content = [t for t in tokens if t not in self.tokens.specials]
            if decoding.keep is not None:
                content = content[: decoding.keep[index]]
            text = self.tokens.decode(content)
            outputs.append(Generated(text=" ".join(text.split()), tokens=len(content)))
        return outputs

    def generate(self, texts: Sequence[str], decoding: Decoding) -> list[Generated]:
        return self.generate_batches([(texts, decoding)])[0]

    def generate_batches(
        self, batches: Sequence[tuple[Sequence[str], Decoding]]
    ) -> list[list[Generated]]:
        # Everything is queued first, so that the workers never wait for Python.
        queued = [
            (self._submit(texts, decoding) if texts else [], decoding)
            for texts, decoding in batches
        ]
        return [self._collect(futures, decoding) for futures, decoding in queued]
