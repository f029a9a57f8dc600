"""The ``ringkas`` command line: parse options, call the library, render results."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ringkas import __version__
from ringkas.cli_options import RingkasGroup, echo_error, job_options, model_options
from ringkas.errors import ExitCode

if TYPE_CHECKING:
    from ringkas.batch import JobOptions, JobReport
    from ringkas.settings import Settings


_error = echo_error


def _warn(message: str) -> None:
    click.echo(f"ringkas: warning: {message}", err=True)


def _note(message: str) -> None:
    click.echo(f"ringkas: {message}", err=True)


@click.group(cls=RingkasGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ringkas")
def cli() -> None:
    """English summaries of Indonesian news articles.

    \b
    ringkas summarize artikel.txt
    cat artikel.txt | ringkas summarize - --format json
    ringkas summarize berita/ --output-dir ringkasan/
    ringkas translate artikel.txt -o artikel.en.txt
    """


def _settings(options: dict[str, Any]) -> Settings:
    """Settings from flags, RINGKAS_* variables, the config file and defaults, in that order
    (ringkas.config.resolve); the job's format and output folder resolve the same way."""
    from ringkas.config import resolve
    from ringkas.settings import Settings

    if options.pop("fast", False):
        if options.get("beam_size") not in (None, 1):
            raise click.UsageError("--fast and --beam contradict each other")
        options["beam_size"] = 1
    prompt_file = options.pop("prompt_file", None)
    if prompt_file and options.get("style"):
        raise click.UsageError("--style and --prompt contradict each other")
    flags = {
        "translator": options.pop("translator", None),
        "summarizer": options.pop("summarizer", None),
        "engine": options.pop("engine", None),
        "device": options.pop("device", None),
        "compute_type": options.pop("compute_type", None),
        "threads": options.pop("threads", None),
        "beam": options.pop("beam_size", None),
        "style": prompt_file or options.pop("style", None),
        "length": options.pop("length", None),
        "format": options.get("fmt"),
        "output_dir": options.get("output_dir"),
    }
    options.pop("style", None)
    resolved = resolve(flags, options.pop("config_file", None))
    values = resolved.values
    if "fmt" in options:  # summarize/translate: the job's own settings
        options["fmt"] = values["format"]
        options["output_dir"] = values["output_dir"]
    return Settings(
        translator=values["translator"],
        summarizer=values["summarizer"],
        engine=values["engine"],
        device=values["device"],
        compute_type=values["compute_type"],
        threads=values["threads"],
        beam_size=values["beam"],
        style=values["style"],
        length=values["length"],
        clean=not options.pop("no_clean", False),
        forced_lengths=options.pop("forced_lengths", None),
    )


def _resolve_format(fmt: str, options: dict[str, Any]) -> str:
    """auto: the suffix of -o, text for --output-dir, JSON Lines for JSON Lines input,
    a panel on a terminal, else plain text."""
    if fmt != "auto":
        return fmt
    if options["output"]:
        from ringkas.export import format_for_path

        return format_for_path(options["output"]) or "text"
    if options["output_dir"]:
        return "text"
    if options["input_format"] == "jsonl":
        return "jsonl"
    if sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        return "panel"
    return "text"


def _job_options(options: dict[str, Any], *, summarize: bool) -> JobOptions:
    from ringkas.batch import JobOptions

    quiet = options.pop("quiet")
    fmt = _resolve_format(options.pop("fmt"), options)
    output, output_dir, report = (
        options.pop("output"),
        options.pop("output_dir"),
        options.pop("report"),
    )
    return JobOptions(
        fmt=fmt,
        output=Path(output) if output else None,
        output_dir=Path(output_dir) if output_dir else None,
        force=options.pop("force"),
        report=Path(report) if report else None,
        globs=options.pop("globs") or None,
        files_from=options.pop("files_from"),
        null_separated=options.pop("null_separated"),
        input_format=options.pop("input_format"),
        encoding=options.pop("encoding"),
        max_bytes=options.pop("max_size"),
        summarize=summarize,
        quiet=quiet,
        progress=not quiet and sys.stderr.isatty(),
        explain=options.pop("explain", False),
        strict=options.pop("strict", False),
    )


def print_summary(report: JobReport) -> None:
    """Done, skipped and failed inputs (with reasons) on stderr after a multi-file job."""
    counts = report.counts()
    line = ", ".join(f"{counts[key]} {key.replace('_', ' ')}" for key in counts if counts[key])
    failures = [record for record in report.records if record.status == "failed"]
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"ringkas: {line} in {report.seconds:.1f} s", title_justify="left")
        table.add_column("failed input")
        table.add_column("reason")
        for record in failures:
            table.add_row(record.source, record.error or "")
        console = Console(stderr=True)
        if failures:
            console.print(table)
        else:
            console.print(table.title)
        return
    _note(f"{line} in {report.seconds:.1f} s")
    for record in failures:
        _note(f"failed: {record.error}")


def _run(paths: tuple[str, ...], options: dict[str, Any], *, summarize: bool) -> None:
    from ringkas.batch import Job
    from ringkas.pipeline import Pipeline

    settings = _settings(options)
    job = _job_options(options, summarize=summarize)
    if job.quiet:
        os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    if not paths and not job.files_from and job.input_format != "jsonl":
        raise click.UsageError("give at least one PATH, '-' for stdin, or --files-from")
    pipeline = Pipeline(settings, report=None if job.quiet else _note)
    say = (lambda message: None) if job.quiet else _note
    report = Job(pipeline, job, say=say, warn=_warn, error=_error).run(paths)
    if not job.quiet and (len(report.records) > 1 or job.output_dir or report.interrupted):
        print_summary(report)
    if report.exit_code != ExitCode.OK:
        sys.exit(int(report.exit_code))


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH | DIR | -]...")
@model_options(summarizer=True)
@job_options
@click.option(
    "--explain",
    is_flag=True,
    help="Show under each summary sentence the article sentence it comes from.",
)
@click.option(
    "--strict",
    is_flag=True,
    help=f"Exit {int(ExitCode.UNFAITHFUL)} if a summary has a number, date or name "
    "the article lacks.",
)
def summarize(paths: tuple[str, ...], **options: Any) -> None:
    """Summarise Indonesian articles in English.

    PATH is an article file, DIR a folder walked recursively (see --glob), '-' stdin.
    Each article is cleaned, translated sentence by sentence, then summarised; long
    articles are summarised in chunks and recombined, never cut.
    """
    _run(paths, options, summarize=True)


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH | DIR | -]...")
@model_options(summarizer=False)
@job_options
def translate(paths: tuple[str, ...], **options: Any) -> None:
    """Translate Indonesian articles to English, paragraph by paragraph.

    PATH is an article file, DIR a folder walked recursively (see --glob), '-' stdin.
    """
    _run(paths, options, summarize=False)


def _register() -> None:
    from ringkas.cli_check import check
    from ringkas.cli_config import config
    from ringkas.cli_models import models
    from ringkas.cli_prompts import prompts

    for command in (check, models, prompts, config):
        cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ringkas")
