"""Indonesian news text: cleaning and sentence segmentation."""

from ringkas.text.clean import CleanedArticle, clean_article
from ringkas.text.segment import sentence_spans, split_sentences

__all__ = ["CleanedArticle", "clean_article", "sentence_spans", "split_sentences"]
