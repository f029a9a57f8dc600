"""An article on its way in: a :class:`Document` (source, raw text, what reading learnt),
then cleaned, split into paragraphs and sentences, and its language detected."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ringkas.errors import InputError
from ringkas.result import Notice, Sentence
from ringkas.text import clean_article, split_sentences
from ringkas.text.clean import CleanedArticle, normalize_whitespace
from ringkas.text.language import detect_language


class Flush:
    """Among the documents given to :meth:`Pipeline.process`: work on the articles gathered
    so far now instead of waiting for a full group (for a stream that awaits its answers)."""

    def __repr__(self) -> str:
        return "FLUSH"


FLUSH = Flush()
# English is passed through untranslated only when the detector is this sure (short texts
# never reach it; English news lines score about 0.75 and more).
_ENGLISH_CONFIDENCE = 0.5


@dataclass
class Document:
    """An article to process: where it came from, its raw text, what reading it told
    (title, encoding, input id...), which is kept in the result's metadata, and the seconds
    reading it took ("read"), which the result's stats report with the other stages."""

    source: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class Prepared:
    document: Document
    cleaned: CleanedArticle
    sentences: list[Sentence]
    language: str
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[Notice] = field(default_factory=list)


def prepare_article(document: Document, *, clean: bool = True) -> Prepared:
    """Clean the article and split it into paragraphs and sentences."""
    start = time.perf_counter()
    if not document.text.strip():
        raise InputError(f"{document.source}: the article is empty")
    cleaned = (
        clean_article(document.text)
        if clean
        else CleanedArticle(text=normalize_whitespace(document.text))
    )
    sentences: list[Sentence] = []
    paragraphs = [p for p in cleaned.text.split("\n") if p.strip()]
    for number, paragraph in enumerate(paragraphs):
        for sentence in split_sentences(paragraph):
            if sentence.strip():
                sentences.append(Sentence(len(sentences), number, sentence.strip()))
    if not sentences:
        raise InputError(f"{document.source}: no text left to translate after cleaning")
    language, confidence = detect_language(cleaned.text)
    if language == "en" and confidence < _ENGLISH_CONFIDENCE:
        language = "id"  # too little text to be sure: translating costs less than a miss
    warnings = []
    if language == "en":
        warnings.append(Notice("english_input", "the article is in English: it was not translated"))
    elif language == "other":
        warnings.append(
            Notice(
                "unknown_language",
                "the article does not look like Indonesian or English: the translation may be poor",
            )
        )
    seconds = {**document.seconds, "clean": time.perf_counter() - start}
    return Prepared(document, cleaned, sentences, language, seconds, warnings)


def as_document(item: Document | str, index: int) -> Document:
    """A Document for a bare text given to the library ("<text 1>", "<text 2>", ...)."""
    return item if isinstance(item, Document) else Document(f"<text {index + 1}>", item)
