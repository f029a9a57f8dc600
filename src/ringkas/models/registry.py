"""The named default models, pinned to revisions that ship safetensors weights."""

from __future__ import annotations

from dataclasses import dataclass

from ringkas.settings import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR

__all__ = [
    "DEFAULT_SUMMARIZER",
    "DEFAULT_TRANSLATOR",
    "KNOWN_MODELS",
    "ModelInfo",
    "pinned_revision",
]


@dataclass(frozen=True)
class ModelInfo:
    """A model ringkas knows by name: where it lives and what it costs to fetch."""

    name: str
    task: str
    revision: str
    license: str
    download_mb: int
    note: str = ""


# Both repositories keep only pickled weights on `main`; the safetensors conversions
# live on the Hub's bot pull-request branches (opus-mt-id-en: refs/pr/1 and /2;
# distilbart-cnn-12-6: refs/pr/13 and /18, its other pull requests edit the card), so the
# first of each is pinned here. A pin is a first choice: if it is gone or loses its
# safetensors, ringkas.models.revisions takes main or the newest pull request with them.
KNOWN_MODELS: dict[str, ModelInfo] = {
    DEFAULT_TRANSLATOR: ModelInfo(
        name=DEFAULT_TRANSLATOR,
        task="translation",
        revision="refs/pr/1",
        license="CC-BY-4.0 (OPUS-MT), Apache-2.0 on the Hub card",
        download_mb=300,
        note="MarianMT, Indonesian to English",
    ),
    DEFAULT_SUMMARIZER: ModelInfo(
        name=DEFAULT_SUMMARIZER,
        task="summarization",
        revision="refs/pr/13",
        license="Apache-2.0",
        download_mb=1220,
        note="DistilBART fine-tuned on CNN/DailyMail news",
    ),
}


def pinned_revision(name: str) -> str | None:
    """The revision ringkas pins for a known model name, else None (the Hub's default)."""
    info = KNOWN_MODELS.get(name)
    return info.revision if info else None
