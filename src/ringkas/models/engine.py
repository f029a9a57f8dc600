"""The interface every inference engine offers: count tokens and generate text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Decoding:
    """How to decode: beam width and output length bounds in tokens."""

    beam_size: int = 1
    max_new_tokens: int = 256
    min_new_tokens: int = 0


@dataclass(frozen=True)
class Generated:
    """One generated text and the number of tokens it took."""

    text: str
    tokens: int


class Seq2SeqEngine(Protocol):
    """A loaded encoder-decoder model behind a text-in, text-out interface."""

    name: str
    engine: str
    max_input_tokens: int
    model_type: str

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text takes as model input, special tokens included."""
        ...

    def generate(self, texts: Sequence[str], decoding: Decoding) -> list[Generated]:
        """Generate one output per input text, in order."""
        ...

    def task_prefix(self, task: str) -> str:
        """Text a T5-style model expects before the input for ``task`` ('' if none)."""
        ...

    def set_languages(self, source: str, target: str) -> None:
        """Select source/target languages on multilingual translators (no-op otherwise)."""
        ...
