"""The torch engine: transformers Auto classes and ``generate()``."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ringkas.errors import ModelUnavailableError, UsageError
from ringkas.models.custom_code import never_prompt_for_code, refuse_custom_code
from ringkas.models.engine import Decoding, Generated, input_limit, summarization_prefix

# Multilingual translators name languages by special tokens: NLLB by FLORES-200 codes,
# M2M100 by "__xx__".
_NLLB_CODES = {"id": "ind_Latn", "en": "eng_Latn"}


def quiet_transformers() -> None:
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    never_prompt_for_code()


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


def open_torch(
    folder: Path,
    name: str,
    auto_class: str,
    *,
    device: str,
    compute_type: str,
    threads: int | None,
) -> tuple[Any, Any, Any, str, str]:
    """Config, tokenizer and model (safetensors only) of a checkpoint, ready on its device:
    (config, tokenizer, model, device, compute type)."""
    import torch
    import transformers

    refuse_custom_code(folder, name)
    quiet_transformers()
    if threads:
        torch.set_num_threads(threads)
    device = resolve_device(device)
    compute_type = torch_compute_type(compute_type, device)
    try:
        config = transformers.AutoConfig.from_pretrained(folder, trust_remote_code=False)
        tokenizer = transformers.AutoTokenizer.from_pretrained(folder, trust_remote_code=False)
        model = getattr(transformers, auto_class).from_pretrained(
            folder, use_safetensors=True, trust_remote_code=False
        )
    except (OSError, ValueError, KeyError) as exc:
        kind = "a chat model" if "Causal" in auto_class else "an encoder-decoder model"
        raise ModelUnavailableError(
            f"model {name!r} could not be loaded as {kind}: {exc}",
            hint="ringkas takes seq2seq checkpoints (Marian, M2M/NLLB, BART, PEGASUS, T5) "
            "and chat models with a chat template",
        ) from exc
    model = model.to(device).eval()
    if compute_type == "float16":
        model = model.half()
    elif compute_type == "int8":
        # Dynamic int8 quantisation of the linear layers (CPU only), done in place.
        # torch deprecates this API in favour of torchao; it still works, so keep the
        # user's terminal free of its warnings.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.ao.quantization.quantize_dynamic(
                model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
            )
    return config, tokenizer, model, device, compute_type


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
        self.name = name
        self.config, self.tokenizer, self.model, self.device, self.compute_type = open_torch(
            folder,
            name,
            "AutoModelForSeq2SeqLM",
            device=device,
            compute_type=compute_type,
            threads=threads,
        )
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

    def _token_id(self, token: str) -> int | None:
        """The id of a (language) token, or None when the tokenizer does not know it."""
        get_lang_id = getattr(self.tokenizer, "get_lang_id", None)
        if get_lang_id is not None and token.startswith("__") and token.endswith("__"):
            try:
                return int(get_lang_id(token.strip("_")))  # M2M100 keeps them outside its vocab
            except KeyError:
                return None
        found = self.tokenizer.convert_tokens_to_ids(token)
        return None if found in (None, self.tokenizer.unk_token_id) else int(found)

    def set_languages(self, source: str, target: str) -> None:
        nllb = self._token_id(_NLLB_CODES.get(target, target))
        m2m = self._token_id(f"__{target}__")
        if nllb is not None:
            self.tokenizer.src_lang = _NLLB_CODES.get(source, source)
            self._forced_bos = nllb
        elif m2m is not None:
            self.tokenizer.src_lang = source
            self._forced_bos = m2m

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

    def generate_batches(
        self, batches: Sequence[tuple[Sequence[str], Decoding]]
    ) -> list[list[Generated]]:
        return [self.generate(texts, decoding) for texts, decoding in batches]

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
        if self._forced_bos is not None:  # the target-language token of M2M100/NLLB
            special.add(self._forced_bos)
            # M2M100 keeps its language tokens outside the special tokens: none is text.
            special.update(getattr(self.tokenizer, "lang_token_to_id", {}).values())
        results = []
        for index, ids in enumerate(output.tolist()):
            content = [i for i in ids if i not in special]
            if decoding.keep is not None:
                content = content[: decoding.keep[index]]
            text = str(self.tokenizer.decode(content, skip_special_tokens=True))
            results.append(Generated(text=" ".join(text.split()), tokens=len(content)))
        return results
