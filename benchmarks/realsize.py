"""Build random-weight checkpoints with the sizes and on-disk formats of ringkas's default models.

Usage: python benchmarks/realsize.py [--corpus PATH] [--out DIR] [--rebuild]

- ``opus-mt-id-en-random``: MarianMT like Helsinki-NLP/opus-mt-id-en (d_model 512, 6+6 layers,
  8 heads, ffn 2048, shared vocabulary of 54,796, 512 static sinusoidal positions).
- ``distilbart-cnn-12-6-random``: BART like sshleifer/distilbart-cnn-12-6 (d_model 1024,
  12 encoder / 6 decoder layers, 16 heads, ffn 4096, vocabulary 50,264, 1,024 positions).

The tokenizers are trained on the corpus text and their vocabularies padded to the real sizes
with real corpus words, so a random output token decodes to a plausible word and the
summarizer's input has a realistic token count. Weights are random (fixed seeds): only the
amount of work is real, never the words. A folder is rebuilt only when it is missing or was
built by another version of this script (``--rebuild`` forces it).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
DEFAULT_CORPUS = BENCH.parents[1] / "shared" / "corpus"
DEFAULT_OUT = BENCH / "out" / "models"
MARIAN_NAME = "opus-mt-id-en-random"
BART_NAME = "distilbart-cnn-12-6-random"
# Bump when what is built changes, so stale folders are rebuilt.
BUILD_VERSION = 4
SEED = 1234

MARIAN_VOCAB = 54_796
MARIAN_POSITIONS = 512
# Pieces to train per side (at most: the corpus is small); corpus words fill the rest.
MARIAN_SOURCE_PIECES = 16_000
MARIAN_TARGET_PIECES = 4_000
# Added to the logits of whole English words (see build_marian).
ENGLISH_BIAS = 5.0
BART_VOCAB = 50_264
BART_POSITIONS = 1024
BART_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _read_lines(paths: Iterable[Path]) -> list[str]:
    lines: list[str] = []
    for path in paths:
        lines.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def english_lines(corpus: Path) -> list[str]:
    """English sentences of the parallel sets (the tokenizers' English training text)."""
    return _read_lines(sorted((corpus / "parallel").glob("*.en.txt")))


def indonesian_lines(corpus: Path) -> list[str]:
    """Indonesian text of the parallel sets, UD treebanks and summary pairs (not articles/)."""
    lines = _read_lines(sorted((corpus / "parallel").glob("*.id.txt")))
    for tsv in sorted((corpus / "sentences").glob("*.sentences.tsv")):
        rows = _read_lines([tsv])[1:]  # the header row
        lines.extend(row.split("\t", 1)[-1] for row in rows)
    return lines + _read_lines(sorted((corpus / "summaries").glob("*.article.txt")))


def words_by_frequency(lines: Iterable[str]) -> list[str]:
    """Distinct words, most frequent first (ties alphabetical), so the order is deterministic."""
    counts = Counter(w for line in lines for w in _WORD.findall(line))
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def word_variants(
    words: list[str], forms: Iterable[Any] = (str.lower, str.capitalize)
) -> list[str]:
    """The words as seen, then in other casings (all plausible in news text), deduplicated."""
    out: dict[str, None] = dict.fromkeys(words)
    for form in forms:
        out.update(dict.fromkeys(form(w) for w in words))
    return list(out)


def padding_words(corpus: Path) -> list[str]:
    """Real words to pad a vocabulary with: English first, then Indonesian, then upper case.

    English comes first because a translator's output is English; Indonesian words (names
    and loanwords a translation keeps) and upper-case forms (acronyms, headlines) follow
    because the corpus has too few English words to fill a 50k vocabulary.
    """
    english = words_by_frequency(english_lines(corpus))
    news = _read_lines(sorted((corpus / "articles").glob("*.txt")))
    indonesian = words_by_frequency(indonesian_lines(corpus) + news)
    words = word_variants(english) + word_variants(indonesian)
    words += [w.upper() for w in english + indonesian]
    return list(dict.fromkeys(words))


# -- Marian ------------------------------------------------------------------------------


def _train_sentencepiece(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    spm.set_random_generator_seed(SEED)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        # One thread and no shuffling: the same corpus always gives the same pieces.
        num_threads=1,
        shuffle_input_sentence=False,
        minloglevel=2,
        unk_id=0,
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
    )
    return model.getvalue()


def _pieces(model: bytes) -> list[str]:
    from sentencepiece import sentencepiece_model_pb2 as pb

    proto = pb.ModelProto()
    proto.ParseFromString(model)
    return [p.piece for p in proto.pieces]


def _extend_sentencepiece(model: bytes, pieces: dict[str, float]) -> bytes:
    """Add ``pieces`` (piece -> score) that the model lacks, as normal pieces."""
    from sentencepiece import sentencepiece_model_pb2 as pb

    proto = pb.ModelProto()
    proto.ParseFromString(model)
    known = {p.piece for p in proto.pieces}
    for piece, score in pieces.items():
        if piece not in known:
            proto.pieces.add(piece=piece, score=score, type=pb.ModelProto.SentencePiece.NORMAL)
    proto.trainer_spec.vocab_size = len(proto.pieces)
    return bytes(proto.SerializeToString())


def _with_words(model: bytes, lines: list[str]) -> bytes:
    """Add every word of ``lines`` as a whole piece scored by its log frequency.

    A unigram model trained on a few thousand sentences splits news text into ~1.9 pieces
    per word; the real source.spm, trained on millions, holds most words whole (~1.5).
    """
    counts = Counter(w for line in lines for w in _WORD.findall(line))
    total = sum(counts.values())
    return _extend_sentencepiece(model, {f"▁{w}": math.log(n / total) for w, n in counts.items()})


def _lowest_score(model: bytes) -> float:
    from sentencepiece import sentencepiece_model_pb2 as pb

    proto = pb.ModelProto()
    proto.ParseFromString(model)
    return min(p.score for p in proto.pieces if p.type == pb.ModelProto.SentencePiece.NORMAL)


def marian_vocabulary(corpus: Path) -> tuple[bytes, bytes, dict[str, int]]:
    """source.spm, target.spm and the shared vocab.json of exactly MARIAN_VOCAB entries.

    Opus layout: ``</s>`` = 0, ``<unk>`` = 1, source pieces, then target pieces, ``<pad>``
    last. Every vocab.json entry is also a target.spm piece, so any id the random decoder
    emits decodes to text (an unknown piece would be glued on with its ``▁``).
    """
    indonesian, english = indonesian_lines(corpus), english_lines(corpus)
    source = _with_words(_train_sentencepiece(indonesian, MARIAN_SOURCE_PIECES), indonesian)
    target = _train_sentencepiece(english, MARIAN_TARGET_PIECES)
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece in _pieces(source) + _pieces(target):
        vocab.setdefault(piece, len(vocab))
    room = MARIAN_VOCAB - 1 - len(vocab)  # one left for <pad>
    padding = [p for p in dict.fromkeys(f"▁{w}" for w in padding_words(corpus)) if p not in vocab]
    if len(padding) < room:
        raise SystemExit(f"the corpus has too few words to fill the Marian vocabulary ({room})")
    for piece in padding[:room]:
        vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    # target.spm knows every vocab entry, so any output id decodes to a word; the lowest
    # scores keep the additions out of the way when encoding.
    floor = _lowest_score(target) - 1.0
    target = _extend_sentencepiece(
        target, {p: floor - i * 1e-4 for i, p in enumerate(vocab) if not p.startswith("<")}
    )
    return source, target, vocab


def build_marian(folder: Path, corpus: Path) -> Path:
    """A random-weight MarianMT laid out and sized like Helsinki-NLP/opus-mt-id-en."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    source, target, vocab = marian_vocabulary(corpus)
    folder.mkdir(parents=True)
    (folder / "source.spm").write_bytes(source)
    (folder / "target.spm").write_bytes(target)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(
        json.dumps({"source_lang": "id", "target_lang": "en", "model_max_length": 512})
    )
    # Round-trip through MarianTokenizer so the files are exactly what it writes.
    MarianTokenizer.from_pretrained(folder).save_pretrained(folder)
    pad = MARIAN_VOCAB - 1
    config = MarianConfig(
        vocab_size=MARIAN_VOCAB,
        decoder_vocab_size=MARIAN_VOCAB,
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=8,
        decoder_attention_heads=8,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
        activation_function="swish",
        max_position_embeddings=MARIAN_POSITIONS,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        bos_token_id=0,
        forced_eos_token_id=0,
        architectures=["MarianMTModel"],
        static_position_embeddings=True,
        normalize_before=False,
        normalize_embedding=False,
    )
    torch.manual_seed(SEED)
    model = MarianMTModel(config).eval()
    # A random decoder emits one token chosen by its start state (nearly the same for every
    # sentence), then repeats it: the residual stream carries the input embedding to the
    # tied output projection (a logit of ~6.6 against ~2 for the rest). Which token that is
    # decides the summarizer's input size, so the bias makes it an English word that BART
    # reads as one token: 1.0 BART token per Marian token, as in real English output
    # (1.2 BART tokens and 1.3 Marian pieces per word), whatever the seed or engine picks.
    # It costs nothing: torch always adds final_logits_bias, and ctranslate2 adds one
    # vector per step next to a 512 x 54,796 projection.
    english = one_token_english_words(corpus)
    ids = [i for piece, i in vocab.items() if piece.startswith("▁") and piece[1:] in english]
    with torch.no_grad():
        model.final_logits_bias[0, ids] = ENGLISH_BIAS
    # The generation config of the real checkpoint.
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad]],
        bos_token_id=0,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        max_length=512,
        num_beams=4,
        pad_token_id=pad,
        renormalize_logits=True,
    )
    model.save_pretrained(folder)
    return folder


# -- BART --------------------------------------------------------------------------------


def _byte_level(text: str) -> str:
    """``text`` in the byte-level alphabet of GPT-2 BPE (a space becomes ``Ġ``)."""
    printable = [*range(ord("!"), ord("~") + 1), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    table = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    return "".join(table[b] for b in text.encode("utf-8"))


def bart_vocabulary(corpus: Path) -> tuple[dict[str, int], list[str]]:
    """Byte-level BPE vocab.json (exactly BART_VOCAB entries) and merges.

    Trained on the English corpus text plus the words the Marian vocabulary was padded
    with (each seen once, so merges favour the frequent English words): English text then
    takes 1.2 tokens per word, as with the real 50k GPT-2 vocabulary, and every word the
    random translator can emit tokenises as it would in a large vocabulary rather than
    byte by byte.
    """
    from tokenizers import ByteLevelBPETokenizer

    words = padding_words(corpus)
    lines = english_lines(corpus) + [" ".join(words[i : i + 50]) for i in range(0, len(words), 50)]
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        lines, vocab_size=BART_VOCAB, special_tokens=BART_SPECIALS, show_progress=False
    )
    model = json.loads(bpe.to_str())["model"]
    vocab: dict[str, int] = dict(sorted(model["vocab"].items(), key=lambda kv: kv[1]))
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    # Should training stop short, pad with whole words: valid byte-level tokens that the
    # merges never produce, like GPT-2's rarest tokens.
    for token in dict.fromkeys(_byte_level(f" {w}") for w in words):
        if len(vocab) >= BART_VOCAB:
            break
        vocab.setdefault(token, len(vocab))
    if len(vocab) != BART_VOCAB:
        raise SystemExit(f"BART vocabulary has {len(vocab)} tokens, not {BART_VOCAB}")
    return vocab, merges


def one_token_english_words(corpus: Path) -> set[str]:
    """English corpus words that the BART vocabulary holds as one token (after a space)."""
    from tokenizers import ByteLevelBPETokenizer

    vocab, merges = bart_vocabulary(corpus)
    bpe = ByteLevelBPETokenizer(vocab, [tuple(m.split(" ")) for m in merges])
    words = words_by_frequency(english_lines(corpus))
    encoded = bpe.encode_batch([f" {w}" for w in words])
    return {w for w, e in zip(words, encoded, strict=True) if len(e.ids) == 1}


def build_bart(folder: Path, corpus: Path) -> Path:
    """A random-weight BART laid out and sized like sshleifer/distilbart-cnn-12-6."""
    import torch
    from transformers import (
        AutoTokenizer,
        BartConfig,
        BartForConditionalGeneration,
        GenerationConfig,
    )

    vocab, merges = bart_vocabulary(corpus)
    folder.mkdir(parents=True)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "merges.txt").write_text(
        "#version: 0.2\n" + "".join(f"{m}\n" for m in merges), encoding="utf-8"
    )
    (folder / "tokenizer_config.json").write_text(json.dumps({"model_max_length": BART_POSITIONS}))
    summarization = {
        "early_stopping": True,
        "length_penalty": 2.0,
        "max_length": 142,
        "min_length": 56,
        "no_repeat_ngram_size": 3,
        "num_beams": 4,
    }
    config = BartConfig(
        vocab_size=BART_VOCAB,
        d_model=1024,
        encoder_layers=12,
        decoder_layers=6,
        encoder_attention_heads=16,
        decoder_attention_heads=16,
        encoder_ffn_dim=4096,
        decoder_ffn_dim=4096,
        activation_function="gelu",
        max_position_embeddings=BART_POSITIONS,
        scale_embedding=False,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        architectures=["BartForConditionalGeneration"],
        task_specific_params={"summarization": summarization},
        # ctranslate2's BART converter reads these; transformers 5 no longer writes them.
        normalize_before=False,
        normalize_embedding=True,
        add_final_layer_norm=False,
        static_position_embeddings=False,
    )
    torch.manual_seed(SEED + 1)
    model = BartForConditionalGeneration(config).eval()
    model.generation_config = GenerationConfig(
        bos_token_id=0,
        decoder_start_token_id=2,
        eos_token_id=2,
        pad_token_id=1,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        **summarization,
    )
    model.save_pretrained(folder)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    if len(tokenizer) != BART_VOCAB:
        raise SystemExit(f"BART tokenizer has {len(tokenizer)} tokens, expected {BART_VOCAB}")
    return folder


# -- building on demand ------------------------------------------------------------------

BUILDERS = {MARIAN_NAME: build_marian, BART_NAME: build_bart}


def _stamp(out: Path, name: str) -> Path:
    # Beside the folder, not in it: the checkpoint holds only what a Hub checkpoint would.
    return out / f"{name}.build.json"


def ensure_models(
    corpus: Path = DEFAULT_CORPUS, out: Path = DEFAULT_OUT, *, rebuild: bool = False
) -> dict[str, Path]:
    """Build the missing (or stale) checkpoints; returns their folders by name."""
    out.mkdir(parents=True, exist_ok=True)
    folders: dict[str, Path] = {}
    for name, build in BUILDERS.items():
        folder, stamp = out / name, _stamp(out, name)
        current = stamp.is_file() and json.loads(stamp.read_text()).get("version") == BUILD_VERSION
        if rebuild or not current or not folder.is_dir():
            print(f"building {name} (random weights, real size) ...", file=sys.stderr)
            start = time.perf_counter()
            # Built beside and renamed, so an interrupted build never looks complete.
            partial = out / f".{name}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            build(partial, corpus)
            shutil.rmtree(folder, ignore_errors=True)
            partial.rename(folder)
            info: dict[str, Any] = {
                "version": BUILD_VERSION,
                "seconds": round(time.perf_counter() - start, 1),
                "bytes": sum(f.stat().st_size for f in folder.iterdir()),
            }
            stamp.write_text(json.dumps(info))
            print(f"  built in {info['seconds']} s, {info['bytes'] / 1e6:.0f} MB", file=sys.stderr)
        folders[name] = folder
    return folders


def main(argv: list[str] | None = None) -> int:
    """Build the real-size random-weight checkpoints."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--rebuild", action="store_true", help="rebuild even if present")
    args = parser.parse_args(argv)
    if not (args.corpus / "parallel").is_dir():
        print(f"corpus not found at {args.corpus} (pass --corpus PATH)", file=sys.stderr)
        return 2
    for name, folder in ensure_models(args.corpus, args.out, rebuild=args.rebuild).items():
        print(f"{name}\t{folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
