"""The result of checking a summary: per-sentence support and unsupported items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ringkas.check.align import Support


@dataclass(frozen=True)
class Unsupported:
    """A number, date, time, amount or name in a summary sentence that the source lacks.

    ``start``/``end`` are character offsets into the summary sentence (``SentenceCheck.text``).
    ``kind`` is one of :data:`ringkas.check.KINDS`.
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
