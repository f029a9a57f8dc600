"""The ``ringkas`` command line: parse options, call the library, render results.

Inside, one module per command group: ``summarize`` (summarize, translate: the batch job),
``watch`` (a drop folder), ``check``, ``models``, ``prompts``, ``config``, ``doctor``;
``options`` holds what they share (the model and job options, settings and format
resolution, and the error boundary that turns every library error into one
``ringkas: error: ...`` line and an exit code). Data flows one way:
options -> :class:`~ringkas.settings.Settings` and job options -> the library
(``ringkas.batch``, ``ringkas.pipeline``) -> rendered results on stdout. A new command is a
module here, added to :func:`cli` below.
"""

from __future__ import annotations

import click

from ringkas._version import __version__
from ringkas.cli import check, config, doctor, models, prompts, summarize, watch
from ringkas.cli.boundary import leave
from ringkas.cli.options import RingkasGroup


@click.group(cls=RingkasGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ringkas")
@click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    help="On an internal error, show the traceback (anywhere on the line; or RINGKAS_DEBUG=1).",
)
def cli() -> None:
    """English summaries of Indonesian news articles.

    \b
    ringkas summarize artikel.txt
    cat artikel.txt | ringkas summarize - --format json
    ringkas summarize berita/ --output-dir ringkasan/
    ringkas translate artikel.txt -o artikel.en.txt
    ringkas summarize https://www.example.id/berita/123 --format json
    ringkas summarize --feed https://www.example.id/rss -O ringkasan/
    ringkas watch masuk/ -O ringkasan/
    ringkas doctor
    """


for _command in (
    summarize.summarize,
    summarize.translate,
    watch.watch,
    check.check,
    models.models,
    prompts.prompts,
    config.config,
    doctor.doctor,
):
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    leave(cli.main(prog_name="ringkas", standalone_mode=False))
