"""Rendering a template around an article: the article is untrusted input.

It reaches the model only between delimiters, after anything in it that could pass for a
delimiter or a chat-template control token is removed; the instruction comes before it and a
short reminder after it.
"""

from __future__ import annotations

from typing import Any

from ringkas.prompts.delimiters import (
    ARTICLE_CLOSE,
    ARTICLE_OPEN,
    TEXT_CLOSE,
    TEXT_OPEN,
    clean_control_text,
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


def render(template: PromptTemplate, article: str, **variables: Any) -> RenderedPrompt:
    """The messages for a chat model and the plain text for a T5-style model.

    The article goes in only between the delimiters, after removing anything in it that could
    pass for a delimiter or a control token; the instruction comes before it, a short reminder
    after it (small models lose the instruction across a long article).
    """
    values = template_variables(template, variables)
    body, removed = neutralise(clean_control_text(article))
    body = body.strip()
    system = fill_variables(template.system, values)
    instruction = fill_variables(template.instruction, values)
    reminder = fill_variables(template.reminder, values) if template.reminder else DEFAULT_REMINDER
    user = f"{instruction}\n\n{GUARD}\n\n{ARTICLE_OPEN}\n{body}\n{ARTICLE_CLOSE}\n\n{reminder}"
    text = f"{instruction}\n\n{TEXT_GUARD}\n\n{TEXT_OPEN}\n{body}\n{TEXT_CLOSE}\n\n{reminder}"
    return RenderedPrompt(system=system, user=user, text=text, neutralised=len(removed))
