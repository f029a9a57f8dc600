"""Results as text, Markdown or JSON: the formats that go to files and pipes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ringkas.result import Result

FORMATS = ("text", "markdown", "json")
_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".json": "json"}


def format_for_path(path: str) -> str | None:
    """The format a file name asks for by its suffix, if any."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def body(result: Result) -> str:
    """The main text of a result: the summary, or the translation for translate runs."""
    return result.summary if result.summary is not None else result.translation


def explanation_lines(result: Result) -> list[str]:
    """Each summary sentence, then its best supporting article sentence in both languages."""
    lines: list[str] = []
    if result.checks is None:
        return lines
    for number, sentence in enumerate(result.checks.sentences, start=1):
        lines.append(f"{number}. {sentence.text.strip()}")
        for support in sentence.support[:1]:
            source = result.sentences[support.sentence]
            if source.translation and source.translation != source.source:
                lines.append(f"   EN ({support.score:.2f}): {source.translation}")
                lines.append(f"   ID: {source.source}")
            else:
                lines.append(f"   source ({support.score:.2f}): {source.source}")
        if not sentence.support:
            lines.append("   (no supporting sentence found)")
        for item in sentence.unsupported:
            lines.append(f"   not in the article: {item.text!r} ({item.kind})")
    return lines


def to_text(result: Result, *, explain: bool = False) -> str:
    text = body(result).rstrip() + "\n"
    if explain and result.checks is not None:
        text += "\n" + "\n".join(explanation_lines(result)) + "\n"
    return text


def _seconds(result: Result) -> str:
    return f"{result.stats.seconds.get('total', 0.0):.1f} s"


def to_markdown(result: Result, *, explain: bool = False) -> str:
    stats = result.stats
    title = "Summary" if result.summary is not None else "Translation"
    if result.style:
        title += f" ({result.style})"
    lines = [f"# {title}: {result.source}", ""]
    for notice in result.warnings:
        lines += [f"> **Warning ({notice.code}):** {notice.message}", ""]
    if result.fields is not None:
        lines += ["| | |", "|---|---|"]
        lines += [
            f"| {key.capitalize()} | {value or '—'} |" for key, value in result.fields.items()
        ]
        lines.append("")
    else:
        lines += [body(result).strip(), ""]
    if result.checks is not None:
        items = [u for sentence in result.checks.sentences for u in sentence.unsupported]
        if items:
            listed = ", ".join(f"“{u.text}” ({u.kind})" for u in items)
            lines += [f"> **Not found in the article:** {listed}", ""]
        else:
            lines += ["*Every number, date and name in the summary is in the article.*", ""]
    if explain and result.checks is not None:
        lines += ["## Where each sentence comes from", "", "```", *explanation_lines(result)]
        lines += ["```", ""]
    lines += ["## Details", ""]
    translator = result.models.get("translator")
    lines.append(f"- Translator: `{translator}`" if translator else "- Not translated (English)")
    if result.models.get("summarizer"):
        lines.append(f"- Summarizer: `{result.models['summarizer']}`")
    words = f"- Words: {stats.source_words} (Indonesian) → {stats.translation_words} (English)"
    if result.summary is not None:
        words += f" → {stats.summary_words} (summary)"
        lines.append(words)
        lines.append(f"- Chunks: {stats.chunks}, passes: {stats.passes}")
    else:
        lines.append(words)
    for key in ("dateline", "outlet", "source_url"):
        if key in result.metadata:
            lines.append(f"- {key.replace('_', ' ').capitalize()}: {result.metadata[key]}")
    lines.append(f"- Time: {_seconds(result)}")
    if result.summary is not None:
        lines += ["", "## Translation", "", result.translation.strip()]
    return "\n".join(lines) + "\n"


def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render(
    results: Sequence[Result], fmt: str, *, many: bool | None = None, explain: bool = False
) -> str:
    """Format results as one document; JSON is an object for one input, a list for ``many``.
    ``explain`` adds each summary sentence's sources to text and Markdown."""
    if many is None:
        many = len(results) > 1
    if fmt == "json":
        if not many and len(results) == 1:
            return to_json(results[0])
        payload = [result.to_dict() for result in results]
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    one = to_markdown if fmt == "markdown" else to_text
    if len(results) == 1:
        return one(results[0], explain=explain)
    if fmt == "markdown":
        return "\n---\n\n".join(one(result, explain=explain) for result in results)
    return "\n".join(
        f"==> {result.source} <==\n{one(result, explain=explain)}" for result in results
    )
