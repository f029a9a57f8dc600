"""Inputs: find the articles a command names and read each into a Document.

Inside, in the order data flows: ``find_inputs`` (and ``discover``) expands files, folders,
links, path lists and stdin into :class:`InputItem` s (``urls`` tells links apart and names
their results); ``read`` reads one (``decoding`` turns its bytes into text, ``html`` takes the
article out of a web page, ``web`` reads a link's article with the careful HTTP client of
``fetch``); ``feeds`` turns news feeds and OPML lists into links; ``drop`` watches a folder for
files that land; ``jsonl`` reads JSON Lines input. Every problem with one input is a
:class:`SourceError` (an :class:`~ringkas.errors.InputError`) naming it, so a batch reports it
and goes on. A new input kind goes here, as a module that yields Documents.
"""

from ringkas.sources.decoding import decode
from ringkas.sources.discover import (
    DEFAULT_GLOBS,
    STDIN_ITEM,
    InputItem,
    Inputs,
    Skipped,
    discover,
    find_inputs,
    glob_matcher,
    readable,
    url_item,
)
from ringkas.sources.errors import STDIN, SourceError, input_label, standard_input
from ringkas.sources.fetch import Fetcher, FetchOptions
from ringkas.sources.jsonl import read_jsonl
from ringkas.sources.read import (
    DEFAULT_MAX_BYTES,
    HTML_SUFFIXES,
    document_from_bytes,
    read_bytes,
    read_document,
    read_item,
)

__all__ = [
    "DEFAULT_GLOBS",
    "DEFAULT_MAX_BYTES",
    "HTML_SUFFIXES",
    "STDIN",
    "STDIN_ITEM",
    "FetchOptions",
    "Fetcher",
    "InputItem",
    "Inputs",
    "Skipped",
    "SourceError",
    "decode",
    "discover",
    "document_from_bytes",
    "find_inputs",
    "glob_matcher",
    "input_label",
    "read_bytes",
    "read_document",
    "read_item",
    "read_jsonl",
    "readable",
    "standard_input",
    "url_item",
]
