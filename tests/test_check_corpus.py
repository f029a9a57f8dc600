"""The checker on real corpus documents (skipped when ../shared/corpus is absent)."""

from __future__ import annotations

import re

import pytest

from conftest import CORPUS
from ringkas.check import SourceIndex, check_summary, split_sentences

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")


def ntrex_document(doc_id: str) -> tuple[list[str], list[str]]:
    base = CORPUS / "parallel" / "ntrex128_newstest2019"
    ids = base.with_suffix(".id.txt").read_text("utf-8").splitlines()
    ens = base.with_suffix(".en.txt").read_text("utf-8").splitlines()
    meta = base.with_suffix(".meta.tsv").read_text("utf-8").splitlines()[1:]
    rows = [i for i, row in enumerate(meta) if row.split("\t")[1] == doc_id]
    return [ids[i] for i in rows], [ens[i] for i in rows]


@pytest.fixture(scope="module")
def welsh() -> tuple[list[str], list[str]]:
    return ntrex_document("bbc.381790")


def test_lead_summary_is_faithful_and_attributed(welsh: tuple[list[str], list[str]]) -> None:
    indonesian, english = welsh
    summary = " ".join(english[1:3])
    report = check_summary(summary, indonesian, english)
    assert report.faithful
    assert [s.support[0].sentence for s in report.sentences] == [1, 2]


def test_planted_errors_are_flagged(welsh: tuple[list[str], list[str]]) -> None:
    indonesian, english = welsh
    index = SourceIndex(indonesian, english)
    summary = english[10]  # "The Government of Wales Act 2017 gave the Welsh assembly ..."
    assert index.check(summary).faithful
    for wrong, kind in [("2016", "date"), ("Scotland", "name")]:
        changed = re.sub(r"2017" if kind == "date" else r"Wales", wrong, summary, count=1)
        (item,) = index.check(changed).sentences[0].unsupported
        assert item.kind == kind and wrong in item.text  # a name is reported whole


def test_indonesian_reference_summary_against_its_article() -> None:
    folder = CORPUS / "summaries"
    article = (folder / "indosum_antaranews_026.article.txt").read_text("utf-8")
    summary = (folder / "indosum_antaranews_026.summary.txt").read_text("utf-8")
    sentences = [s for line in article.splitlines() for s in split_sentences(line)]
    assert check_summary(summary, sentences).faithful
    wrong = summary.replace("6 November 2017", "9 November 2017")
    flagged = [u.text for s in check_summary(wrong, sentences).sentences for u in s.unsupported]
    assert flagged == ["9 November 2017"]


def test_reference_summary_with_a_real_discrepancy_is_flagged() -> None:
    # IndoSum's own reference says "3,6 persen" and "US$ 56,41"; the article says 3,3 and 56,78.
    folder = CORPUS / "summaries"
    article = (folder / "indosum_antaranews_291.article.txt").read_text("utf-8")
    summary = (folder / "indosum_antaranews_291.summary.txt").read_text("utf-8")
    sentences = [s for line in article.splitlines() for s in split_sentences(line)]
    flagged = {u.text for s in check_summary(summary, sentences).sentences for u in s.unsupported}
    assert {"3,6 persen", "US$ 56,41"} <= flagged
