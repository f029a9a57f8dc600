"""The terminal view: a rich panel per result (used only when stdout is a terminal)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from ringkas.export import body
from ringkas.result import Result


def short_model_name(name: str) -> str:
    """The last part of a Hub id or folder path, for compact footers."""
    return name.rstrip("/").rsplit("/", 1)[-1]


def footer(result: Result) -> str:
    """Models, word counts and time in one line."""
    stats = result.stats
    models = short_model_name(result.models["translator"])
    words = f"{stats.source_words} → {stats.translation_words} words"
    if "summarizer" in result.models:
        models += f" → {short_model_name(result.models['summarizer'])}"
        words = f"{stats.source_words} → {stats.summary_words} words"
        if stats.chunks > 1:
            words += f" · {stats.chunks} chunks"
    seconds = stats.seconds.get("total", 0.0)
    return f"{models} · {words} · {seconds:.1f} s"


def result_panel(result: Result) -> Panel:
    """A panel with the summary (or translation), where it came from, and a footer."""
    parts: list[Text] = []
    meta = result.metadata
    origin = [str(meta[key]) for key in ("dateline", "outlet") if meta.get(key)]
    if origin:
        parts.append(Text(" · ".join(origin), style="bold cyan"))
    parts.append(Text(body(result).strip()))
    if meta.get("source_url"):
        parts.append(Text(f"Source: {meta['source_url']}", style="dim"))
    title = "Summary" if result.summary is not None else "Translation"
    return Panel(
        Group(*parts),
        title=f"[bold]{title}[/bold] · {result.source}",
        title_align="left",
        subtitle=Text(footer(result), style="dim"),
        subtitle_align="right",
        padding=(1, 2),
    )


def print_results(console: Console, results: list[Result]) -> None:
    for result in results:
        console.print(result_panel(result))
