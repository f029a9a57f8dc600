"""The torch engine: transformers Auto classes and ``generate()``."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ringkas.errors import ModelUnavailableError, UsageError
from ringkas.models.engine import Decoding, Generated, input_limit, summarization_prefix

# Multilingual translators name languages by special tokens: NLLB by FLORES-200 codes,
# M2M100 by "__xx__".
_NLLB_CODES = {"id": "ind_Latn", "en": "eng_Latn"}


def quiet_transformers() -> None:
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()


def resolve_device(device: str) -> str:
    """Map 'auto' to 'cuda' when a GPU is usable, else 'cpu'."""
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def torch_compute_type(requested: str, device: str) -> str:
    if requested == "auto":
        return "float16" if device == "cuda" else "float32"
    if requested == "float16" and device != "cuda":
        raise UsageError(
            "the torch engine runs float16 only on a GPU", hint="use --compute-type float32"
        )
    if requested == "int8" and device != "cpu":
        raise UsageError(
            "the torch engine runs int8 only on the CPU", hint="use --compute-type float16"
        )
    if requested not in ("float32", "float16", "int8"):
        raise UsageError(
            f"the torch engine has no compute type {requested!r}",
            hint="use float32, float16 (GPU) or int8 (CPU)",
        )
    return requested


class TorchSeq2Seq:
    """An encoder-decoder checkpoint run with torch (the reference engine)."""

    engine = "torch"

    def __init__(
        self,
        folder: Path,
        name: str,
        *,
        device: str = "cpu",
        compute_type: str = "auto",
        threads: int | None = None,
    ) -> None:
        import torch
        from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

        quiet_transformers()
        if threads:
            torch.set_num_threads(threads)
        self.name = name
        self.device = resolve_device(device)
        try:
            self.config = AutoConfig.from_pretrained(folder)
            self.tokenizer = AutoTokenizer.from_pretrained(folder)
            model = AutoModelForSeq2SeqLM.from_pretrained(folder, use_safetensors=True)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelUnavailableError(
                f"model {name!r} could not be loaded as an encoder-decoder model: {exc}",
                hint="ringkas needs a seq2seq checkpoint (Marian, M2M/NLLB, BART, PEGASUS, T5)",
            ) from exc
        self.compute_type = torch_compute_type(compute_type, self.device)
        model = model.to(self.device).eval()
        if self.compute_type == "float16":
            model = model.half()
        elif self.compute_type == "int8":
            # Dynamic int8 quantisation of the linear layers (CPU only), done in place.
            # torch deprecates this API in favour of torchao; it still works, so keep the
            # user's terminal free of its warnings.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                torch.ao.quantization.quantize_dynamic(
                    model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
                )
        self.model = model
        self.model_type: str = self.config.model_type
        self.max_input_tokens = self._input_limit()
        self._forced_bos: int | None = None

    def _input_limit(self) -> int:
        return input_limit(
            getattr(self.config, "max_position_embeddings", None),
            getattr(self.config, "n_positions", None),
            self.tokenizer.model_max_length,
        )

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encoded = self.tokenizer(list(texts), add_special_tokens=True)["input_ids"]
        return [len(ids) for ids in encoded]

    def task_prefix(self, task: str) -> str:
        params = getattr(self.config, "task_specific_params", None)
        if task == "summarization":
            return summarization_prefix(self.model_type, params)
        return ""

    def set_languages(self, source: str, target: str) -> None:
        vocab = self.tokenizer.get_vocab()
        nllb_target = _NLLB_CODES.get(target, target)
        if nllb_target in vocab:
            self.tokenizer.src_lang = _NLLB_CODES.get(source, source)
            self._forced_bos = vocab[nllb_target]
        elif f"__{target}__" in vocab:
            self.tokenizer.src_lang = source
            self._forced_bos = vocab[f"__{target}__"]

    def _generation_config(self, decoding: Decoding) -> Any:
        config = copy.deepcopy(self.model.generation_config)
        # Clear the checkpoint's absolute lengths so max/min_new_tokens alone apply
        # (setting both makes transformers warn on every call).
        config.max_length = None
        config.min_length = 0
        config.max_new_tokens = decoding.max_new_tokens
        if decoding.min_new_tokens:
            config.min_new_tokens = decoding.min_new_tokens
        config.num_beams = decoding.beam_size
        config.do_sample = False
        if decoding.beam_size == 1:
            config.early_stopping = False
        if self._forced_bos is not None:
            config.forced_bos_token_id = self._forced_bos
        return config

    def generate(self, texts: Sequence[str], decoding: Decoding) -> list[Generated]:
        import torch

        if not texts:
            return []
        batch = self.tokenizer(list(texts), return_tensors="pt", padding=True)
        if batch["input_ids"].shape[1] > self.max_input_tokens:
            # Callers split input to fit; reaching here would mean silent truncation.
            raise ValueError(
                f"input of {batch['input_ids'].shape[1]} tokens exceeds {self.name}'s "
                f"limit of {self.max_input_tokens}"
            )
        batch = batch.to(self.device)
        with torch.inference_mode():
            output = self.model.generate(
                **batch, generation_config=self._generation_config(decoding)
            )
        special = set(self.tokenizer.all_special_ids)
        results = []
        for ids in output.tolist():
            content = [i for i in ids if i not in special]
            text = str(self.tokenizer.decode(content, skip_special_tokens=True))
            results.append(Generated(text=" ".join(text.split()), tokens=len(content)))
        return results
