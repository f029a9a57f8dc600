"""``ringkas prompts``: the summary styles (prompt templates) for instruction models."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from ringkas.cli.options import RingkasGroup, echo_error
from ringkas.errors import ExitCode

if TYPE_CHECKING:
    from ringkas.prompts import PromptTemplate

EXAMPLE_ARTICLE = "(the English translation of the article goes here)"


@click.group(cls=RingkasGroup)
def prompts() -> None:
    """Summary styles for instruction models (--style): list, show, and where they live.

    Each style is a TOML template. Add your own as NAME.toml in the user folder
    (`ringkas prompts path`); one with a built-in's name replaces it.
    """


def _source(template: PromptTemplate) -> str:
    if template.builtin:
        return "builtin"
    return "user (overrides builtin)" if template.overrides else "user"


def _row(template: PromptTemplate) -> dict[str, Any]:
    return {
        "name": template.name,
        "output": template.output,
        "seq2seq": template.seq2seq,
        "source": "builtin" if template.builtin else "user",
        "overrides_builtin": template.overrides is not None,
        "description": template.description,
        "defaults": dict(template.defaults),
        "fields": list(template.fields) or None,
        "path": str(template.path),
    }


@prompts.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_(as_json: bool) -> None:
    """List the styles: name, output kind, what a plain seq2seq summarizer does with it
    (native: its own summary; refuse: needs an instruction model), source, description."""
    from ringkas.prompts import PromptError, list_templates

    errors: list[PromptError] = []
    templates = list_templates(errors=errors)
    if as_json:
        for template in templates:
            click.echo(json.dumps(_row(template), ensure_ascii=False))
    else:
        _print_table(templates)
    for error in errors:
        echo_error(f"{error.one_line()} (skipped)")
    if errors:
        sys.exit(int(ExitCode.USAGE))


def _print_table(templates: list[PromptTemplate]) -> None:
    headers = ("name", "output", "seq2seq", "source", "description")
    rows = [(t.name, t.output, t.seq2seq, _source(t), t.description) for t in templates]
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(*headers)
        for row in rows:
            table.add_row(*row)
        Console().print(table)
    else:
        for row in rows:
            click.echo("\t".join(row))


@prompts.command()
@click.argument("name", metavar="NAME|FILE")
@click.option(
    "--example",
    is_flag=True,
    help="Also show the prompt as a model gets it, with a placeholder article.",
)
def show(name: str, example: bool) -> None:
    """Print the template of style NAME (or the template FILE, a path ending in .toml)."""
    from ringkas.prompts import PromptError, load_template, render

    template = load_template(name)
    try:
        source = template.path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"cannot read the file ({exc.strerror})", path=template.path) from None
    if template.overrides is not None:
        click.echo(f"ringkas: {template.path} overrides {template.overrides}", err=True)
    click.echo(source, nl=not source.endswith("\n"))
    if example:
        rendered = render(template, EXAMPLE_ARTICLE)
        for title, text in (
            ("system message (chat models)", rendered.system),
            ("user message (chat models)", rendered.user),
            ("plain prompt (T5-style models)", rendered.text),
        ):
            click.echo(f"\n# --- {title} ---\n{text}")


@prompts.command()
def path() -> None:
    """Print the folder of the built-in styles and the folder for your own."""
    from ringkas.prompts import builtin_dir, user_dir

    click.echo(f"builtin\t{builtin_dir()}")
    click.echo(f"user\t{user_dir()}")
