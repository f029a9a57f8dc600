"""Build tiny random-weight models in the real checkpoint formats, offline, in about a second.

The tokenizers are trained here on a little text, so the files are exactly what a Hub
checkpoint ships: Marian (source.spm/target.spm/vocab.json), BART (byte-level BPE
vocab.json/merges.txt) and T5 (spiece.model). Weights are random: outputs are gibberish,
so tests check the flow, the bookkeeping and the formats, never the words.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED_ARTICLE = REPO / "examples" / "articles" / "maluku-kumkm.txt"

# Written for these fixtures: enough English to train a small tokenizer.
ENGLISH = """\
The regional secretary opened a coordination meeting on cooperatives and small businesses.
The meeting took place on the fifth floor of a hotel in Ambon on Wednesday.
Officials from the ministry and the provincial government attended the two-day event.
The government supports training, business capital and product exhibitions.
Cooperatives can reduce poverty by creating jobs and raising incomes in the region.
He hoped that the agencies would carry out their duties to develop small enterprises.
The industrial revolution is both an opportunity and a challenge for entrepreneurs.
Police said the car carrying illegal cigarettes crashed after a chase early on Saturday.
The fire broke out at the bus depot in West Jakarta on Tuesday afternoon.
Prices of rice and cooking oil rose by 2.5 percent in March, the statistics agency said.
The president will visit the province next week to open a new port and a toll road.
Residents were asked to stay calm and to follow official information about the quake.
"""


# The dimensions of every tiny Marian/BART/M2M100 fixture: small enough to build in ~1 s.
TINY_SEQ2SEQ = {
    "d_model": 16,
    "encoder_layers": 1,
    "decoder_layers": 1,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 32,
    "decoder_ffn_dim": 32,
}


def _sentences(text: str) -> list[str]:
    return [line.strip() for line in text.replace(". ", ".\n").splitlines() if line.strip()]


def _train_sentencepiece(lines: list[str], vocab_size: int, **ids: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        minloglevel=2,
        **ids,
    )
    return model.getvalue()


def _save(model, folder: Path, **generation) -> Path:
    from transformers import GenerationConfig

    # Random weights tend to repeat one token or stop at once; these keep outputs varied.
    model.generation_config = GenerationConfig(**generation)
    model.save_pretrained(folder)
    return folder


def _stop_sometimes(model, eos_id: int) -> None:
    """Bias the final logits towards end-of-sequence so outputs end at varied lengths.

    With the default tiny init the logits are nearly flat and greedy search never stops
    before max_new_tokens; wider weights plus this bias give real-looking lengths.
    """
    import torch

    with torch.no_grad():
        model.final_logits_bias[0, eos_id] = 2.3


def build_marian(folder: Path, *, max_positions: int = 256) -> Path:
    """A MarianMT id->en model laid out like Helsinki-NLP/opus-mt-id-en."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    folder.mkdir(parents=True, exist_ok=True)
    indonesian = _sentences(SEED_ARTICLE.read_text(encoding="utf-8"))
    english = _sentences(ENGLISH)
    unk_only = {"unk_id": 0, "bos_id": -1, "eos_id": -1, "pad_id": -1}
    (folder / "source.spm").write_bytes(_train_sentencepiece(indonesian, 400, **unk_only))
    (folder / "target.spm").write_bytes(_train_sentencepiece(english, 300, **unk_only))

    import sentencepiece as spm

    vocab = {"</s>": 0, "<unk>": 1}
    for name in ("source.spm", "target.spm"):
        processor = spm.SentencePieceProcessor(model_file=str(folder / name))
        for i in range(processor.get_piece_size()):
            vocab.setdefault(processor.id_to_piece(i), len(vocab))
    pad = len(vocab)  # the Opus layout: </s>=0, <unk>=1, the pieces, then <pad> last
    vocab["<pad>"] = pad
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(
        json.dumps({"source_lang": "id", "target_lang": "en", "model_max_length": max_positions})
    )
    config = MarianConfig(
        vocab_size=pad + 1,
        **TINY_SEQ2SEQ,
        max_position_embeddings=max_positions,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        init_std=0.3,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    _stop_sometimes(model, eos_id=0)
    return _save(
        model,
        folder,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        num_beams=4,
        max_length=max_positions,
        min_new_tokens=3,
        no_repeat_ngram_size=2,
        bad_words_ids=[[1], [pad]],
    )


def build_bart(folder: Path, *, max_positions: int = 256) -> Path:
    """A BART summarizer laid out like sshleifer/distilbart-cnn-12-6 (no tokenizer.json)."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration

    folder.mkdir(parents=True, exist_ok=True)
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        _sentences(ENGLISH),
        vocab_size=400,
        min_frequency=1,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        show_progress=False,
    )
    bpe.save_model(str(folder))
    (folder / "tokenizer_config.json").write_text(json.dumps({"model_max_length": max_positions}))
    config = BartConfig(
        vocab_size=bpe.get_vocab_size(),
        **TINY_SEQ2SEQ,
        max_position_embeddings=max_positions,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        init_std=0.3,
    )
    torch.manual_seed(0)
    model = BartForConditionalGeneration(config)
    _stop_sometimes(model, eos_id=2)
    return _save(
        model,
        folder,
        decoder_start_token_id=2,
        bos_token_id=0,
        eos_token_id=2,
        pad_token_id=1,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        num_beams=4,
        length_penalty=2.0,
        max_length=60,
        min_length=10,
        no_repeat_ngram_size=3,
        bad_words_ids=[[3]],
    )


def build_t5(folder: Path) -> Path:
    """A T5 summarizer (spiece.model, relative positions, "summarize: " task prefix)."""
    import torch
    from transformers import T5Config, T5ForConditionalGeneration

    folder.mkdir(parents=True, exist_ok=True)
    model_bytes = _train_sentencepiece(
        _sentences(ENGLISH), 300, pad_id=0, eos_id=1, unk_id=2, bos_id=-1
    )
    (folder / "spiece.model").write_bytes(model_bytes)
    (folder / "tokenizer_config.json").write_text(
        json.dumps({"model_max_length": 4096, "extra_ids": 0})
    )
    import sentencepiece as spm

    vocab_size = spm.SentencePieceProcessor(model_proto=model_bytes).get_piece_size()
    config = T5Config(
        vocab_size=vocab_size,
        d_model=16,
        d_kv=8,
        d_ff=32,
        num_layers=1,
        num_decoder_layers=1,
        num_heads=2,
        decoder_start_token_id=0,
        pad_token_id=0,
        eos_token_id=1,
        task_specific_params={"summarization": {"prefix": "summarize: "}},
    )
    torch.manual_seed(0)
    return _save(
        T5ForConditionalGeneration(config),
        folder,
        decoder_start_token_id=0,
        pad_token_id=0,
        eos_token_id=1,
        no_repeat_ngram_size=2,
        bad_words_ids=[[2]],
    )


def build_m2m(folder: Path) -> Path:
    """An M2M100 many-to-many translator (sentencepiece.bpe.model + vocab.json, language
    tokens such as __id__/__en__), laid out like facebook/m2m100_418M."""
    import sentencepiece as spm
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    lines = _sentences(SEED_ARTICLE.read_text(encoding="utf-8")) + _sentences(ENGLISH)
    model_file = folder / "sentencepiece.bpe.model"
    model_file.write_bytes(_train_sentencepiece(lines, 500, unk_id=3, bos_id=0, eos_id=2, pad_id=1))
    processor = spm.SentencePieceProcessor(model_file=str(model_file))
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for i in range(processor.get_piece_size()):
        vocab.setdefault(processor.id_to_piece(i), len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = M2M100Tokenizer(
        vocab_file=str(folder / "vocab.json"),
        spm_file=str(model_file),
        src_lang="id",
        tgt_lang="en",
    )
    tokenizer.save_pretrained(folder)
    # Language tokens follow the vocabulary, then eight "madeup" words, as in M2M100.
    vocab_size = max(tokenizer.lang_code_to_id.values()) + 1 + 8
    config = M2M100Config(
        vocab_size=vocab_size,
        **TINY_SEQ2SEQ,
        max_position_embeddings=256,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
    )
    torch.manual_seed(0)
    return _save(
        M2M100ForConditionalGeneration(config),
        folder,
        decoder_start_token_id=2,
        bos_token_id=0,
        eos_token_id=2,
        pad_token_id=1,
        no_repeat_ngram_size=2,
    )


# ChatML, as Qwen2.5-Instruct writes it.
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def build_chat(folder: Path) -> Path:
    """A Qwen2 chat model with a byte-level BPE tokenizer.json and a ChatML chat template."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    folder.mkdir(parents=True, exist_ok=True)
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(_sentences(ENGLISH), trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        chat_template=CHAT_TEMPLATE,
        model_max_length=2048,
    )
    tokenizer.save_pretrained(folder)
    end, pad = bpe.token_to_id("<|im_end|>"), bpe.token_to_id("<|endoftext|>")
    config = Qwen2Config(
        vocab_size=bpe.get_vocab_size(),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=2048,
        eos_token_id=end,
        pad_token_id=pad,
        tie_word_embeddings=True,
    )
    torch.manual_seed(0)
    return _save(
        Qwen2ForCausalLM(config),
        folder,
        eos_token_id=[end, pad],
        pad_token_id=pad,
        do_sample=False,
        no_repeat_ngram_size=2,
    )


def build_all(root: Path) -> dict[str, Path]:
    """Build every tiny model under ``root``; returns their folders by name."""
    return {
        "marian": build_marian(root / "tiny-marian-id-en"),
        "bart": build_bart(root / "tiny-bart"),
        "t5": build_t5(root / "tiny-t5"),
        "chat": build_chat(root / "tiny-chat"),
        "m2m": build_m2m(root / "tiny-m2m"),
    }
