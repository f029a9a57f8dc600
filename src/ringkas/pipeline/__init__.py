"""The library's one entry point for work: :class:`Pipeline` runs the chain over articles.

Inside, in the order data flows: ``document`` turns a :class:`Document` into cleaned
sentences with a language; ``loading`` loads the translator and summarizer once (and picks how
the summarizer writes the style); ``chain`` translates groups of articles in shared batches,
summarises them, checks each summary against its article and yields a
:class:`~ringkas.result.Result` per article, or the input error that stopped it.
"""

from ringkas.pipeline.chain import GROUP_SIZE, Pipeline, article_context
from ringkas.pipeline.document import FLUSH, Document, Flush, Prepared, prepare_article
from ringkas.pipeline.loading import INSTRUCTABLE_SEQ2SEQ, StageCallback, load_engine

__all__ = [
    "FLUSH",
    "GROUP_SIZE",
    "INSTRUCTABLE_SEQ2SEQ",
    "Document",
    "Flush",
    "Pipeline",
    "Prepared",
    "StageCallback",
    "article_context",
    "load_engine",
    "prepare_article",
]
