"""The ``ringkas`` command line: parse options, call the library, render results."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ringkas import __version__
from ringkas.errors import ExitCode, RingkasError

if TYPE_CHECKING:
    from ringkas.pipeline import Pipeline
    from ringkas.result import Result

# Kept here (not imported from ringkas.models) so that --help never loads model code.
LENGTH_CHOICES = ("short", "medium", "long")
ENGINE_CHOICES = ("torch",)
DEVICE_CHOICES = ("cpu", "cuda", "auto")
FORMAT_CHOICES = ("auto", "text", "markdown", "json")


def _error(message: str) -> None:
    click.echo(f"ringkas: error: {message}", err=True)


def _warn(message: str) -> None:
    click.echo(f"ringkas: warning: {message}", err=True)


class RingkasGroup(click.Group):
    """Turns library errors into one line on stderr and a documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RingkasError as exc:
            _error(exc.one_line())
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            _error("interrupted")
            ctx.exit(int(ExitCode.INTERRUPTED))


def model_options(*, summarizer: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Options shared by the commands that run models."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        options = [
            click.option(
                "--translator",
                "-t",
                envvar="RINGKAS_TRANSLATOR",
                metavar="MODEL",
                help="Translation model: Hub id (OWNER/NAME[@REVISION]) or local folder. "
                "[env: RINGKAS_TRANSLATOR; default: Helsinki-NLP/opus-mt-id-en]",
            ),
            click.option(
                "--engine",
                envvar="RINGKAS_ENGINE",
                type=click.Choice(ENGINE_CHOICES),
                default="torch",
                show_default=True,
                help="Inference engine. [env: RINGKAS_ENGINE]",
            ),
            click.option(
                "--device",
                envvar="RINGKAS_DEVICE",
                type=click.Choice(DEVICE_CHOICES),
                default="cpu",
                show_default=True,
                help="Where the models run. [env: RINGKAS_DEVICE]",
            ),
            click.option(
                "--threads",
                type=click.IntRange(min=1),
                envvar="RINGKAS_THREADS",
                help="CPU threads for inference (default: the library's choice).",
            ),
            click.option(
                "--no-clean",
                is_flag=True,
                help="Keep the article as it is: no removal of datelines, ads, bylines.",
            ),
            click.option(
                "--format",
                "-f",
                "fmt",
                type=click.Choice(FORMAT_CHOICES),
                default="auto",
                show_default=True,
                help="Output format. auto: a panel on a terminal, plain text when piped "
                "(or the format -o's suffix names).",
            ),
            click.option(
                "--output",
                "-o",
                type=click.Path(dir_okay=False, writable=True),
                help="Write the result to this file instead of stdout.",
            ),
            click.option("--quiet", "-q", is_flag=True, help="No progress or warnings on stderr."),
        ]
        if summarizer:
            options[1:1] = [
                click.option(
                    "--summarizer",
                    "-s",
                    envvar="RINGKAS_SUMMARIZER",
                    metavar="MODEL",
                    help="Summarization model: Hub id or local folder. "
                    "[env: RINGKAS_SUMMARIZER; default: sshleifer/distilbart-cnn-12-6]",
                ),
                click.option(
                    "--length",
                    "-l",
                    type=click.Choice(LENGTH_CHOICES),
                    default="medium",
                    show_default=True,
                    help="Summary length.",
                ),
            ]
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


@click.group(cls=RingkasGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ringkas")
def cli() -> None:
    """English summaries of Indonesian news articles.

    \b
    ringkas summarize artikel.txt
    cat artikel.txt | ringkas summarize - --format json
    ringkas translate artikel.txt -o artikel.en.txt
    """


def _resolve_format(fmt: str, output: str | None) -> str:
    if fmt != "auto":
        return fmt
    if output:
        from ringkas.export import format_for_path

        return format_for_path(output) or "text"
    return "auto"


def _check_output(output: str | None, paths: tuple[str, ...]) -> None:
    """Refuse an output file that is one of the inputs: results never overwrite articles."""
    if not output:
        return
    target = Path(output).resolve()
    for path in paths:
        if path != "-" and Path(path).resolve() == target:
            raise click.UsageError(f"the output file {output!r} is also an input")


@contextmanager
def _status(enabled: bool) -> Iterator[Callable[[str], None] | None]:
    """A spinner on stderr naming the current stage, only when stderr is a terminal."""
    if not enabled:
        yield None
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("starting") as status:
        yield lambda stage: status.update(f"{stage}…")


def _run(
    paths: tuple[str, ...],
    *,
    fmt: str,
    output: str | None,
    quiet: bool,
    make_pipeline: Callable[[Callable[[str], None] | None], Pipeline],
    summarize: bool,
) -> None:
    from ringkas.sources import read_document

    if paths.count("-") > 1:
        raise click.UsageError("stdin ('-') can be read only once")
    _check_output(output, paths)
    fmt = _resolve_format(fmt, output)
    pretty = fmt == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    results: list[Result] = []
    failed = 0
    show_status = not quiet and sys.stderr.isatty()
    with _status(show_status) as on_stage:
        pipeline = make_pipeline(on_stage)
        for path in paths:
            try:
                document = read_document(path)
                run = pipeline.summarize if summarize else pipeline.translate
                (result,) = run([document])
            except RingkasError as exc:
                if exc.exit_code != ExitCode.INPUT_FAILED:
                    raise
                failed += 1
                _error(exc.one_line())
                continue
            if not quiet:
                for notice in result.warnings:
                    _warn(f"{result.source}: {notice.message}")
            results.append(result)
    _emit(results, fmt=fmt, output=output, pretty=pretty, many=len(paths) > 1)
    if failed:
        sys.exit(int(ExitCode.INPUT_FAILED))


def _emit(results: list[Result], *, fmt: str, output: str | None, pretty: bool, many: bool) -> None:
    from ringkas.export import render, write_atomic

    if not results:
        return
    if output:
        write_atomic(Path(output), render(results, "text" if fmt == "auto" else fmt, many=many))
    elif pretty:
        from rich.console import Console

        from ringkas.render import print_results

        print_results(Console(), results)
    else:
        click.echo(render(results, "text" if fmt == "auto" else fmt, many=many), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH... | -")
@model_options(summarizer=True)
def summarize(
    paths: tuple[str, ...],
    translator: str | None,
    summarizer: str | None,
    length: str,
    engine: str,
    device: str,
    threads: int | None,
    no_clean: bool,
    fmt: str,
    output: str | None,
    quiet: bool,
) -> None:
    """Summarise Indonesian articles in English (PATH '-' reads stdin).

    Each article is cleaned, translated sentence by sentence, then summarised; long
    articles are summarised in chunks and recombined, never cut.
    """

    def make(on_stage: Callable[[str], None] | None) -> Pipeline:
        from ringkas.pipeline import Pipeline

        return Pipeline(
            translator,
            summarizer,
            engine=engine,
            device=device,
            threads=threads,
            length=length,
            clean=not no_clean,
            on_stage=on_stage,
        )

    _run(paths, fmt=fmt, output=output, quiet=quiet, make_pipeline=make, summarize=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH... | -")
@model_options(summarizer=False)
def translate(
    paths: tuple[str, ...],
    translator: str | None,
    engine: str,
    device: str,
    threads: int | None,
    no_clean: bool,
    fmt: str,
    output: str | None,
    quiet: bool,
) -> None:
    """Translate Indonesian articles to English, paragraph by paragraph (PATH '-' reads stdin)."""

    def make(on_stage: Callable[[str], None] | None) -> Pipeline:
        from ringkas.pipeline import Pipeline

        return Pipeline(
            translator,
            engine=engine,
            device=device,
            threads=threads,
            clean=not no_clean,
            on_stage=on_stage,
        )

    _run(paths, fmt=fmt, output=output, quiet=quiet, make_pipeline=make, summarize=False)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ringkas")
