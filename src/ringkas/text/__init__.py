"""Indonesian news text: cleaning and sentence segmentation.

Pure Python and light to import (only :mod:`re` and the standard library), so the CLI
can import it at start-up.
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
