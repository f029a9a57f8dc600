"""Faithfulness checks: unsupported numbers, dates and names, and where each sentence comes from.

    from ringkas.check import check_summary
    report = check_summary(summary, source_sentences, translated_sentences)
    report.faithful, report.to_dict()

Pure Python; nothing here imports a model.
"""

from ringkas.check.align import Support
from ringkas.check.checker import SourceIndex, check_summary
from ringkas.check.quantities import KINDS
from ringkas.check.report import CheckReport, SentenceCheck, Unsupported
from ringkas.check.sentences import split_sentences
from ringkas.check.words import guess_language

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
