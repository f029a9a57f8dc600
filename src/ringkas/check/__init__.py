"""Faithfulness checks: unsupported numbers, dates and names, and where each sentence comes from.

    from ringkas.check import check_summary
    report = check_summary(summary, source_sentences, translated_sentences)
    report.faithful, report.to_dict()

Inside, in the order data flows: ``checker`` splits the summary (``sentences``) and indexes
the article once: its numbers, dates and times (``numbers`` and ``dates`` find them as
``values``, ``quantities`` runs both, ``facts`` indexes the readings) and its names
(``names``, with ``words``' word lists); each summary sentence's mentions are looked up
there, and ``align`` attributes the sentence to the article sentences that support it. The
outcome is a :class:`~ringkas.result.CheckReport`. A new check is a finder like ``names``
whose misses ``checker`` reports as unsupported items of a new kind. Pure Python; nothing
here imports a model.
"""

from ringkas.check.checker import SourceIndex, check_summary
from ringkas.check.quantities import KINDS
from ringkas.check.sentences import split_sentences
from ringkas.check.words import guess_language
from ringkas.result import CheckReport, SentenceCheck, Support, Unsupported

__all__ = [
    "KINDS",
    "CheckReport",
    "SentenceCheck",
    "SourceIndex",
    "Support",
    "Unsupported",
    "check_summary",
    "guess_language",
    "split_sentences",
]
