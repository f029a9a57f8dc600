"""Tokenizers for the CTranslate2 engine: sentencepiece or `tokenizers`, never transformers.

They reproduce what the transformers tokenizers of the same checkpoints do, from the files
``save_pretrained()`` writes: Marian's ``source.spm``/``target.spm``/``vocab.json``,
M2M100's ``sentencepiece.bpe.model``/``vocab.json``, and ``tokenizer.json`` for every other
model (BART, T5, PEGASUS, NLLB).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol


class TokenTexts(Protocol):
    """Text to token strings and back, special tokens included on the way in."""

    eos: str
    specials: frozenset[str]

    def encode(self, text: str, *, specials: bool = True) -> list[str]: ...

    def decode(self, tokens: Sequence[str]) -> str: ...


class MarianTokens:
    """Marian: source pieces from source.spm, output pieces decoded with target.spm."""

    eos = "</s>"

    def __init__(self, folder: Path) -> None:
        import sentencepiece

        self._source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self._target_file = folder / "target.spm"
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        self.specials = frozenset({"</s>", "<unk>", "<pad>"} & set(vocab))

    @functools.cached_property
    def _target(self) -> Any:
        """Loaded with the first output to decode (~0.08 s for opus-mt's), which comes while
        the translator's workers are still busy, not before the first batch is queued."""
        import sentencepiece

        return sentencepiece.SentencePieceProcessor(model_file=str(self._target_file))

    def encode(self, text: str, *, specials: bool = True) -> list[str]:
        pieces: list[str] = self._source.encode(text, out_type=str)
        return [*pieces, self.eos] if specials else pieces

    def decode(self, tokens: Sequence[str]) -> str:
        pieces = [t for t in tokens if t not in self.specials]
        # Pieces the target model does not know come back raw; transformers spaces them out.
        return str(self._target.decode_pieces(pieces)).replace("\u2581", " ")


class SentencePieceTokens:
    """M2M100-style: sentencepiece pieces looked up in vocab.json (unknown ones are <unk>);
    language tokens are added by the engine, not here, and are among ``specials``."""

    def __init__(self, folder: Path, specials: Sequence[str], eos: str, unk: str) -> None:
        import sentencepiece

        model = folder / "sentencepiece.bpe.model"
        self._pieces = sentencepiece.SentencePieceProcessor(model_file=str(model))
        self._vocab = set(json.loads((folder / "vocab.json").read_text(encoding="utf-8")))
        self.specials = frozenset(specials)  # language tokens included
        self.eos = eos
        self._unk = unk

    def encode(self, text: str, *, specials: bool = True) -> list[str]:
        pieces = self._pieces.encode(text, out_type=str)
        tokens = [p if p in self._vocab else self._unk for p in pieces]
        return [*tokens, self.eos] if specials else tokens

    def decode(self, tokens: Sequence[str]) -> str:
        pieces = [t for t in tokens if t not in self.specials]
        return str(self._pieces.decode_pieces(pieces))


class HubTokens:
    """Any model whose tokenizer is saved as tokenizer.json (its post-processor adds specials)."""

    def __init__(self, folder: Path, specials: Sequence[str], eos: str) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.specials = frozenset(specials)
        self.eos = eos

    def encode(self, text: str, *, specials: bool = True) -> list[str]:
        tokens: list[str] = self._tokenizer.encode(text, add_special_tokens=specials).tokens
        return tokens

    def control_tokens(self) -> tuple[str, ...]:
        """The special tokens and every added token ("<tool_call>", "[SYSTEM_PROMPT]"):
        text that this tokenizer would encode as a control token."""
        added = [token.content for token in self._tokenizer.get_added_tokens_decoder().values()]
        return tuple(sorted({*self.specials, *added}))

    def decode(self, tokens: Sequence[str]) -> str:
        ids = [self._tokenizer.token_to_id(t) for t in tokens if t not in self.specials]
        return str(self._tokenizer.decode([i for i in ids if i is not None]))


def load_tokens(folder: Path, info: dict) -> TokenTexts:
    """The tokenizer a converted model folder was saved with."""
    if info["tokenizer"] == "marian":
        return MarianTokens(folder)
    if info["tokenizer"] == "sentencepiece":
        unk = info.get("unk_token") or "<unk>"
        return SentencePieceTokens(folder, info["special_tokens"], info["eos_token"], unk)
    return HubTokens(folder, info["special_tokens"], info["eos_token"])
