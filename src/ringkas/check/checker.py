"""check_summary: compare every sentence of a summary with the article it summarises."""

from __future__ import annotations

from collections.abc import Sequence

from ringkas.check.align import Aligner
from ringkas.check.facts import FactIndex
from ringkas.check.names import NameIndex, find_names
from ringkas.check.quantities import find_mentions
from ringkas.check.sentences import sentence_spans
from ringkas.result import CheckReport, SentenceCheck, Unsupported


class SourceIndex:
    """Everything about an article that summaries are checked against; build once, reuse."""

    def __init__(
        self,
        source_sentences: Sequence[str],
        translated_sentences: Sequence[str] | None = None,
        context: Sequence[str] = (),
    ) -> None:
        if translated_sentences is not None and len(translated_sentences) != len(source_sentences):
            raise ValueError(
                f"translated_sentences has {len(translated_sentences)} sentences but "
                f"source_sentences has {len(source_sentences)}; they must align one to one"
            )
        # Context (dateline, title) supports names and facts but is never an attribution.
        texts = [*source_sentences, *(translated_sentences or ()), *context]
        self.facts = FactIndex(texts)
        self.names = NameIndex(texts)
        if translated_sentences is None:
            self.aligner = Aligner(source_sentences)
        else:
            self.aligner = Aligner(translated_sentences, extra=source_sentences)

    def check_sentence(self, sentence: str, offset: int = 0) -> SentenceCheck:
        """Support and unsupported items for one summary sentence."""
        mentions = find_mentions(sentence)
        unsupported: dict[tuple[int, int], Unsupported] = {}
        for mention in mentions:
            if not self.facts.supports(mention):
                # A range gives one mention per day with the same span: report it once.
                span = (mention.start, mention.end)
                unsupported.setdefault(
                    span, Unsupported(mention.kind, mention.text, mention.start, mention.end)
                )
        masked = [(m.start, m.end) for m in mentions]
        for name in find_names(sentence, self.names, masked):
            if not self.names.supports(name):
                unsupported[(name.start, name.end)] = Unsupported(
                    "name", name.text, name.start, name.end
                )
        return SentenceCheck(
            text=sentence,
            support=self.aligner.support(sentence),
            unsupported=sorted(unsupported.values(), key=lambda u: (u.start, u.end)),
            offset=offset,
        )

    def check(self, summary: str) -> CheckReport:
        """Check every sentence of ``summary``."""
        sentences = [
            self.check_sentence(summary[start:end], start) for start, end in sentence_spans(summary)
        ]
        return CheckReport(faithful=not any(s.unsupported for s in sentences), sentences=sentences)


def check_summary(
    summary: str,
    source_sentences: Sequence[str],
    translated_sentences: Sequence[str] | None = None,
    context: Sequence[str] = (),
) -> CheckReport:
    """Check an English summary against an article's sentences and their English translation.

    ``source_sentences`` are in the article's own language (Indonesian, or English when the
    article is English); ``translated_sentences``, when given, align 1:1 with them. Numbers,
    dates, times, amounts and names of the summary must be found in either; each summary
    sentence also gets the source sentences that support it most. ``context`` holds text
    about the article that is not part of it (dateline place, title): it supports names and
    facts but is never attributed.
    """
    return SourceIndex(source_sentences, translated_sentences, context).check(summary)
