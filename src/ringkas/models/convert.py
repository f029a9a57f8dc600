"""Convert a transformers checkpoint into a self-describing CTranslate2 folder.

Conversion needs torch and transformers; using the result needs neither: the folder holds
the CTranslate2 model, the tokenizer files and ``ringkas.json``, which records everything
the engine must know (input limit, task prefix, forced first token, decoding defaults).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ringkas import stopping
from ringkas._version import __version__
from ringkas.errors import ModelUnavailableError
from ringkas.models.checkpoint import checkpoint_files
from ringkas.models.converted import INFO_FILE, INFO_FORMAT
from ringkas.models.custom_code import refuse_custom_code
from ringkas.models.engine import input_limit, summarization_prefix

QUANTIZATIONS = ("int8", "int8_float16", "float16", "float32")
_KEEP_FILES = ("generation_config.json",)


def _stage_checkpoint(folder: Path, files: list[Path], staged: Path) -> None:
    """Link the files the model needs into ``staged`` (configs, tokenizer files, safetensors
    weights by their standard names: see :mod:`ringkas.models.checkpoint`), so that nothing
    else in the folder (pickled .bin files, Python files, decoys) can be loaded by accident;
    config.json is patched for the converter.

    ctranslate2's BART loader reads two config keys that configs written by transformers 5
    no longer carry; their values for BART are fixed by the architecture.
    """
    staged.mkdir()
    for item in files:
        if item.name != "config.json":
            (staged / item.name).symlink_to(item.resolve())
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") in ("bart", "mbart"):
        config.setdefault("normalize_before", config.get("model_type") == "mbart")
        config.setdefault("normalize_embedding", True)
    (staged / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")


class _Probe:
    system = "You are a test."
    user = "Say yes."
    text = "Say yes."


def _ct2_target_vocabulary(out: Path) -> set[str]:
    for name in ("shared_vocabulary", "target_vocabulary", "vocabulary"):
        if (out / f"{name}.json").is_file():
            return set(json.loads((out / f"{name}.json").read_text("utf-8")))
        if (out / f"{name}.txt").is_file():
            return set((out / f"{name}.txt").read_text("utf-8").splitlines())
    return set()


def _language_style(tokenizer: Any, vocab: dict[str, int]) -> str | None:
    """How a multilingual translator names languages: NLLB codes or M2M100's __xx__."""
    if "eng_Latn" in vocab:
        return "nllb"
    get_lang_id = getattr(tokenizer, "get_lang_id", None)  # M2M100 keeps them outside vocab
    if "__en__" in vocab or get_lang_id is not None:
        return "m2m"
    return None


def _describe(folder: Path, out: Path, tokenizer: Any, quantization: str) -> dict[str, Any]:
    """What the CTranslate2 engine needs to know about the model, from its configs."""
    from transformers import AutoConfig, GenerationConfig

    config = AutoConfig.from_pretrained(folder, trust_remote_code=False)
    try:
        generation = GenerationConfig.from_pretrained(folder)
    except OSError:
        generation = GenerationConfig.from_model_config(config)
    vocab = tokenizer.get_vocab()
    causal = not getattr(config, "is_encoder_decoder", False)
    languages = _language_style(tokenizer, vocab)
    decoder_prefix: list[str] = []
    forced_bos = generation.forced_bos_token_id
    if forced_bos is not None and languages is None and not causal:
        decoder_prefix = [tokenizer.convert_ids_to_tokens(forced_bos)]
    # CTranslate2 refuses tokens outside its vocabulary (its Marian loader drops <pad>).
    known = _ct2_target_vocabulary(out)
    banned = [tokenizer.convert_ids_to_tokens(list(ids)) for ids in generation.bad_words_ids or []]
    suppress = [tokens for tokens in banned if all(t in known for t in tokens)]
    eos_ids = generation.eos_token_id
    eos_ids = eos_ids if isinstance(eos_ids, list) else [eos_ids] if eos_ids is not None else []
    return {
        "format": INFO_FORMAT,
        "ringkas_version": __version__,
        "kind": "causal" if causal else "seq2seq",
        "model_type": config.model_type,
        "quantization": quantization,
        "tokenizer": _tokenizer_kind(out),
        "unk_token": tokenizer.unk_token,
        "max_input_tokens": input_limit(
            getattr(config, "max_position_embeddings", None),
            getattr(config, "n_positions", None),
            tokenizer.model_max_length,
        ),
        "task_prefixes": {
            "summarization": summarization_prefix(
                config.model_type, getattr(config, "task_specific_params", None)
            )
        },
        "decoder_prefix": decoder_prefix,
        "languages": languages,
        "eos_token": tokenizer.eos_token,
        "eos_tokens": [tokenizer.convert_ids_to_tokens(i) for i in eos_ids]
        or [tokenizer.eos_token],
        "bos_token": tokenizer.bos_token,
        "chat_template": getattr(tokenizer, "chat_template", None) if causal else None,
        # M2M100 keeps its language tokens (__en__, ...) outside the special tokens; none is text.
        "special_tokens": sorted(
            set(tokenizer.all_special_tokens) | set(getattr(tokenizer, "lang_token_to_id", {}))
        ),
        "generation": {
            "no_repeat_ngram_size": generation.no_repeat_ngram_size or 0,
            "length_penalty": generation.length_penalty if generation.length_penalty else 1.0,
            "repetition_penalty": generation.repetition_penalty or 1.0,
            "min_new_tokens": generation.min_new_tokens or 0,
            "suppress_sequences": suppress,
        },
    }


def _tokenizer_kind(out: Path) -> str:
    """Which of ringkas's own tokenizers reads the files ``save_pretrained`` wrote."""
    if (out / "source.spm").is_file():
        return "marian"
    if not (out / "tokenizer.json").is_file() and (out / "sentencepiece.bpe.model").is_file():
        return "sentencepiece"
    return "tokenizers"


def _id_order_vocabulary(model: Any, tokenizer: Any) -> list[str]:
    """Every token id's token, in id order; ids the tokenizer cannot name (M2M100's
    "madeup" padding words) get M2M100's own names for them."""
    tokens: list[str] = tokenizer.convert_ids_to_tokens(list(range(model.config.vocab_size)))
    madeup = 0
    for index, token in enumerate(tokens):
        if token is None or (token == tokenizer.unk_token and index != tokenizer.unk_token_id):
            tokens[index] = f"madeupword{madeup}"
            madeup += 1
    return tokens


def _fix_m2m100_vocabulary() -> None:
    """CTranslate2 finds M2M100's language tokens (__en__, ...) in the tokenizer's
    ``additional_special_tokens``, which transformers 5 no longer lists, and then fails
    with "vocabulary has size N but the model expected N+100". Where its vocabulary comes
    out short, use every id's token in id order instead."""
    from ctranslate2.converters import transformers as ct2_transformers

    loader = getattr(ct2_transformers, "M2M100Loader", None)
    if loader is None or getattr(loader, "_ringkas_fixed", False):
        return
    original = loader.get_vocabulary

    def get_vocabulary(self: Any, model: Any, tokenizer: Any) -> list[str]:
        tokens: list[str] = original(self, model, tokenizer)
        if len(tokens) == model.config.vocab_size:
            return tokens
        return _id_order_vocabulary(model, tokenizer)

    loader.get_vocabulary = get_vocabulary
    loader._ringkas_fixed = True


def _safe_converter_class() -> Any:
    """CTranslate2's converter, loading with ``trust_remote_code=False`` and safetensors
    only (its own loaders pass neither unless asked to trust code)."""
    from ctranslate2.converters import TransformersConverter

    class SafeConverter(TransformersConverter):
        def load_model(self, model_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
            kwargs.update(trust_remote_code=False, use_safetensors=True)
            return model_class.from_pretrained(model_name_or_path, **kwargs)

        def load_tokenizer(
            self, tokenizer_class: Any, model_name_or_path: str, **kwargs: Any
        ) -> Any:
            kwargs["trust_remote_code"] = False
            return tokenizer_class.from_pretrained(model_name_or_path, **kwargs)

    return SafeConverter


def convert_checkpoint(
    folder: Path, dest: Path, *, quantization: str = "int8", source: dict[str, Any]
) -> dict[str, Any]:
    """Convert ``folder`` into ``dest`` (created atomically); returns the recorded info."""
    from transformers import AutoTokenizer

    from ringkas.models.ct2_engine import wait_passively
    from ringkas.models.torch_engine import quiet_transformers

    if quantization not in QUANTIZATIONS:
        raise ValueError(f"quantization must be one of {', '.join(QUANTIZATIONS)}")
    label = str(source.get("name", folder))
    refuse_custom_code(folder, label)
    files = checkpoint_files(folder, label)  # refused here when there are no safetensors
    quiet_transformers()
    wait_passively()  # before ctranslate2 is first imported: the loads after conversion
    _fix_m2m100_vocabulary()
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Named after the entry: the next conversion of it removes what a killed one left; a
    # stop at once removes it too.
    with (
        tempfile.TemporaryDirectory(prefix=f".convert-{dest.name}-", dir=dest.parent) as tmp,
        stopping.temporary(Path(tmp)),
    ):
        staged, out = Path(tmp) / "checkpoint", Path(tmp) / "ct2"
        _stage_checkpoint(folder, files, staged)
        try:
            _safe_converter_class()(str(staged)).convert(
                str(out), quantization=quantization, force=True
            )
        except (ValueError, KeyError, NotImplementedError, AttributeError) as exc:
            raise ModelUnavailableError(
                f"{label} cannot be converted for CTranslate2: {exc}",
                hint="use --engine torch for this model",
            ) from exc
        # Everything below reads the staged files too, never the folder itself.
        tokenizer = AutoTokenizer.from_pretrained(staged, trust_remote_code=False)
        tokenizer.save_pretrained(out)
        for name in _KEEP_FILES:
            if (staged / name).is_file():
                shutil.copyfile(staged / name, out / name)
        info = _describe(staged, out, tokenizer, quantization)
        info["source"] = source
        (out / INFO_FILE).write_text(json.dumps(info, indent=2, ensure_ascii=False), "utf-8")
        _verify(out, label)
        if dest.exists():  # another process converted it meanwhile: keep theirs
            return info
        os.replace(out, dest)
    return info


def _verify(out: Path, name: str) -> None:
    """Load the converted model and generate a few tokens, so a broken folder is never cached."""
    from ringkas.models.engine import Decoding

    try:
        info = json.loads((out / INFO_FILE).read_text("utf-8"))
        if info["kind"] == "causal":
            from ringkas.models.ct2_causal import CT2Causal

            chat = CT2Causal(out, name, device="cpu", compute_type="auto", threads=1)
            chat.answer([_Probe()], Decoding(beam_size=1, max_new_tokens=4))
        else:
            from ringkas.models.ct2_engine import CT2Seq2Seq

            engine = CT2Seq2Seq(out, name, device="cpu", compute_type="auto", threads=1)
            engine.generate(["Tes."], Decoding(beam_size=1, max_new_tokens=4))
    except (RuntimeError, ValueError, KeyError, OSError) as exc:
        raise ModelUnavailableError(
            f"the CTranslate2 conversion of {name} does not work: {exc}",
            hint="use --engine torch for this model",
        ) from exc
