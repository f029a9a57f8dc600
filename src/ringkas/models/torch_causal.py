"""Chat (causal) language models with torch: the prompt goes through the model's chat template."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ringkas.models.chat import Prompt, chat_text, messages, tokenizer_control_tokens
from ringkas.models.engine import Decoding, Generated, input_limit
from ringkas.models.torch_engine import open_torch


class TorchCausal:
    """An instruction-tuned causal LM (Qwen, Llama, Gemma...) run with transformers."""

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
            "AutoModelForCausalLM",
            device=device,
            compute_type=compute_type,
            threads=threads,
        )
        self.model_type: str = self.config.model_type
        self.control_tokens = tokenizer_control_tokens(self.tokenizer)
        self.max_input_tokens = input_limit(
            getattr(self.config, "max_position_embeddings", None),
            self.tokenizer.model_max_length,
        )

    def _text(self, prompt: Prompt) -> str:
        template = getattr(self.tokenizer, "chat_template", None)
        if not template:
            return f"{prompt.system}\n\n{prompt.user}\n"
        if isinstance(template, str):
            # Rendered like transformers does, under ringkas's sandbox limits.
            specials = {
                key: value
                for key, value in self.tokenizer.special_tokens_map.items()
                if isinstance(value, str)
            }
            return chat_text(template, prompt, model=self.name, **specials)
        from jinja2.exceptions import TemplateError

        try:
            chat = messages(prompt)
            return str(
                self.tokenizer.apply_chat_template(chat, add_generation_prompt=True, tokenize=False)
            )
        except TemplateError:  # templates without a system role
            chat = messages(prompt, system_role=False)
            return str(
                self.tokenizer.apply_chat_template(chat, add_generation_prompt=True, tokenize=False)
            )

    def prompt_tokens(self, prompts: Sequence[Prompt]) -> list[int]:
        texts = [self._text(p) for p in prompts]
        return [len(ids) for ids in self.tokenizer(texts, add_special_tokens=False)["input_ids"]]

    def answer(self, prompts: Sequence[Prompt], decoding: Decoding) -> list[Generated]:
        import torch

        answers = []
        for prompt in prompts:  # one at a time: no padding side to get wrong
            batch = self.tokenizer(
                self._text(prompt), return_tensors="pt", add_special_tokens=False
            )
            batch = batch.to(self.device)
            options = {
                "max_new_tokens": decoding.max_new_tokens,
                "num_beams": decoding.beam_size,
                "do_sample": False,
            }
            if decoding.min_new_tokens:
                options["min_new_tokens"] = decoding.min_new_tokens
            with torch.inference_mode():
                output = self.model.generate(**batch, **options)
            new = output[0][batch["input_ids"].shape[1] :].tolist()
            special = set(self.tokenizer.all_special_ids)
            content = [i for i in new if i not in special]
            text = str(self.tokenizer.decode(content, skip_special_tokens=True))
            answers.append(Generated(text=text.strip(), tokens=len(content)))
        return answers
