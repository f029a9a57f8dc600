"""Rendering a template around an article: the article is untrusted input.

It reaches the model only between delimiters, after anything in it that could pass for a
delimiter or a chat-template control token is removed; the instruction comes before it and a
short reminder after it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ringkas.prompts.delimiters import (
    ARTICLE_CLOSE,
    ARTICLE_OPEN,
    TEXT_CLOSE,
    TEXT_OPEN,
    clean_control_text,
    control_token_pattern,
    neutralise,
)
from ringkas.prompts.templates import (
    DEFAULT_REMINDER,
    GUARD,
    TEXT_GUARD,
    PromptTemplate,
    RenderedPrompt,
    fill_variables,
    template_variables,
)


def render(
    template: PromptTemplate,
    article: str,
    *,
    control_tokens: Collection[str] = (),
    **variables: Any,
) -> RenderedPrompt:
    """The messages for a chat model and the plain text for a T5-style model.

    The article goes in only between the delimiters, after removing anything in it that could
    pass for a delimiter or a control token; the instruction comes before it, a short reminder
    after it (small models lose the instruction across a long article). ``control_tokens``
    are the model's own special and added tokens: they are removed from the article and
    from the template's variable values, since a tokenizer would encode them as real
    control tokens.
    """
    tokens = control_token_pattern(control_tokens)
    values = {
        name: neutralise(value, fences=False, tokens=tokens)[0] if isinstance(value, str) else value
        for name, value in template_variables(template, variables).items()
    }
    body, removed = neutralise(clean_control_text(article), tokens=tokens)
    body = body.strip()

    def fill(text: str) -> str:
        filled = fill_variables(text, values)
        return tokens.sub(" ", filled) if tokens is not None else filled

    system = fill(template.system)
    instruction = fill(template.instruction)
    reminder = fill(template.reminder) if template.reminder else DEFAULT_REMINDER
    user = f"{instruction}\n\n{GUARD}\n\n{ARTICLE_OPEN}\n{body}\n{ARTICLE_CLOSE}\n\n{reminder}"
    text = f"{instruction}\n\n{TEXT_GUARD}\n\n{TEXT_OPEN}\n{body}\n{TEXT_CLOSE}\n\n{reminder}"
    return RenderedPrompt(system=system, user=user, text=text, neutralised=len(removed))
