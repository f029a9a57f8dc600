"""``ringkas watch DIR --output-dir OUT``: summarise the articles that land in a folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ringkas.cli.options import (
    _encoding,
    _size,
    echo_error,
    echo_note,
    echo_warning,
    model_options,
    resolve_format,
    resolve_settings,
)
from ringkas.cli.summarize import print_summary
from ringkas.errors import ExitCode, UsageError


@click.command()
@click.argument("folder", metavar="DIR")
@model_options(summarizer=True)
@click.option(
    "--output-dir",
    "-O",
    type=click.Path(),  # checked by the job, in one line
    help="Write one result file per article here, mirroring DIR (required; "
    "[env RINGKAS_OUTPUT_DIR]).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["auto", "text", "markdown", "json"]),
    help="Result files' format. auto: text. [env RINGKAS_FORMAT]",
)
@click.option(
    "--glob",
    "globs",
    multiple=True,
    metavar="PATTERN",
    help="File names to take (repeatable). [default: *.txt *.md *.html *.htm]",
)
@click.option(
    "--settle",
    type=click.FloatRange(0, 600),
    default=2.0,
    show_default=True,
    metavar="SECONDS",
    help="A file is read once it has not changed for this long (still being copied).",
)
@click.option(
    "--encoding",
    metavar="NAME",
    callback=_encoding,
    help="Decode files with this encoding (default: detect UTF-8/16, cp1252).",
)
@click.option(
    "--max-size",
    default="2MB",
    show_default=True,
    callback=_size,
    metavar="SIZE",
    help="Larger files are refused.",
)
@click.option("--force", is_flag=True, help="Redo the articles already done.")
@click.option(
    "--report",
    type=click.Path(),  # checked by the job, in one line
    help="Keep what happened to every file as JSON in this file (after every round).",
)
@click.option("--explain", is_flag=True, help="Show each summary sentence's source sentence.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or notes on stderr; errors only.")
def watch(folder: str, **options: Any) -> None:
    """Summarise the articles in DIR, then each one that lands there, until Ctrl-C.

    A file is read once it has stopped growing (see --settle); files already done (the
    output folder's state) are skipped, a bad file is reported and the watch goes on.
    Ctrl-C finishes the articles in progress, saves the state and exits 130.
    """
    from ringkas.batch import JobOptions
    from ringkas.pipeline import Pipeline
    from ringkas.watch import WatchJob

    options["input_format"] = "text"
    options["output"] = None
    settings = resolve_settings(options)
    quiet = options.pop("quiet")
    output_dir = options.pop("output_dir")
    options["output_dir"] = output_dir
    fmt = resolve_format(options.pop("fmt"), options)
    report_file = options.pop("report")
    for name, value in (("--output-dir", output_dir), ("--report", report_file)):
        if value and "://" in str(value):
            raise UsageError(
                f"{name} {value}: ringkas watch writes on this machine",
                hint="give a local folder; a batch job (ringkas summarize) can write to s3://...",
            )
    job = JobOptions(
        fmt=fmt,
        output_dir=Path(output_dir) if output_dir else None,
        force=options.pop("force"),
        report=Path(report_file) if report_file else None,
        globs=options.pop("globs") or None,
        encoding=options.pop("encoding"),
        max_bytes=options.pop("max_size"),
        quiet=quiet,
        progress=not quiet and sys.stderr.isatty(),
        explain=options.pop("explain"),
        kept=options.pop("kept"),
    )
    if quiet:
        os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    pipeline = Pipeline(settings, report=None if quiet else echo_note)
    say = (lambda message: None) if quiet else echo_note
    if not quiet:
        echo_note(f"watching {folder} (Ctrl-C to stop)")
    runner = WatchJob(pipeline, job, say=say, warn=echo_warning, error=echo_error)
    report = runner.watch(folder, settle=options.pop("settle"))
    if not quiet:
        print_summary(report)
    if report.exit_code != ExitCode.OK:
        sys.exit(int(report.exit_code))
