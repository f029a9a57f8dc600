"""``ringkas check``: are a summary's numbers, dates and names in the article?"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from ringkas.cli.options import fetch_options, model_options, resolve_settings
from ringkas.errors import ExitCode, UsageError


def verdict_lines(result: Any) -> list[str]:
    """The check as plain lines: the verdict, then each unsupported item by sentence."""
    checks = result.checks
    items = [(n, u) for n, s in enumerate(checks.sentences, start=1) for u in s.unsupported]
    if not items:
        return ["faithful: every number, date and name in the summary is in the article"]
    lines = [f"not faithful: {len(items)} item(s) not found in the article"]
    lines += [f"  sentence {n}: {u.text!r} ({u.kind})" for n, u in items]
    return lines


@click.command()
@click.argument("article", metavar="ARTICLE")
@click.argument("summary", metavar="SUMMARY")
@model_options(summarizer=False)
@fetch_options
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["auto", "text", "json"]),
    default="auto",
    show_default=True,
    help="auto: coloured on a terminal, plain text when piped.",
)
@click.option("--explain", is_flag=True, help="Show each summary sentence's best source sentence.")
@click.option(
    "--strict", is_flag=True, help=f"Exit {int(ExitCode.UNFAITHFUL)} if anything is unsupported."
)
@click.option(
    "--no-translate",
    is_flag=True,
    help="Do not translate an Indonesian article first (no model needed; names in an English "
    "summary are then often unmatched).",
)
def check(
    article: str,
    summary: str,
    fmt: str,
    explain: bool,
    strict: bool,
    no_translate: bool,
    **options: Any,
) -> None:
    """Check SUMMARY (a file, or '-' for stdin) against ARTICLE (Indonesian or English;
    a file, '-', or a web page's URL).

    Every number, amount, percentage, date, time and name in the summary must be found in
    the article (across languages and notations); each summary sentence is attributed to
    the article sentences that support it. Works on any summary: a colleague's, or one
    from another tool.
    """
    from ringkas.pipeline import Pipeline
    from ringkas.sources import Fetcher, read_document

    if article == "-" and summary == "-":
        raise UsageError("only one of ARTICLE and SUMMARY can be read from stdin")
    settings = resolve_settings(options)
    with Fetcher(options.pop("fetch")) as fetcher:
        document = read_document(article, fetcher=fetcher)
        summary_text = read_document(summary, fetcher=fetcher).text
    pipeline = Pipeline(settings)
    result = pipeline.check(document, summary_text, translate=not no_translate)
    if fmt == "auto":
        fmt = "panel" if sys.stdout.isatty() and "NO_COLOR" not in os.environ else "text"
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "panel":
        from rich.console import Console

        from ringkas.render import result_panel

        Console().print(result_panel(result, explain=explain))
    else:
        click.echo("\n".join(verdict_lines(result)))
        if explain:
            from ringkas.export import explanation_lines

            click.echo("\n".join(explanation_lines(result)))
    if strict and not result.faithful:
        sys.exit(int(ExitCode.UNFAITHFUL))
