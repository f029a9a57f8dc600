"""Indonesian news text: cleaning, sentence segmentation, language, and token budgets.

Inside, in the order data flows: ``clean`` takes the article body out of scraped news text
(``_layout`` repairs characters and broken lines, ``_dateline`` lifts the dateline,
``_boilerplate`` and ``_dedupe`` remove inserts and repeats, each removal recorded);
``segment`` splits paragraphs into sentences with exact offsets (``abbreviations`` decides
which full stops end one); ``language`` tells Indonesian from English; ``chunk`` fits
sentences into a model's token budget without dropping any. Pure Python and light to import
(only :mod:`re` and the standard library), so the CLI can import it at start-up.
"""

from ringkas.text.clean import CleanedArticle, clean_article, normalize_whitespace
from ringkas.text.segment import (
    paragraph_spans,
    sentence_spans,
    split_paragraphs,
    split_sentences,
)

__all__ = [
    "CleanedArticle",
    "clean_article",
    "normalize_whitespace",
    "paragraph_spans",
    "sentence_spans",
    "split_paragraphs",
    "split_sentences",
]
