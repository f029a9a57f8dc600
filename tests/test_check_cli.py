"""Faithfulness checks from the command line: `ringkas check`, --strict, --explain, the views."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import SEED, TinyModels
from ringkas.check import check_summary
from ringkas.cli import cli
from ringkas.errors import ExitCode
from ringkas.render import faithfulness_line, marked_summary
from ringkas.result import Result, Sentence, Stats

ENGLISH_ARTICLE = (
    "Revenue at the state lender rose 2.5 percent to Rp7.4 trillion in 2023, chief executive "
    "Budi Santoso told reporters in Jakarta on Wednesday.\n"
    "The bank plans to open 300 new branches over the next two years, he said."
)


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_faithful_summary_passes_even_strict(tmp_path: Path) -> None:
    article = write(tmp_path, "article.txt", ENGLISH_ARTICLE)
    summary = write(
        tmp_path, "summary.txt", "Revenue rose 2.5% to Rp7.4 trillion, Budi Santoso said."
    )
    result = invoke("check", article, summary, "--format", "json", "--strict")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["faithful"] is True
    assert data["language"] == "en"
    assert data["models"]["translator"] is None  # English: nothing to translate, no model
    [check] = data["checks"]
    assert check["unsupported"] == []
    assert check["support"][0]["sentence"] == 0


def test_wrong_number_and_invented_name_are_flagged(tmp_path: Path) -> None:
    article = write(tmp_path, "article.txt", ENGLISH_ARTICLE)
    summary = write(
        tmp_path,
        "summary.txt",
        "Revenue rose 3.5 percent to Rp7.4 trillion. Hadi Kurniawan plans 300 new branches.",
    )
    result = invoke("check", article, summary, "--format", "json")
    assert result.exit_code == 0  # a verdict, not an error, unless --strict
    data = json.loads(result.stdout)
    assert data["faithful"] is False
    flagged = [(u["kind"], u["text"]) for c in data["checks"] for u in c["unsupported"]]
    assert flagged == [("percent", "3.5 percent"), ("name", "Hadi Kurniawan")]
    first = data["checks"][0]
    start, end = first["unsupported"][0]["start"], first["unsupported"][0]["end"]
    assert first["sentence"][start:end] == "3.5 percent"

    strict = invoke("check", article, summary, "--strict")
    assert strict.exit_code == ExitCode.UNFAITHFUL
    assert "not faithful: 2 item(s)" in strict.stdout
    assert "'Hadi Kurniawan' (name)" in strict.stdout


def test_indonesian_article_numbers_match_across_languages(tmp_path: Path) -> None:
    article = write(
        tmp_path,
        "artikel.txt",
        "Pendapatan bank naik 2,5 persen menjadi Rp7,4 triliun pada 2023. "
        "Rapat berlangsung dua hari pada Rabu (8/3/2023).",
    )
    # Without a translation only numbers cross languages; names need the translation (the
    # default), so these summaries name nothing.
    good = (
        "The bank's revenue rose 2.5 percent to Rp7.4 trillion in 2023 (two-day meeting, March 8)."
    )
    bad = "The bank's revenue rose 2.5 percent to Rp7.4 billion in 2023 (meeting on March 9, 2023)."
    ok = invoke("check", article, "-", "--no-translate", "-f", "json", input=good)
    assert json.loads(ok.stdout)["faithful"] is True, ok.stdout
    wrong = invoke("check", article, "-", "--no-translate", "-f", "json", input=bad)
    kinds = [u["kind"] for c in json.loads(wrong.stdout)["checks"] for u in c["unsupported"]]
    assert sorted(kinds) == ["date", "money"]


def test_check_translates_an_indonesian_article_first(tiny: TinyModels, tmp_path: Path) -> None:
    summary = write(
        tmp_path,
        "summary.txt",
        "The regional secretary opened a two-day meeting in Ambon on March 8, 2023.",
    )
    result = invoke("check", str(SEED), summary, "-t", str(tiny.marian), "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["models"]["translator"] == str(tiny.marian)
    assert all(s["translation"] for s in data["sentences"])
    # "Ambon" is only in the dateline, which the cleaner moved to metadata: still supported.
    assert data["faithful"] is True, data["checks"]


def test_explain_shows_where_each_sentence_comes_from(tmp_path: Path) -> None:
    article = write(tmp_path, "article.txt", ENGLISH_ARTICLE)
    summary = write(tmp_path, "summary.txt", "The bank plans 300 new branches in two years.")
    result = invoke("check", article, summary, "--explain")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("faithful")
    assert lines[1] == "1. The bank plans 300 new branches in two years."
    assert lines[2].startswith("   source (") and "300 new branches" in lines[2]


def test_check_usage_errors(tmp_path: Path) -> None:
    article = write(tmp_path, "article.txt", ENGLISH_ARTICLE)
    assert invoke("check", "-", "-", input="x").exit_code == ExitCode.USAGE
    empty = invoke("check", article, write(tmp_path, "empty.txt", " \n"))
    assert empty.exit_code == ExitCode.INPUT_FAILED
    assert "empty" in empty.stderr


def test_summarize_strict_exit_code_follows_the_verdict(tiny: TinyModels) -> None:
    args = ["summarize", str(SEED), "-t", str(tiny.marian), "-s", str(tiny.t5), "-f", "json"]
    result = invoke(*args, "--strict")
    data = json.loads(result.stdout)
    assert data["faithful"] is (
        not data["checks"] or all(not c["unsupported"] for c in data["checks"])
    )
    assert result.exit_code == (0 if data["faithful"] else ExitCode.UNFAITHFUL)
    if not data["faithful"]:
        assert "not found in the article" in result.stderr
    relaxed = invoke(*args)
    assert relaxed.exit_code == 0


def test_summarize_explain_in_text_and_markdown(tiny: TinyModels) -> None:
    args = ["summarize", str(SEED), "-t", str(tiny.marian), "-s", str(tiny.t5), "--explain"]
    text = invoke(*args, "-f", "text").stdout
    assert "\n1. " in text
    assert "   ID: " in text or "(no supporting sentence found)" in text
    markdown = invoke(*args, "-f", "markdown").stdout
    assert "## Where each sentence comes from" in markdown


def test_terminal_view_marks_unsupported_items_red() -> None:
    sources = ["Rapat berlangsung dua hari pada Rabu (8/3/2023)."]
    english = ["The meeting lasted two days on Wednesday (8/3/2023)."]
    summary = "The meeting lasted two days. It ended on March 9, 2023."
    result = Result(
        source="x.txt",
        translation=english[0],
        summary=summary,
        models={"translator": "t", "summarizer": "s"},
        settings={},
        sentences=[Sentence(0, 0, sources[0], english[0])],
        stats=Stats(),
        checks=check_summary(summary, sources, english),
    )
    text = marked_summary(result)
    red = [text.plain[span.start : span.end] for span in text.spans if "red" in str(span.style)]
    assert red == ["March 9, 2023"]
    verdict = faithfulness_line(result)
    assert verdict is not None and "March 9, 2023" in verdict.plain
