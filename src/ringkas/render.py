"""The terminal view: a rich panel per result (used only when stdout is a terminal)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ringkas.errors import printable
from ringkas.export import body
from ringkas.result import Result


def short_model_name(name: str) -> str:
    """The last part of a Hub id or folder path, for compact footers."""
    return name.rstrip("/").rsplit("/", 1)[-1]


def footer(result: Result) -> str:
    """Models, word counts and time in one line."""
    stats = result.stats
    translator = result.models.get("translator")
    models = short_model_name(translator) if translator else "untranslated"
    words = f"{stats.source_words} → {stats.translation_words} words"
    if result.models.get("summarizer"):
        models += f" → {short_model_name(str(result.models['summarizer']))}"
        words = f"{stats.source_words} → {stats.summary_words} words"
        if stats.chunks > 1:
            words += f" · {stats.chunks} chunks"
    seconds = stats.seconds.get("total", 0.0)
    return f"{models} · {words} · {seconds:.1f} s"


def marked_summary(result: Result) -> Text:
    """The summary with every number, date or name the article lacks in bold red."""
    text = Text(body(result).strip())
    if result.checks is None:
        return text
    lead = len(body(result)) - len(body(result).lstrip())
    for sentence in result.checks.sentences:
        for item in sentence.unsupported:
            start = sentence.offset + item.start - lead
            text.stylize("bold red", start, start + (item.end - item.start))
    return text


def fields_table(fields: dict[str, str | None]) -> Table:
    """The 5W1H (or any fields) style as a two-column table; '—' where the article is silent."""
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, value in fields.items():
        table.add_row(key.capitalize(), value if value else Text("—", style="dim"))
    return table


def faithfulness_line(result: Result) -> Text | None:
    """One line saying whether every fact of the summary was found in the article."""
    if result.checks is None:
        return None
    items = [u for s in result.checks.sentences for u in s.unsupported]
    if not items:
        return Text("✓ every number, date and name is in the article", style="green")
    listed = ", ".join(f"{u.text!r} ({u.kind})" for u in items)
    return Text(f"✗ not found in the article: {listed}", style="bold red")


def explanation(result: Result) -> list[Text]:
    """Under each summary sentence, its best supporting source sentence in both languages."""
    lines: list[Text] = []
    if result.checks is None:
        return lines
    for number, sentence in enumerate(result.checks.sentences, start=1):
        lines.append(Text(f"{number}. {sentence.text.strip()}", style="bold"))
        if not sentence.support:
            lines.append(Text("   no supporting sentence found", style="red"))
        for support in sentence.support[:1]:
            source = result.sentences[support.sentence]
            lines.append(Text(f"   EN ({support.score:.2f}): {source.translation}", style="dim"))
            lines.append(Text(f"   ID: {source.source}", style="dim italic"))
    return lines


def result_panel(result: Result, *, explain: bool = False) -> Panel:
    """A panel with the summary (or translation), where it came from, and a footer."""
    parts: list[Text | Table] = []
    meta = result.metadata
    origin = [str(meta[key]) for key in ("dateline", "outlet") if meta.get(key)]
    if origin:
        parts.append(Text(" · ".join(origin), style="bold cyan"))
    if result.fields is not None:
        parts.append(fields_table(result.fields))
    else:
        parts.append(marked_summary(result))
    verdict = faithfulness_line(result)
    if verdict is not None:
        parts += [Text(""), verdict]
    if explain:
        parts += [Text(""), *explanation(result)]
    if meta.get("source_url"):
        parts.append(Text(f"Source: {meta['source_url']}", style="dim"))
    title = "Summary" if result.summary is not None else "Translation"
    if result.style:
        title += f" ({result.style})"
    return Panel(
        Group(*parts),
        # The file name as text, never markup, with its control characters escaped.
        title=Text.assemble((title, "bold"), " · ", printable(result.source)),
        title_align="left",
        subtitle=Text(footer(result), style="dim"),
        subtitle_align="right",
        padding=(1, 2),
    )


def print_results(console: Console, results: list[Result], *, explain: bool = False) -> None:
    for result in results:
        console.print(result_panel(result, explain=explain))
