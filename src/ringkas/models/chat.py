"""Instruction-following models: messages in, an answer out, for chat LMs and T5-style models."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from ringkas.models.engine import Decoding, Generated


class Prompt(Protocol):
    """What an instruction model is asked: a system message, a user message, and the same
    as one plain text for models without chat roles (T5-style); see ringkas.prompts.render."""

    @property
    def system(self) -> str: ...

    @property
    def user(self) -> str: ...

    @property
    def text(self) -> str: ...


class InstructEngine(Protocol):
    """A model that follows written instructions."""

    name: str
    engine: str
    device: str
    compute_type: str
    model_type: str
    max_input_tokens: int

    def prompt_tokens(self, prompts: Sequence[Prompt]) -> list[int]:
        """Tokens each prompt takes as model input."""
        ...

    def answer(self, prompts: Sequence[Prompt], decoding: Decoding) -> list[Generated]:
        """The model's answer to each prompt, in order."""
        ...


def messages(prompt: Prompt, *, system_role: bool = True) -> list[dict[str, str]]:
    """Chat messages; templates without a system role get the system text in the user turn."""
    if system_role:
        return [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ]
    return [{"role": "user", "content": f"{prompt.system}\n\n{prompt.user}"}]


def render_chat_template(template: str, chat: list[dict[str, str]], **variables: Any) -> str:
    """Render a Hugging Face chat template the way transformers does, in a sandbox.

    Chat templates are code from the model's repository: they run in jinja2's immutable
    sandbox with only the helpers the Hub's templates expect.
    """
    from jinja2.exceptions import TemplateError
    from jinja2.ext import loopcontrols
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message: str) -> None:
        raise TemplateError(message)

    def tojson(value: Any, ensure_ascii: bool = False, indent: int | None = None, **kw: Any) -> str:
        return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, **kw)

    environment = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols]
    )
    environment.filters["tojson"] = tojson
    environment.globals["raise_exception"] = raise_exception
    environment.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    compiled = environment.from_string(template)
    return compiled.render(messages=chat, add_generation_prompt=True, **variables)


def chat_text(template: str, prompt: Prompt, **variables: Any) -> str:
    """The prompt in the model's own chat format (falling back to no system role)."""
    from jinja2.exceptions import TemplateError

    try:
        return render_chat_template(template, messages(prompt), **variables)
    except TemplateError:  # e.g. Gemma's templates refuse a system message
        return render_chat_template(template, messages(prompt, system_role=False), **variables)


class Seq2SeqInstruct:
    """A T5-style instruction model (e.g. flan-t5): the prompt goes in as plain text."""

    def __init__(self, engine: Any) -> None:
        self.seq2seq = engine
        self.name: str = engine.name
        self.engine: str = engine.engine
        self.device: str = engine.device
        self.compute_type: str = engine.compute_type
        self.model_type: str = engine.model_type
        self.max_input_tokens: int = engine.max_input_tokens

    def prompt_tokens(self, prompts: Sequence[Prompt]) -> list[int]:
        return list(self.seq2seq.count_tokens([p.text for p in prompts]))

    def answer(self, prompts: Sequence[Prompt], decoding: Decoding) -> list[Generated]:
        return list(self.seq2seq.generate([p.text for p in prompts], decoding))
