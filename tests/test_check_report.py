"""The public API and its JSON shape."""

from __future__ import annotations

import json

import pytest

import ringkas.check as check
from ringkas.check import KINDS, CheckReport, SourceIndex, check_summary, split_sentences

SOURCE = [
    "Sekretaris Daerah Provinsi Maluku, Sadali Ie, membuka rapat pada Rabu (8/3/2023).",
    "Anggarannya Rp7,4 triliun.",
]
ENGLISH = [
    "The Regional Secretary of Maluku Province, Sadali Ie, opened the meeting on "
    "Wednesday (8/3/2023).",
    "Its budget is Rp7.4 trillion.",
]


def test_json_shape() -> None:
    report = check_summary(
        "Sadali Ie opened the meeting on March 8, 2023. The budget is Rp7.4 billion, said "
        "Alec Baldwin.",
        SOURCE,
        ENGLISH,
    )
    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"faithful", "checks"}
    assert data["faithful"] is False
    first, second = data["checks"]
    assert set(first) == {"sentence", "support", "unsupported"}
    assert first["unsupported"] == []
    assert first["support"][0]["sentence"] == 0
    assert second["support"][0] == {"sentence": 1, "score": second["support"][0]["score"]}
    assert [(u["kind"], u["text"]) for u in second["unsupported"]] == [
        ("money", "Rp7.4 billion"),
        ("name", "Alec Baldwin"),
    ]
    for item in second["unsupported"]:
        assert second["sentence"][item["start"] : item["end"]] == item["text"]
        assert item["kind"] in KINDS
    assert report.unsupported_count == 2


def test_faithful_summary() -> None:
    report = check_summary("Sadali Ie opened the meeting on Wednesday.", SOURCE, ENGLISH)
    assert isinstance(report, CheckReport)
    assert report.faithful and report.unsupported_count == 0


def test_english_article_without_translation() -> None:
    report = check_summary("The budget is Rp 7.4 trillion.", ENGLISH)
    assert report.faithful
    assert report.sentences[0].support[0].sentence == 1


def test_sentence_offsets_point_into_the_summary() -> None:
    summary = "  Sadali Ie opened it.  The budget is Rp7.4 trillion. "
    report = check_summary(summary, SOURCE, ENGLISH)
    for sentence in report.sentences:
        assert summary[sentence.offset : sentence.offset + len(sentence.text)] == sentence.text


def test_empty_summary_is_faithful() -> None:
    report = check_summary("", SOURCE, ENGLISH)
    assert report.faithful and report.sentences == []
    assert report.to_dict() == {"faithful": True, "checks": []}


def test_misaligned_translation_is_rejected() -> None:
    with pytest.raises(ValueError, match="align one to one"):
        check_summary("x", SOURCE, ENGLISH[:1])


def test_source_index_is_reusable() -> None:
    index = SourceIndex(SOURCE, ENGLISH)
    assert index.check("The budget is Rp7.4 trillion.").faithful
    assert not index.check("The budget is Rp8.4 trillion.").faithful


def test_package_imports_no_model_libraries() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, ringkas.check\n"
        "print([m for m in ('torch', 'transformers') if m in sys.modules])"
    )
    src = Path(__file__).resolve().parents[1] / "src"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(src)}
    )
    assert check.__name__ == "ringkas.check"
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Mr. Ie spoke at 8:30 a.m. on Wednesday. It ended.", 2),
        ("The U.S. and Indonesia met. H. Basalama came.", 2),
        ("Prices rose 2.5 percent. Rp. 300 juta was spent!", 2),
        ("One\n\nTwo", 2),
        ("He said: “It is done.” Then he left.", 2),
    ],
)
def test_split_sentences(text: str, sentences: int) -> None:
    assert len(split_sentences(text)) == sentences


def test_guess_language() -> None:
    assert (
        check.guess_language("Rapat ini digelar di Ambon dan dihadiri oleh para pejabat.") == "id"
    )
    assert check.guess_language("The meeting was held in Ambon and attended by officials.") == "en"
