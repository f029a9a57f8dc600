"""What a run produces: the summary, the translation, provenance, statistics and checks.

The check report types live here, beside :class:`Result` that carries them; ``ringkas.check``
fills them in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = 1


def count_words(text: str) -> int:
    """Whitespace-separated words, the unit editors count in."""
    return len(text.split())


@dataclass
class Sentence:
    """One source sentence, where it sits, and its English translation."""

    id: int
    paragraph: int
    source: str
    translation: str = ""


@dataclass
class Notice:
    """A warning attached to a result: a stable code for scripts and a message for people."""

    code: str
    message: str


@dataclass
class Stats:
    """Sizes per stage and seconds spent; tokens are model tokens, specials included."""

    source_words: int = 0
    source_tokens: int = 0
    sentences: int = 0
    paragraphs: int = 0
    translation_words: int = 0
    translation_tokens: int = 0
    summary_input_tokens: int = 0
    summary_words: int = 0
    summary_tokens: int = 0
    chunks: int = 0
    passes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self, *, with_summary: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": {
                "words": self.source_words,
                "tokens": self.source_tokens,
                "sentences": self.sentences,
                "paragraphs": self.paragraphs,
            },
            "translation": {"words": self.translation_words, "tokens": self.translation_tokens},
        }
        if with_summary:
            data["summary"] = {
                "words": self.summary_words,
                "tokens": self.summary_tokens,
                "input_tokens": self.summary_input_tokens,
            }
            data["chunks"] = self.chunks
            data["passes"] = self.passes
        data["seconds"] = {key: round(value, 3) for key, value in self.seconds.items()}
        return data


@dataclass(frozen=True)
class Support:
    """A source sentence (index into the article's sentences) supporting a summary sentence."""

    sentence: int
    score: float


@dataclass(frozen=True)
class Unsupported:
    """A number, date, time, amount or name in a summary sentence that the source lacks.

    ``start``/``end`` are character offsets into the summary sentence (``SentenceCheck.text``).
    ``kind`` is one of ``ringkas.check.KINDS``.
    """

    kind: str
    text: str
    start: int
    end: int


@dataclass
class SentenceCheck:
    """One summary sentence: its supporting source sentences and its unsupported items."""

    text: str
    support: list[Support] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)
    offset: int = 0  # where the sentence starts in the summary passed to check_summary

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form of this sentence's check."""
        return {
            "sentence": self.text,
            "support": [{"sentence": s.sentence, "score": s.score} for s in self.support],
            "unsupported": [
                {"kind": u.kind, "text": u.text, "start": u.start, "end": u.end}
                for u in self.unsupported
            ],
        }


@dataclass
class CheckReport:
    """Faithfulness of a whole summary; ``faithful`` is false if any item is unsupported."""

    faithful: bool
    sentences: list[SentenceCheck] = field(default_factory=list)

    @property
    def unsupported_count(self) -> int:
        """Number of unsupported items over all sentences."""
        return sum(len(s.unsupported) for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: ``{"faithful": bool, "checks": [...]}``."""
        return {"faithful": self.faithful, "checks": [s.to_dict() for s in self.sentences]}


@dataclass
class Result:
    """The outcome for one article; ``summary`` is None for a translation-only run."""

    source: str
    translation: str
    summary: str | None
    models: dict[str, str | None]
    settings: dict[str, Any]
    sentences: list[Sentence]
    stats: Stats
    warnings: list[Notice] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    removed: list[dict[str, str]] = field(default_factory=list)
    checks: CheckReport | None = None
    language: str = "id"  # the article's language as detected: id, en or other
    style: str | None = None  # the summary style, when one was asked for
    bullets: list[str] | None = None  # style output "bullets"
    fields: dict[str, str | None] | None = None  # style output "fields" (5W1H)

    @property
    def chunked(self) -> bool:
        return self.stats.chunks > 1

    @property
    def faithful(self) -> bool | None:
        """False when the summary has numbers, dates or names the article lacks."""
        return self.checks.faithful if self.checks is not None else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract documented in README ("JSON output")."""
        with_summary = self.summary is not None
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "source": self.source}
        if "id" in self.metadata:
            data["id"] = self.metadata["id"]
        data["language"] = self.language
        if with_summary:
            data["summary"] = self.summary
        if self.style is not None:
            data["style"] = self.style
        if self.bullets is not None:
            data["bullets"] = list(self.bullets)
        if self.fields is not None:
            data["fields"] = dict(self.fields)
        if self.checks is not None:
            data.update(self.checks.to_dict())
        data.update(
            translation=self.translation,
            models=dict(self.models),
            settings=dict(self.settings),
            stats=self.stats.to_dict(with_summary=with_summary),
            warnings=[asdict(notice) for notice in self.warnings],
            metadata=dict(self.metadata),
            removed=list(self.removed),
            sentences=[asdict(sentence) for sentence in self.sentences],
        )
        return data
