"""Every real article in the shared corpus goes through the whole CLI chain."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import TinyModels
from ringkas.cli import cli
from ringkas.text import clean_article, split_sentences


def test_summarize_every_corpus_article(corpus: Path, tiny: TinyModels) -> None:
    articles = sorted((corpus / "articles").glob("*.txt"))
    assert len(articles) > 50
    args = ["summarize", *map(str, articles), "-t", str(tiny.marian), "-s", str(tiny.t5)]
    result = CliRunner().invoke(cli, [*args, "--length", "short", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [item["source"] for item in data] == list(map(str, articles))
    for item, path in zip(data, articles, strict=True):
        assert item["summary"].strip(), path.name
        cleaned = clean_article(path.read_text(encoding="utf-8")).text
        expected = [
            s.strip() for line in cleaned.split("\n") for s in split_sentences(line) if s.strip()
        ]
        assert [s["source"] for s in item["sentences"]] == expected, path.name
        assert all(s["translation"].strip() for s in item["sentences"]), path.name
