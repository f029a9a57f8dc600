"""``ringkas summarize`` and ``ringkas translate``: the batch job over any inputs."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from ringkas.cli.boundary import debug_requested, show_traceback, stdout_is_closed
from ringkas.cli.options import (
    RAY_EXTRA,
    ModelNotes,
    echo_error,
    echo_note,
    echo_warning,
    feed_options,
    job_options,
    model_options,
    ray_options,
    resolve_format,
    resolve_settings,
)
from ringkas.errors import ExitCode, StdoutError, UsageError, printable

if TYPE_CHECKING:
    from ringkas.batch import Job, JobOptions, JobReport


def _job_options(options: dict[str, Any], *, summarize: bool) -> JobOptions:
    from ringkas.batch import JobOptions
    from ringkas.sources.remote import location

    quiet = options.pop("quiet")
    fmt = resolve_format(options.pop("fmt"), options)
    output, output_dir, report = (
        options.pop("output"),
        options.pop("output_dir"),
        options.pop("report"),
    )
    return JobOptions(
        fmt=fmt,
        output=location(output) if output else None,
        output_dir=location(output_dir) if output_dir else None,
        force=options.pop("force"),
        report=location(report) if report else None,
        globs=options.pop("globs") or None,
        follow_links=options.pop("follow_links"),
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
        feeds=tuple(options.pop("feeds", ())),
        limit=options.pop("limit", None),
        since=options.pop("since", None),
        fetch=options.pop("fetch", None),
        kept=options.pop("kept", ()),
    )


def print_summary(report: JobReport) -> None:
    """Done, skipped and failed inputs (with reasons) on stderr after a multi-file job."""
    counts = report.counts()
    line = ", ".join(f"{counts[key]} {key.replace('_', ' ')}" for key in counts if counts[key])
    failures = [record for record in report.records if record.status == "failed"]
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title=f"ringkas: {line} in {report.seconds:.1f} s", title_justify="left")
        table.add_column("failed input")
        table.add_column("reason")
        for record in failures:  # names and reasons as text, never markup, escaped
            table.add_row(Text(printable(record.source)), Text(printable(record.error or "")))
        console = Console(stderr=True)
        if failures:
            console.print(table)
        else:
            console.print(table.title)
        return
    echo_note(f"{line} in {report.seconds:.1f} s")
    for record in failures:
        echo_note(f"failed: {record.error}")


def _ray_job(options: dict[str, Any]) -> tuple[type[Job], dict[str, Any]]:
    """The job class, and its extra arguments: a RayJob with --ray (Ray is imported only
    then), else the local Job."""
    from ringkas.batch import Job

    address = options.pop("ray_address")
    sizes = {name: options.pop(f"ray_{name}") for name in ("actors", "cpus", "gpus")}
    if address is None:
        given = [f"--ray-{name}" for name, value in sizes.items() if value is not None]
        if given:
            raise UsageError(f"{', '.join(given)} needs --ray")
        return Job, {}
    try:
        from ringkas.ray import RayJob, RayOptions
    except ImportError as exc:
        raise UsageError(f"--ray needs Ray Data, which is not installed ({RAY_EXTRA})") from exc
    chosen = {name: value for name, value in sizes.items() if value is not None}
    return RayJob, {"ray_options": RayOptions(address=address or None, **chosen)}


def _run(paths: tuple[str, ...], options: dict[str, Any], *, summarize: bool) -> None:
    from ringkas.pipeline import Pipeline

    job_class, extra = _ray_job(options)
    settings = resolve_settings(options)
    job = _job_options(options, summarize=summarize)
    if job.quiet:
        os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    if not paths and not job.files_from and not job.feeds and job.input_format != "jsonl":
        raise click.UsageError(
            "give at least one PATH or URL, '-' for stdin, --files-from or --feed",
            click.get_current_context(),
        )
    if job.output is None and job.output_dir is None and stdout_is_closed():
        raise StdoutError(  # before any work: the results would have nowhere to go
            "stdout is closed",
            hint="redirect it (> FILE) or write the results with -o FILE or --output-dir DIR",
        )
    pipeline = Pipeline(settings, report=None if job.quiet else ModelNotes())
    say = (lambda message: None) if job.quiet else echo_note
    debug = show_traceback if debug_requested() else None
    runner = job_class(
        pipeline, job, say=say, warn=echo_warning, error=echo_error, debug=debug, **extra
    )
    report = runner.run(paths)
    if not job.quiet and (len(report.records) > 1 or job.output_dir or report.interrupted):
        print_summary(report)
    if report.exit_code != ExitCode.OK:
        sys.exit(int(report.exit_code))


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH | DIR | URL | URI | -]...")
@model_options(summarizer=True)
@job_options
@feed_options
@ray_options
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

    PATH is an article file, DIR a folder walked recursively (see --glob), URL a web page
    (http:// or https://: its article is fetched), URI a file or folder on a filesystem
    pyarrow knows (s3://bucket/berita/, gs://...; with ringkas[ray]), '-' stdin; --feed reads
    a news feed's items. Each article is cleaned, translated sentence by sentence, then
    summarised; long articles are summarised in chunks and recombined, never cut.
    """
    _run(paths, options, summarize=True)


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH | DIR | URL | URI | -]...")
@model_options(summarizer=False)
@job_options
@feed_options
@ray_options
def translate(paths: tuple[str, ...], **options: Any) -> None:
    """Translate Indonesian articles to English, paragraph by paragraph.

    PATH is an article file, DIR a folder walked recursively (see --glob), URL a web page
    (its article is fetched), URI a file or folder on a filesystem pyarrow knows
    (s3://bucket/berita/, gs://...; with ringkas[ray]), '-' stdin; --feed reads a news
    feed's items.
    """
    _run(paths, options, summarize=False)
