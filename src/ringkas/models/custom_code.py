"""Model folders never run their own code: a folder whose configs ask for it is refused.

transformers runs Python shipped with a model when a config names it (``auto_map``, custom
pipelines) and the caller trusts remote code; asked nothing, it prompts on stdin, which
carries the article. ringkas refuses such folders before any transformers call, and passes
``trust_remote_code=False`` wherever it loads a config, tokenizer or model.
"""

from __future__ import annotations

import json
from pathlib import Path

from ringkas.errors import ModelUnavailableError

# Every config transformers reads while loading a model, tokenizer or processor.
CONFIG_FILES = (
    "config.json",
    "tokenizer_config.json",
    "generation_config.json",
    "processor_config.json",
    "preprocessor_config.json",
    "feature_extractor_config.json",
    "image_processor_config.json",
)
# Keys through which a config points transformers at code to import.
CODE_KEYS = ("auto_map", "custom_pipelines")
_MAX_CONFIG_BYTES = 16 * 1024 * 1024


def refuse_custom_code(folder: Path, name: str) -> None:
    """Raise :class:`ModelUnavailableError` (exit 3) if any config in ``folder`` asks to run
    code that ships with the model; an unreadable config is left to the loader to report."""
    for file_name in CONFIG_FILES:
        path = folder / file_name
        try:
            if not path.is_file() or path.stat().st_size > _MAX_CONFIG_BYTES:
                continue
            config = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(config, dict):
            continue
        for key in CODE_KEYS:
            if config.get(key):
                raise ModelUnavailableError(
                    f"model {name!r} asks to run its own Python code ({file_name}: {key}); "
                    "ringkas never runs code from a model folder",
                    hint="use a model whose architecture transformers supports natively",
                )


def never_prompt_for_code() -> None:
    """Make transformers refuse custom code instead of asking on stdin, on any path that
    might still reach its prompt (a loader called without ``trust_remote_code``)."""
    from transformers import dynamic_module_utils

    dynamic_module_utils.TIME_OUT_REMOTE_CODE = 0
