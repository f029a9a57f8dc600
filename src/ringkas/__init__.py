"""ringkas: English summaries of Indonesian news articles.

>>> import ringkas                                    # doctest: +SKIP
>>> ringkas.summarize("JAKARTA, KOMPAS.com - ...").summary   # doctest: +SKIP
>>> pipe = ringkas.Pipeline(length="short")           # doctest: +SKIP
>>> results = pipe.summarize(["artikel satu", "artikel dua"])  # doctest: +SKIP
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ringkas._version import __version__

__all__ = [
    "Document",
    "InputError",
    "ModelUnavailableError",
    "Pipeline",
    "Result",
    "RingkasError",
    "__version__",
    "check_summary",
    "summarize",
    "translate",
]

if TYPE_CHECKING:
    from ringkas.check import check_summary
    from ringkas.errors import InputError, ModelUnavailableError, RingkasError
    from ringkas.pipeline import Document, Pipeline
    from ringkas.result import Result

_LAZY = {
    "Document": "ringkas.pipeline",
    "Pipeline": "ringkas.pipeline",
    "Result": "ringkas.result",
    "RingkasError": "ringkas.errors",
    "InputError": "ringkas.errors",
    "ModelUnavailableError": "ringkas.errors",
    "check_summary": "ringkas.check",
}


def __getattr__(name: str) -> Any:
    # Lazy so that `import ringkas` (and `ringkas --help`) stays instant.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ringkas' has no attribute {name!r}")


@lru_cache(maxsize=2)
def _pipeline(**settings: Any) -> Pipeline:
    from ringkas.pipeline import Pipeline

    return Pipeline(**settings)


def summarize(text: str, **settings: Any) -> Result:
    """Summarise one Indonesian article in English (models are loaded once and reused).

    ``settings`` are the keyword arguments of :class:`Pipeline`.
    """
    return _pipeline(**settings).summarize([text])[0]


def translate(text: str, **settings: Any) -> Result:
    """Translate one Indonesian article to English; ``result.translation`` holds it."""
    return _pipeline(**settings).translate([text])[0]
