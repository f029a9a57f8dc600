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
from ringkas.settings import COMPUTE_TYPES, DEFAULT_BEAM, DEVICES, ENGINES, LENGTHS

if TYPE_CHECKING:
    from ringkas.result import Result
    from ringkas.settings import Settings

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


def _forced_lengths(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[float, int] | None:
    if value is None:
        return None
    try:
        ratio, tokens = value.split(",")
        return float(ratio), int(tokens)
    except ValueError:
        raise click.BadParameter("expected RATIO,TOKENS, e.g. 1.0,128") from None


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
                type=click.Choice(ENGINES),
                help="Inference engine. [env: RINGKAS_ENGINE; default: ctranslate2]",
            ),
            click.option(
                "--device",
                envvar="RINGKAS_DEVICE",
                type=click.Choice(DEVICES),
                help="Where the models run. [env: RINGKAS_DEVICE; default: cpu]",
            ),
            click.option(
                "--compute-type",
                envvar="RINGKAS_COMPUTE_TYPE",
                type=click.Choice(COMPUTE_TYPES),
                help="Numeric precision; auto: int8 on CPU with ctranslate2. "
                "[env: RINGKAS_COMPUTE_TYPE; default: auto]",
            ),
            click.option(
                "--threads",
                type=click.IntRange(min=1),
                envvar="RINGKAS_THREADS",
                help="CPU threads for inference. [env: RINGKAS_THREADS; default: all cores]",
            ),
            click.option(
                "--beam",
                "beam_size",
                type=click.IntRange(1, 16),
                help=f"Beam width in both stages. [default: {DEFAULT_BEAM}]",
            ),
            click.option("--fast", is_flag=True, help="Greedy decoding (--beam 1): fastest."),
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
            click.option(
                "--force-output-lengths",
                "forced_lengths",
                metavar="RATIO,TOKENS",
                callback=_forced_lengths,
                hidden=True,  # benchmarks only (see benchmarks/README.md)
            ),
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
                    type=click.Choice(LENGTHS),
                    help="Summary length. [default: medium]",
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


def _settings(options: dict[str, Any]) -> Settings:
    """Settings from the model options; --fast and --no-clean are spelt differently."""
    from ringkas.settings import Settings

    if options.pop("fast"):
        if options.get("beam_size") not in (None, 1):
            raise click.UsageError("--fast and --beam contradict each other")
        options["beam_size"] = 1
    options["clean"] = not options.pop("no_clean")
    return Settings.from_options(**options)


def _run(paths: tuple[str, ...], options: dict[str, Any], *, summarize: bool) -> None:
    from ringkas.errors import InputError
    from ringkas.pipeline import Document, Pipeline
    from ringkas.sources import read_document

    fmt, output, quiet = options.pop("fmt"), options.pop("output"), options.pop("quiet")
    settings = _settings(options)
    if quiet:
        os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    if paths.count("-") > 1:
        raise click.UsageError("stdin ('-') can be read only once")
    _check_output(output, paths)
    fmt = _resolve_format(fmt, output)
    pretty = fmt == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    results: list[Result] = []
    failed = 0

    def fail(error: RingkasError) -> None:
        nonlocal failed
        failed += 1
        _error(error.one_line())

    def documents() -> Iterator[Document]:
        for path in paths:
            try:
                yield read_document(path)
            except InputError as exc:
                fail(exc)

    report = None if quiet else _note
    with _status(not quiet and sys.stderr.isatty()) as on_stage:
        pipeline = Pipeline(settings, on_stage=on_stage, report=report)
        for _document, outcome in pipeline.process(documents(), summarize=summarize):
            if isinstance(outcome, InputError):
                fail(outcome)
                continue
            if not quiet:
                for notice in outcome.warnings:
                    _warn(f"{outcome.source}: {notice.message}")
            results.append(outcome)
    _emit(results, fmt=fmt, output=output, pretty=pretty, many=len(paths) > 1)
    if failed:
        sys.exit(int(ExitCode.INPUT_FAILED))


def _note(message: str) -> None:
    click.echo(f"ringkas: {message}", err=True)


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
def summarize(paths: tuple[str, ...], **options: Any) -> None:
    """Summarise Indonesian articles in English (PATH '-' reads stdin).

    Each article is cleaned, translated sentence by sentence, then summarised; long
    articles are summarised in chunks and recombined, never cut.
    """
    _run(paths, options, summarize=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH... | -")
@model_options(summarizer=False)
def translate(paths: tuple[str, ...], **options: Any) -> None:
    """Translate Indonesian articles to English, paragraph by paragraph (PATH '-' reads stdin)."""
    _run(paths, options, summarize=False)


def _register() -> None:
    from ringkas.cli_models import models

    cli.add_command(models)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ringkas")
