"""The two default models' Hub repos, laid out as they are on huggingface.co, with tiny weights.

What is real: repo names, file names and which revision holds which files (``main`` has only the
pickled ``pytorch_model.bin`` beside TensorFlow/Flax/Rust weights; ``model.safetensors`` exists
only on the safetensors-conversion pull requests: ``refs/pr/1`` and ``refs/pr/2`` of
opus-mt-id-en, ``refs/pr/13`` and ``refs/pr/18`` of distilbart-cnn-12-6, whose other pull
requests change only the model card), commit titles, ``.gitattributes``, ``tokenizer_config.json``
(42 and 26 bytes), and every config and generation setting (distilbart: beam 4, length penalty
2.0, no-repeat-ngram 3, 56 to 142 tokens, in ``config.json`` and no ``generation_config.json``;
opus-mt: beam 6, at most 512 tokens, ``<pad>`` banned). Seen on the Hub's file and discussion
pages in 2024-2025.

What is not: the weights are the tiny random models ``tiny_models.py`` builds (with the real
position limits, 512 and 1024), so the configs carry tiny dimensions (``d_model``, layers, heads,
vocabulary size and the ids that depend on it); the pickle is written by the installed torch.
The TensorFlow, Flax and Rust files are placeholders with their formats' magic bytes: ringkas
must never download them, and tests check that it does not.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

from hub_server import Repo

TRANSLATOR = "Helsinki-NLP/opus-mt-id-en"
SUMMARIZER = "sshleifer/distilbart-cnn-12-6"

# Keys whose values follow the (tiny) weights rather than the real model.
_SHAPE_KEYS = (
    "d_model",
    "encoder_layers",
    "decoder_layers",
    "encoder_attention_heads",
    "decoder_attention_heads",
    "encoder_ffn_dim",
    "decoder_ffn_dim",
    "vocab_size",
    "max_position_embeddings",
)

_LABELS = {"id2label": {"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"}}
_LABELS["label2id"] = {v: int(k) for k, v in _LABELS["id2label"].items()}  # type: ignore[misc]

OPUS_MT_CONFIG: dict[str, Any] = {
    "_name_or_path": "/tmp/Helsinki-NLP/opus-mt-id-en",
    "_num_labels": 3,
    "activation_dropout": 0.0,
    "activation_function": "swish",
    "add_bias_logits": False,
    "add_final_layer_norm": False,
    "architectures": ["MarianMTModel"],
    "attention_dropout": 0.0,
    "bad_words_ids": [[54795]],
    "bos_token_id": 0,
    "classif_dropout": 0.0,
    "classifier_dropout": 0.0,
    "d_model": 512,
    "decoder_attention_heads": 8,
    "decoder_ffn_dim": 2048,
    "decoder_layerdrop": 0.0,
    "decoder_layers": 6,
    "decoder_start_token_id": 54795,
    "decoder_vocab_size": 54796,
    "dropout": 0.1,
    "encoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "encoder_layerdrop": 0.0,
    "encoder_layers": 6,
    "eos_token_id": 0,
    "forced_eos_token_id": 0,
    "gradient_checkpointing": False,
    **_LABELS,
    "init_std": 0.02,
    "is_encoder_decoder": True,
    "max_length": 512,
    "max_position_embeddings": 512,
    "model_type": "marian",
    "normalize_before": False,
    "normalize_embedding": False,
    "num_beams": 6,
    "num_hidden_layers": 6,
    "pad_token_id": 54795,
    "scale_embedding": True,
    "share_encoder_decoder_embeddings": True,
    "static_position_embeddings": True,
    "transformers_version": "4.22.0.dev0",
    "use_cache": True,
    "vocab_size": 54796,
}

OPUS_MT_GENERATION: dict[str, Any] = {
    "_from_model_config": True,
    "bad_words_ids": [[54795]],
    "bos_token_id": 0,
    "decoder_start_token_id": 54795,
    "eos_token_id": 0,
    "forced_eos_token_id": 0,
    "max_length": 512,
    "num_beams": 6,
    "pad_token_id": 54795,
    "transformers_version": "4.27.0.dev0",
}

_DISTILBART_GENERATION = {
    "early_stopping": True,
    "length_penalty": 2.0,
    "max_length": 142,
    "min_length": 56,
    "no_repeat_ngram_size": 3,
    "num_beams": 4,
}

DISTILBART_CONFIG: dict[str, Any] = {
    "_num_labels": 3,
    "activation_dropout": 0.0,
    "activation_function": "gelu",
    "add_bias_logits": False,
    "add_final_layer_norm": False,
    "architectures": ["BartForConditionalGeneration"],
    "attention_dropout": 0.0,
    "bos_token_id": 0,
    "classif_dropout": 0.0,
    "classifier_dropout": 0.0,
    "d_model": 1024,
    "decoder_attention_heads": 16,
    "decoder_ffn_dim": 4096,
    "decoder_layerdrop": 0.0,
    "decoder_layers": 6,
    "decoder_start_token_id": 2,
    "dropout": 0.1,
    "encoder_attention_heads": 16,
    "encoder_ffn_dim": 4096,
    "encoder_layerdrop": 0.0,
    "encoder_layers": 12,
    "eos_token_id": 2,
    "extra_pos_embeddings": 2,
    "force_bos_token_to_be_generated": True,
    "forced_bos_token_id": 0,
    "forced_eos_token_id": 2,
    "gradient_checkpointing": False,
    **_LABELS,
    "init_std": 0.02,
    "is_encoder_decoder": True,
    "max_position_embeddings": 1024,
    "model_type": "bart",
    "normalize_before": False,
    "normalize_embedding": True,
    "num_hidden_layers": 12,
    "output_past": True,
    "pad_token_id": 1,
    "prefix": " ",
    "replacing_rate": 0,
    "scale_embedding": False,
    "static_position_embeddings": False,
    "student_decoder_layers": None,
    "student_encoder_layers": None,
    "task_specific_params": {"summarization": dict(_DISTILBART_GENERATION)},
    "transformers_version": "4.7.0.dev0",
    "use_cache": True,
    "vocab_size": 50264,
    **_DISTILBART_GENERATION,
}

GITATTRIBUTES = """\
*.bin.* filter=lfs diff=lfs merge=lfs -text
*.lfs.* filter=lfs diff=lfs merge=lfs -text
*.bin filter=lfs diff=lfs merge=lfs -text
*.h5 filter=lfs diff=lfs merge=lfs -text
*.tflite filter=lfs diff=lfs merge=lfs -text
*.tar.gz filter=lfs diff=lfs merge=lfs -text
*.ot filter=lfs diff=lfs merge=lfs -text
*.onnx filter=lfs diff=lfs merge=lfs -text
*.msgpack filter=lfs diff=lfs merge=lfs -text
"""
SAFETENSORS_GITATTRIBUTES = (
    GITATTRIBUTES + "model.safetensors filter=lfs diff=lfs merge=lfs -text\n"
)
SAFETENSORS_PR = "Adding `safetensors` variant of this model"


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()


def _real_config(real: dict[str, Any], tiny_folder: Path, **ids: Any) -> dict[str, Any]:
    tiny = json.loads((tiny_folder / "config.json").read_text("utf-8"))
    config = dict(real)
    for key in _SHAPE_KEYS:
        config[key] = tiny[key]
    if "num_hidden_layers" in config:
        config["num_hidden_layers"] = tiny["encoder_layers"]
    config.update(ids)
    return config


def _placeholder(magic: bytes, size: int, name: str) -> bytes:
    """Bytes standing in for a weight format ringkas never reads (never a real model)."""
    filler = hashlib.sha256(name.encode()).digest() * (size // 32 + 1)
    return (magic + filler)[:size]


def pickled_weights(folder: Path) -> bytes:
    """The model's weights as a legacy pickled ``pytorch_model.bin`` (torch.save of the
    state dict, tied embeddings sharing one storage), as the 2020 uploads are."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    model = AutoModelForSeq2SeqLM.from_pretrained(folder)
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer, _use_new_zipfile_serialization=False)
    return buffer.getvalue()


def opus_mt_id_en(folder: Path) -> Repo:
    """Helsinki-NLP/opus-mt-id-en from a tiny Marian built with 512 positions."""
    tiny = json.loads((folder / "config.json").read_text("utf-8"))
    pad = tiny["pad_token_id"]
    ids = {
        "pad_token_id": pad,
        "decoder_start_token_id": pad,
        "decoder_vocab_size": tiny["vocab_size"],
        "bad_words_ids": [[pad]],
    }
    config = _real_config(OPUS_MT_CONFIG, folder, **ids)
    generation = {**OPUS_MT_GENERATION, **{k: v for k, v in ids.items() if k in OPUS_MT_GENERATION}}
    weights = pickled_weights(folder)
    repo = Repo(
        TRANSLATOR,
        card={"pipeline_tag": "translation", "tags": ["transformers", "pytorch", "tf", "marian"]},
    )
    repo.commit("main", "initial commit", add={".gitattributes": GITATTRIBUTES.encode()})
    readme = (
        "---\ntags:\n- translation\nlicense: apache-2.0\n---\n\n### opus-mt-id-en\n\n"
        "* source languages: id\n* target languages: en\n* OPUS readme: [id-en]\n"
    )
    repo.commit(
        "main",
        "Update pytorch_model.bin",
        add={
            "README.md": readme.encode(),
            "config.json": _json(config),
            "pytorch_model.bin": weights,
            "source.spm": (folder / "source.spm").read_bytes(),
            "target.spm": (folder / "target.spm").read_bytes(),
            "tokenizer_config.json": b'{"target_lang": "en", "source_lang": "id"}',
            "vocab.json": (folder / "vocab.json").read_bytes(),
        },
        date="2020-08-19T00:03:59.000Z",
    )
    repo.commit(
        "main",
        "Add TF weights",
        add={"tf_model.h5": _placeholder(b"\x89HDF\r\n\x1a\n", len(weights), "tf")},
        date="2022-09-05T10:00:00.000Z",
    )
    repo.commit(
        "main",
        "Adding generation config file(s)",
        add={"generation_config.json": _json(generation)},
        date="2023-01-24T16:37:00.000Z",
    )
    safetensors = {
        ".gitattributes": SAFETENSORS_GITATTRIBUTES.encode(),
        "model.safetensors": (folder / "model.safetensors").read_bytes(),
    }
    main = repo.branches["main"]
    repo.commit(
        "refs/pr/1", SAFETENSORS_PR, add=safetensors, parent=main, date="2023-03-16T12:00:00.000Z"
    )
    repo.commit(
        "refs/pr/2", SAFETENSORS_PR, add=safetensors, parent=main, date="2024-02-20T12:00:00.000Z"
    )
    return repo


def distilbart_cnn_12_6(folder: Path) -> Repo:
    """sshleifer/distilbart-cnn-12-6 from a tiny BART built with 1024 positions."""
    config = _real_config(DISTILBART_CONFIG, folder)
    weights = pickled_weights(folder)
    repo = Repo(
        SUMMARIZER,
        card={
            "pipeline_tag": "summarization",
            "tags": ["transformers", "pytorch", "jax", "rust", "bart"],
        },
    )
    repo.commit("main", "initial commit", add={".gitattributes": GITATTRIBUTES.encode()})
    readme = (
        "---\nlanguage: en\ntags:\n- summarization\nlicense: apache-2.0\ndatasets:\n"
        "- cnn_dailymail\n- xsum\n"
        "thumbnail: https://huggingface.co/front/thumbnails/distilbart_medium.png\n---\n\n"
        "### Usage\n\nThis checkpoint should be loaded into "
        "`BartForConditionalGeneration.from_pretrained`.\n"
    )
    repo.commit(
        "main",
        "Update pytorch_model.bin",
        add={
            "README.md": readme.encode(),
            "config.json": _json(config),
            "merges.txt": (folder / "merges.txt").read_bytes(),
            "pytorch_model.bin": weights,
            "tokenizer_config.json": b'{"model_max_length": 1024}',
            "vocab.json": (folder / "vocab.json").read_bytes(),
        },
        date="2020-08-18T00:00:00.000Z",
    )
    repo.commit(
        "main",
        "addition of Rust model",
        add={"rust_model.ot": _placeholder(b"PK\x03\x04", len(weights) * 4 // 3, "rust")},
        date="2020-11-19T00:00:00.000Z",
    )
    repo.commit(
        "main",
        "Update config for new versions",
        add={"config.json": _json(config)},
        date="2021-03-24T00:00:00.000Z",
    )
    repo.commit(
        "main",
        "add flax model",
        add={"flax_model.msgpack": _placeholder(b"\xde\x00\x02", len(weights), "flax")},
        date="2021-06-14T00:00:00.000Z",
    )
    main = repo.branches["main"]
    card_edits = {
        2: "Addition of paper link",
        3: "Add evaluation results on the 3.0.0 config of cnn_dailymail",
        5: "Add evaluation results on the default config of xsum",
        7: "Add evaluation results on the default config of xsum",
        8: "Add evaluation results on the default config of xsum",
    }
    for number, title in card_edits.items():
        repo.commit(
            f"refs/pr/{number}",
            title,
            add={"README.md": readme.encode() + f"\n<!-- {title} -->\n".encode()},
            parent=main,
            date=f"2022-0{min(number, 9)}-01T00:00:00.000Z",
        )
    safetensors = {
        ".gitattributes": SAFETENSORS_GITATTRIBUTES.encode(),
        "model.safetensors": (folder / "model.safetensors").read_bytes(),
    }
    repo.commit(
        "refs/pr/13", SAFETENSORS_PR, add=safetensors, parent=main, date="2023-03-17T12:00:00.000Z"
    )
    repo.commit(
        "refs/pr/18", SAFETENSORS_PR, add=safetensors, parent=main, date="2024-12-09T12:00:00.000Z"
    )
    return repo


def build_tiny_hub_models(root: Path) -> dict[str, Path]:
    """Tiny Marian and BART checkpoints with the real models' position limits."""
    from tiny_models import build_bart, build_marian

    return {
        TRANSLATOR: build_marian(root / "opus-mt-id-en", max_positions=512),
        SUMMARIZER: build_bart(root / "distilbart-cnn-12-6", max_positions=1024),
    }


def default_repos(models: dict[str, Path]) -> list[Repo]:
    """Fresh copies of both default repos (tests may commit to them or move refs)."""
    return [opus_mt_id_en(models[TRANSLATOR]), distilbart_cnn_12_6(models[SUMMARIZER])]
