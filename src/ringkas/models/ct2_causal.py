"""Chat (causal) language models with CTranslate2: no torch or transformers at run time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ringkas.models.chat import Prompt, chat_text
from ringkas.models.ct2_engine import Batches, decoding_options, open_ct2, worker_batch
from ringkas.models.engine import Decoding, Generated
from ringkas.models.tokenize import HubTokens


class CT2Causal:
    """An instruction-tuned causal LM converted for CTranslate2's Generator."""

    engine = "ctranslate2"

    def __init__(
        self,
        folder: Path,
        name: str,
        *,
        device: str = "cpu",
        compute_type: str = "auto",
        threads: int | None = None,
        batches: Batches = "serial",
    ) -> None:
        self.name = name
        self.generator, self.info, self.layout = open_ct2(
            "causal",
            folder,
            name,
            device=device,
            compute_type=compute_type,
            threads=threads,
            batches=batches,
        )
        self.device = str(self.generator.device)
        self.compute_type = self.generator.compute_type
        self.tokens = HubTokens(folder, self.info["special_tokens"], self.info["eos_token"])
        self.control_tokens = self.tokens.control_tokens()
        self.model_type: str = self.info["model_type"]
        self.max_input_tokens: int = self.info["max_input_tokens"]
        self._template: str | None = self.info.get("chat_template")
        self._end_tokens: list[str] = self.info.get("eos_tokens") or [self.info["eos_token"]]
        self._options = decoding_options(self.info)

    def _text(self, prompt: Prompt) -> str:
        if not self._template:
            return f"{prompt.system}\n\n{prompt.user}\n"
        specials = {
            "bos_token": self.info.get("bos_token") or "",
            "eos_token": self.info["eos_token"],
        }
        return chat_text(self._template, prompt, model=self.name, **specials)

    def _prompt_tokens(self, prompt: Prompt) -> list[str]:
        # The chat template writes the special tokens itself, as transformers assumes.
        return self.tokens.encode(self._text(prompt), specials=False)

    def prompt_tokens(self, prompts: Sequence[Prompt]) -> list[int]:
        return [len(self._prompt_tokens(p)) for p in prompts]

    def answer(self, prompts: Sequence[Prompt], decoding: Decoding) -> list[Generated]:
        if not prompts:
            return []
        tokens = [self._prompt_tokens(p) for p in prompts]
        results = self.generator.generate_batch(
            tokens,
            max_length=decoding.max_new_tokens,
            min_length=decoding.min_new_tokens,
            beam_size=decoding.beam_size,
            include_prompt_in_result=False,
            end_token=self._end_tokens,
            max_batch_size=worker_batch(self.generator, [len(t) for t in tokens]),
            **self._options,
        )
        answers = []
        for result in results:
            content = [t for t in result.sequences[0] if t not in self.tokens.specials]
            answers.append(Generated(text=self.tokens.decode(content).strip(), tokens=len(content)))
        return answers
