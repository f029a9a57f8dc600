"""Instruction-following models: messages in, an answer out, for chat LMs and T5-style models."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Protocol

from ringkas.errors import ModelUnavailableError
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


def tokenizer_control_tokens(tokenizer: Any) -> tuple[str, ...]:
    """A transformers tokenizer's special tokens and every added token: text that it would
    encode as a control token ("<|im_end|>", "<tool_call>", "[SYSTEM_PROMPT]")."""
    tokens = {str(t) for t in getattr(tokenizer, "all_special_tokens", ()) or ()}
    decoder = getattr(tokenizer, "added_tokens_decoder", None) or {}
    tokens.update(str(getattr(token, "content", token)) for token in decoder.values())
    return tuple(sorted(t for t in tokens if t))


def messages(prompt: Prompt, *, system_role: bool = True) -> list[dict[str, str]]:
    """Chat messages; templates without a system role get the system text in the user turn."""
    if system_role:
        return [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ]
    return [{"role": "user", "content": f"{prompt.system}\n\n{prompt.user}"}]


# Limits on a chat template (code from the model's repository) and what it renders.
MAX_TEMPLATE_CHARS = 256 * 1024
MAX_RENDER_SECONDS = 10.0
MAX_RENDER_EXTRA_CHARS = 1024 * 1024  # rendered text beyond the messages' own
_CHECK_EVERY = 1024  # items of a range between two looks at the clock


class ChatTemplateError(ModelUnavailableError):
    """A model's chat template that the sandbox refused, or that ran past its limits."""


class _Limits:
    """The deadline and output budget of one rendering."""

    def __init__(self, chat: list[dict[str, str]]) -> None:
        self.deadline = time.monotonic() + MAX_RENDER_SECONDS
        self.max_chars = sum(len(m.get("content", "")) for m in chat) + MAX_RENDER_EXTRA_CHARS

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Exceeded(f"it ran longer than {MAX_RENDER_SECONDS:.0f} s")

    def size(self, length: int) -> None:
        if length > self.max_chars:
            raise _Exceeded(f"it rendered more than {self.max_chars:,} characters")


class _Exceeded(Exception):
    """A chat template went past a limit (raised inside the sandbox, caught outside)."""


def _sandbox(limits: _Limits) -> Any:
    from jinja2.ext import loopcontrols
    from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

    class LimitedSandbox(ImmutableSandboxedEnvironment):
        """Jinja's immutable sandbox with a deadline and a bound on the text it builds."""

        intercepted_binops = frozenset({"*", "**", "+"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            limits.check()
            if operator == "*" and isinstance(right, int) and isinstance(left, (str, list)):
                limits.size(len(left) * right)
            elif operator == "*" and isinstance(left, int) and isinstance(right, (str, list)):
                limits.size(len(right) * left)
            elif operator == "**" and isinstance(right, int) and abs(right) > 1024:
                raise _Exceeded("it raised a number to a power over 1024")
            elif operator == "+" and isinstance(left, (str, list)) and hasattr(right, "__len__"):
                limits.size(len(left) + len(right))
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            limits.check()
            return super().call(__context, __obj, *args, **kwargs)

        def getattr(self, obj: Any, attribute: str) -> Any:
            limits.check()
            return super().getattr(obj, attribute)

        def getitem(self, obj: Any, argument: Any) -> Any:
            limits.check()
            return super().getitem(obj, argument)

    def checked_range(*args: int) -> Any:
        for index, value in enumerate(safe_range(*args)):
            if index % _CHECK_EVERY == 0:
                limits.check()
            yield value

    environment = LimitedSandbox(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    environment.globals["range"] = checked_range
    return environment


@contextmanager
def _alarm(limits: _Limits) -> Iterator[None]:
    """Interrupt a rendering at its deadline, even inside a loop that calls nothing
    (main thread on Unix; elsewhere the sandbox's own checks have to do)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise _Exceeded(f"it ran longer than {MAX_RENDER_SECONDS:.0f} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, max(0.001, limits.deadline - time.monotonic()))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_chat_template(
    template: str, chat: list[dict[str, str]], *, model: str = "the model", **variables: Any
) -> str:
    """Render a Hugging Face chat template the way transformers does, in a sandbox.

    Chat templates are code from the model's repository: they run in jinja2's immutable
    sandbox with only the helpers the Hub's templates expect, under a time limit
    (MAX_RENDER_SECONDS) and a bound on what they render. A template that the sandbox
    refuses or that goes past a limit raises ChatTemplateError (one line, exit 3);
    a template that raises on purpose (``raise_exception``) raises TemplateError.
    """
    from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError

    if len(template) > MAX_TEMPLATE_CHARS:
        raise ChatTemplateError(
            f"{model}: its chat template is {len(template):,} characters long "
            f"(at most {MAX_TEMPLATE_CHARS:,} are rendered)"
        )

    def raise_exception(message: str) -> None:
        raise TemplateError(message)

    def tojson(value: Any, ensure_ascii: bool = False, indent: int | None = None, **kw: Any) -> str:
        return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, **kw)

    limits = _Limits(chat)
    environment = _sandbox(limits)
    environment.filters["tojson"] = tojson
    environment.globals["raise_exception"] = raise_exception
    environment.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    try:
        compiled = environment.from_string(template)
        pieces: list[str] = []
        length = 0
        with _alarm(limits):
            for piece in compiled.generate(messages=chat, add_generation_prompt=True, **variables):
                pieces.append(piece)
                length += len(piece)
                limits.size(length)
        return "".join(pieces)
    except _Exceeded as exc:
        raise ChatTemplateError(f"{model}: its chat template was stopped: {exc}") from None
    except SecurityError as exc:
        raise ChatTemplateError(
            f"{model}: its chat template was refused by the sandbox: {_first_line(exc)}"
        ) from None
    except TemplateSyntaxError as exc:
        raise ChatTemplateError(
            f"{model}: its chat template is not valid Jinja: {_first_line(exc)}"
        ) from None
    except TemplateError:
        raise
    except (RecursionError, MemoryError, ArithmeticError, TypeError, ValueError) as exc:
        raise ChatTemplateError(
            f"{model}: its chat template failed: {type(exc).__name__}: {_first_line(exc)}"
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def chat_text(template: str, prompt: Prompt, *, model: str = "the model", **variables: Any) -> str:
    """The prompt in the model's own chat format (falling back to no system role)."""
    from jinja2.exceptions import TemplateError

    try:
        return render_chat_template(template, messages(prompt), model=model, **variables)
    except ChatTemplateError:
        raise
    except TemplateError:  # e.g. Gemma's templates refuse a system message
        try:
            chat = messages(prompt, system_role=False)
            return render_chat_template(template, chat, model=model, **variables)
        except ChatTemplateError:
            raise
        except TemplateError as exc:
            raise ChatTemplateError(
                f"{model}: its chat template raised an error: {_first_line(exc)}"
            ) from None


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
        self.control_tokens: tuple[str, ...] = tuple(getattr(engine, "control_tokens", ()))

    def prompt_tokens(self, prompts: Sequence[Prompt]) -> list[int]:
        return list(self.seq2seq.count_tokens([p.text for p in prompts]))

    def answer(self, prompts: Sequence[Prompt], decoding: Decoding) -> list[Generated]:
        return list(self.seq2seq.generate([p.text for p in prompts], decoding))
