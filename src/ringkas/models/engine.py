"""The interface every inference engine offers: count tokens and generate text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

# Beyond this a tokenizer's model_max_length is transformers' "unknown" sentinel.
_NO_LIMIT = 1_000_000
_DEFAULT_INPUT_LIMIT = 512


def input_limit(*candidates: object) -> int:
    """The smallest sensible limit among a checkpoint's position/length settings."""
    limits = [c for c in candidates if isinstance(c, int) and 0 < c < _NO_LIMIT]
    return min(limits) if limits else _DEFAULT_INPUT_LIMIT


def summarization_prefix(model_type: str, task_params: dict | None) -> str:
    """The text a T5-style model expects before an article to summarise."""
    value = (task_params or {}).get("summarization")
    if isinstance(value, dict) and value.get("prefix"):
        return str(value["prefix"])
    return "summarize: " if model_type in ("t5", "mt5", "umt5") else ""


@dataclass(frozen=True)
class Decoding:
    """How to decode: beam width and output length bounds in tokens.

    ``keep`` (benchmarks only) cuts each output of a batch to its own token count, so a
    batch forced to one length yields the lengths each item was meant to have.
    """

    beam_size: int = 1
    max_new_tokens: int = 256
    min_new_tokens: int = 0
    keep: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Generated:
    """One generated text and the number of tokens it took."""

    text: str
    tokens: int


class Seq2SeqEngine(Protocol):
    """A loaded encoder-decoder model behind a text-in, text-out interface."""

    name: str
    engine: str
    device: str
    compute_type: str
    max_input_tokens: int
    model_type: str

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text takes as model input, special tokens included."""
        ...

    def generate(self, texts: Sequence[str], decoding: Decoding) -> list[Generated]:
        """Generate one output per input text, in order."""
        ...

    def generate_batches(
        self, batches: Sequence[tuple[Sequence[str], Decoding]]
    ) -> list[list[Generated]]:
        """Generate for several batches at once (in parallel where the engine can)."""
        ...

    def task_prefix(self, task: str) -> str:
        """Text a T5-style model expects before the input for ``task`` ('' if none)."""
        ...

    def set_languages(self, source: str, target: str) -> None:
        """Select source/target languages on multilingual translators (no-op otherwise)."""
        ...
