"""Score sentence splitters against gold segmentation (boundary precision/recall/F1).

Usage: python benchmarks/segmentation.py [--corpus PATH] [--extra PATH] [--heldout]
                                         [--errors N] [--dataset NAME] [--splitter NAME]

Datasets (from ``<corpus>/sentences/``), scored as described in benchmarks/README.md:

- NTREX: each news document's ``text`` (its gold segments joined by single spaces, as
  shipped); ``NTREX-title`` is the same with the first segment (the headline) on its
  own line, as a headline sits in a real article.
- PUD, GSD, CSUI: the ``# text`` units of each UD test file joined by single spaces.
- ``*-new`` (from ``--extra``, built by ``benchmarks/extra_corpus.py``): text the shared
  corpus does not hold (NTREX documents, UD PUD units, GSD dev, CSUI train and the rest of
  the UD test files), laid out the same way, document by document; the held-out part
  (``*-new-heldout``) only with ``--heldout``, for the one final measurement.

The ``cap`` column is the F1 that the dataset's gold conventions leave to a splitter
that follows the orthography: a gold boundary after a unit without final punctuation (a
headline, a truncated unit, a colon) or before one starting in lower case is invisible
inside space-joined text; a plain word, a full stop and a capital inside one gold unit
(UD's legacy multi-sentence units, multi-sentence quotations except for ``ringkas-kq``)
is a sentence end the gold does not mark.

A boundary is the character offset where a sentence starts (the first one excluded).
Precision, recall and F1 are micro-averaged over all boundaries of a dataset.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
DEFAULT_EXTRA = REPO_ROOT / "benchmarks" / "out" / "extra"
# A unit ends visibly when its last character (before closing quotes/brackets) ends a
# sentence; the next unit must start visibly too (not in lower case, not with a bracket).
_VISIBLE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_VISIBLE_START = re.compile(r"[\"'“‘«(\[]*[A-Z0-9]")
# An orthographic sentence end inside one gold unit: a word that is no abbreviation (three
# lower-case letters or more, a capitalised word of three letters or more, a number), a full
# stop, ! or ?, a space and a capitalised word. UD's legacy multi-sentence units and
# multi-sentence quotations hold these; a splitter that finds them counts as wrong.
_INNER_END = re.compile(
    r"(?<![\w.])(?:[a-z]{3,}|[A-Z][a-z]{2,}|\d+)[.!?][\"'”’)]*\s+[\"“‘(]?[A-Z][a-z]"
)

Splitter = Callable[[str], list[int]]


@dataclass
class Document:
    """One text to split and the offsets where its gold sentences start."""

    text: str
    gold: set[int]
    hidden: int = 0  # gold boundaries no splitter can see (no final punctuation, no line break)
    inner: int = 0  # orthographic sentence ends inside gold units
    inner_quoted: int = 0  # of those, the ones inside a quotation


@dataclass
class Score:
    """Boundary counts and derived precision/recall/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def join_units(units: list[str], separators: Iterable[str]) -> Document:
    """Join gold units with the given separators; record where each unit starts."""
    text = units[0]
    gold: set[int] = set()
    hidden = 0
    previous = units[0]
    for unit, separator in zip(units[1:], separators, strict=False):
        text += separator
        gold.add(len(text))
        visible = _VISIBLE_END.search(previous.rstrip()) and _VISIBLE_START.match(unit)
        hidden += "\n" not in separator and not visible
        text += unit
        previous = unit
    inner = inner_quoted = 0
    for unit in units:
        for match in _INNER_END.finditer(unit):
            inner += 1
            before = unit[: match.start()]
            inner_quoted += (before.count('"') + before.count("“") - before.count("”")) % 2 == 1
    return Document(text, gold, hidden, inner, inner_quoted)


def load_ud(path: Path) -> list[Document]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    units = [line.split("\t", 1)[1] for line in lines if "\t" in line]
    return [join_units(units, [" "] * len(units))]


def load_ntrex(path: Path, *, title_line: bool) -> list[Document]:
    documents = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        units = record["sentences"]
        separators = [" "] * len(units)
        if title_line:
            separators[0] = "\n"
        else:
            # Shipped text: the same units joined by single spaces.
            assert " ".join(units) == record["text"], record["doc_id"]
        documents.append(join_units(units, separators))
    return documents


def load_extra(path: Path) -> list[Document]:
    """Documents of an extra set: units joined by spaces, a headline on its own line."""
    documents = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        units = record["units"]
        separators = [" "] * len(units)
        if record.get("title") and len(units) > 1:
            separators[0] = "\n"
        documents.append(join_units(units, separators))
    return documents


def starts_from_sentences(text: str, sentences: Iterable[str]) -> list[int]:
    """Map sentence strings from an external splitter back to start offsets."""
    starts: list[int] = []
    cursor = 0
    for sentence in sentences:
        piece = sentence.strip()
        if not piece:
            continue
        found = text.find(piece, cursor)
        if found < 0:  # the splitter changed the text; skip what cannot be located
            continue
        starts.append(found)
        cursor = found + len(piece)
    return starts[1:] if starts and not text[: starts[0]].strip() else starts


def ringkas_splitter(keep_quotes: bool = False) -> Splitter:
    from ringkas.text import sentence_spans

    return lambda text: [start for start, _ in sentence_spans(text, keep_quotes=keep_quotes)[1:]]


def naive_splitter() -> Splitter:
    pattern = re.compile(r"(?<=[.!?])\s+|\n+")

    def split(text: str) -> list[int]:
        return [m.end() for m in pattern.finditer(text) if 0 < m.end() < len(text)]

    return split


def sentencex_splitter() -> Splitter | str:
    try:
        from sentencex import segment
    except ImportError:
        return "not installed (pip install sentencex)"
    return lambda text: starts_from_sentences(text, segment("id", text))


def spacy_splitter() -> Splitter | str:
    try:
        import spacy
    except ImportError:
        return "not installed (pip install spacy)"
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10_000_000
    return lambda text: [sent.start_char for sent in nlp(text).sents][1:]


SPLITTERS: dict[str, Callable[[], Splitter | str]] = {
    "ringkas": ringkas_splitter,
    "ringkas-kq": lambda: ringkas_splitter(keep_quotes=True),
    "naive": naive_splitter,
    "sentencex": sentencex_splitter,
    "spacy-id": spacy_splitter,
}


EXTRA_SETS = {"ntrex": "NTREX-new", "pud": "PUD-new", "gsd": "GSD-new", "csui": "CSUI-new"}


def load_datasets(
    corpus: Path, extra: Path | None = None, heldout: bool = False
) -> dict[str, list[Document]]:
    sentences = corpus / "sentences"
    ntrex = sentences / "ntrex128_id_documents.jsonl"
    datasets = {
        "NTREX": load_ntrex(ntrex, title_line=False),
        "NTREX-title": load_ntrex(ntrex, title_line=True),
        "PUD": load_ud(sentences / "ud_pud_test.sentences.tsv"),
        "GSD": load_ud(sentences / "ud_gsd_test.sentences.tsv"),
        "CSUI": load_ud(sentences / "ud_csui_test.sentences.tsv"),
    }
    if extra is not None:
        for stem, name in EXTRA_SETS.items():
            splits = ["dev", "heldout"] if heldout else ["dev"]
            for split in splits:
                path = extra / "sentences" / f"{stem}.{split}.jsonl"
                if path.is_file():
                    label = name if split == "dev" else f"{name}-heldout"
                    datasets[label] = load_extra(path)
    return datasets


def ceiling(documents: list[Document], keep_quotes: bool = False) -> float:
    """F1 of a splitter that finds every visible gold boundary and the orthographic
    sentence ends inside gold units (those inside quotations only when it splits them)."""
    gold = sum(len(d.gold) for d in documents)
    found = gold - sum(d.hidden for d in documents)
    extra = sum(d.inner - (d.inner_quoted if keep_quotes else 0) for d in documents)
    recall = found / gold if gold else 1.0
    precision = found / (found + extra) if found + extra else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate(split: Splitter, documents: list[Document], errors: list[str] | None = None) -> Score:
    score = Score()
    for document in documents:
        predicted = set(split(document.text))
        score.tp += len(predicted & document.gold)
        score.fp += len(predicted - document.gold)
        score.fn += len(document.gold - predicted)
        if errors is not None:
            for offset in sorted(predicted ^ document.gold):
                kind = "FP" if offset in predicted else "FN"
                left = document.text[max(0, offset - 50) : offset].replace("\n", "⏎")
                right = document.text[offset : offset + 30].replace("\n", "⏎")
                errors.append(f"{kind}  …{left}|{right}…")
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--errors", type=int, default=0, help="show N ringkas errors per set")
    parser.add_argument("--dataset", action="append", help="only these datasets")
    parser.add_argument("--splitter", action="append", help="only these splitters")
    parser.add_argument(
        "--extra",
        type=Path,
        default=DEFAULT_EXTRA,
        help="extra sets built by benchmarks/extra_corpus.py (skipped when absent)",
    )
    parser.add_argument(
        "--heldout", action="store_true", help="also the held-out extra sets (final run only)"
    )
    args = parser.parse_args(argv)
    if not (args.corpus / "sentences").is_dir():
        print(f"corpus not found: {args.corpus / 'sentences'} (use --corpus PATH)", file=sys.stderr)
        return 2
    if not (args.extra / "sentences").is_dir():
        print(f"extra sets not found at {args.extra} (benchmarks/extra_corpus.py builds them)")
    datasets = load_datasets(args.corpus, args.extra, args.heldout)
    if args.dataset:
        datasets = {name: docs for name, docs in datasets.items() if name in args.dataset}
    splitters = {
        name: factory
        for name, factory in SPLITTERS.items()
        if not args.splitter or name in args.splitter
    }

    print(
        f"{'dataset':<20} {'splitter':<10} {'bounds':>6} {'P':>7} {'R':>7} {'F1':>7} "
        f"{'cap':>7} {'sec':>6}"
    )
    for name, documents in datasets.items():
        for splitter_name, factory in splitters.items():
            cap = ceiling(documents, keep_quotes=splitter_name == "ringkas-kq")
            split = factory()
            if isinstance(split, str):
                print(f"{name:<20} {splitter_name:<10} skipped: {split}")
                continue
            errors: list[str] | None = [] if splitter_name == "ringkas" and args.errors else None
            started = time.perf_counter()
            score = evaluate(split, documents, errors)
            elapsed = time.perf_counter() - started
            gold = score.tp + score.fn
            print(
                f"{name:<20} {splitter_name:<10} {gold:>6} {score.precision:>7.4f} "
                f"{score.recall:>7.4f} {score.f1:>7.4f} {cap:>7.4f} {elapsed:>6.2f}"
            )
            for line in (errors or [])[: args.errors]:
                print("    " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
