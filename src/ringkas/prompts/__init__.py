"""Summary styles for instruction models: prompt templates as validated data.

Inside, in the order data flows: ``templates`` finds and validates a style's TOML file into a
:class:`PromptTemplate`; ``delimiters`` fences the untrusted article and removes anything in it
that looks like a delimiter or a control token; ``render`` puts instruction, article and
reminder together (:class:`RenderedPrompt`: chat messages, or one text for T5-style models);
``answers`` reads the model's answer back into the shape the style promises
(:class:`StyledOutput`), never trusting the model with that shape.
"""

from ringkas.prompts.answers import parse_output
from ringkas.prompts.delimiters import (
    ARTICLE_CLOSE,
    ARTICLE_OPEN,
    TEXT_CLOSE,
    TEXT_OPEN,
    clean_control_text,
    neutralise,
)
from ringkas.prompts.render import render
from ringkas.prompts.templates import (
    BUILTIN_STYLES,
    OUTPUT_KINDS,
    PACKAGE_FOLDER,
    SEQ2SEQ_HANDLING,
    PromptError,
    PromptTemplate,
    RenderedPrompt,
    StyledOutput,
    builtin_dir,
    list_templates,
    load_template,
    template_variables,
    user_dir,
)

__all__ = [
    "ARTICLE_CLOSE",
    "ARTICLE_OPEN",
    "BUILTIN_STYLES",
    "OUTPUT_KINDS",
    "PACKAGE_FOLDER",
    "SEQ2SEQ_HANDLING",
    "TEXT_CLOSE",
    "TEXT_OPEN",
    "PromptError",
    "PromptTemplate",
    "RenderedPrompt",
    "StyledOutput",
    "builtin_dir",
    "clean_control_text",
    "list_templates",
    "load_template",
    "neutralise",
    "parse_output",
    "render",
    "template_variables",
    "user_dir",
]
