"""What the commands share: model and job options, settings and format resolution, and the
error boundary that turns library errors into one line on stderr and an exit code."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from ringkas.cli.boundary import RingkasGroup, echo_error, echo_note, echo_warning
from ringkas.config import FORMATS as FORMAT_CHOICES
from ringkas.limits import MAX_BEAM, MAX_INPUT_BYTES, check_beam, check_threads, size_text
from ringkas.settings import COMPUTE_TYPES, DEFAULT_BEAM, DEVICES, ENGINES, LENGTHS, Settings

if TYPE_CHECKING:
    from pathlib import Path

    from ringkas.config import Resolved

__all__ = [
    "ModelNotes",
    "RingkasGroup",
    "echo_error",
    "echo_note",
    "echo_warning",
    "job_options",
    "model_options",
    "resolve_format",
    "resolve_settings",
]

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class ModelNotes:
    """What fetching and converting models tell the user on stderr: one-line notes, and a
    progress bar for each downloaded file (``transfer``)."""

    def __call__(self, message: str) -> None:
        echo_note(message)

    def transfer(self, label: str, total: int, done: int) -> Any:
        from ringkas.progress import FileTransfer

        return FileTransfer(label, total, done, note=echo_note)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*$")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


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


def _size(ctx: click.Context, param: click.Parameter, value: str | int) -> int:
    if isinstance(value, int):
        return value
    match = _SIZE.match(value)
    if not match:
        raise click.BadParameter("expected a size such as 2MB, 500KB or 1048576")
    size = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if size < 1:  # every input would fail
        raise click.BadParameter(f"{value} is less than one byte")
    if size > MAX_INPUT_BYTES:
        most = size_text(MAX_INPUT_BYTES)
        raise click.BadParameter(f"{value} is more than ringkas reads of one input ({most})")
    return size


def _encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A text encoding Python knows, checked once here rather than failing every input."""
    if value is None:
        return None
    try:
        b"a".decode(value)  # LookupError: unknown, or not a text encoding (base64, zlib...)
    except (UnicodeError, ValueError):
        pass  # a text encoding in which "a" alone is not text (utf-16): fine
    except LookupError:
        raise click.BadParameter(
            f"unknown text encoding {value!r} (use a name Python knows, e.g. utf-8, cp1252, "
            "latin-1, utf-16, shift_jis)"
        ) from None
    return value


class _Bounded(click.ParamType):
    """A whole number checked by the same function as its RINGKAS_* variable and config key
    (ringkas.limits), so every source of the setting has the same bounds."""

    def __init__(self, check: Callable[[object], int], metavar: str = "N") -> None:
        self.check = check
        self.name = metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            return self.check(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _apply(options: list[Decorator], func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(options):
        func = option(func)
    return func


def model_options(*, summarizer: bool) -> Decorator:
    """Which models run, where, and how they decode."""
    options: list[Decorator] = [
        click.option(
            "--translator",
            "-t",
            metavar="MODEL",
            help="Translation model: Hub id (OWNER/NAME[@REVISION]) or local folder. "
            "[env RINGKAS_TRANSLATOR; default: Helsinki-NLP/opus-mt-id-en]",
        ),
    ]
    if summarizer:
        options += [
            click.option(
                "--summarizer",
                "-s",
                metavar="MODEL",
                help="Summarization model: Hub id or local folder; seq2seq (BART, PEGASUS, "
                "T5) or an instruction-tuned chat model. "
                "[env RINGKAS_SUMMARIZER; default: sshleifer/distilbart-cnn-12-6]",
            ),
            click.option(
                "--length",
                "-l",
                type=click.Choice(LENGTHS),
                help="Summary length. [env RINGKAS_LENGTH; default: medium]",
            ),
            click.option(
                "--style",
                metavar="NAME",
                help="Summary style: brief, bullets, headline, lede, 5w1h or your own "
                "(ringkas prompts list); needs an instruction model except brief. "
                "[env RINGKAS_STYLE]",
            ),
            click.option(
                "--prompt",
                "prompt_file",
                type=click.Path(dir_okay=False),
                help="A prompt template file to use as the style.",
            ),
        ]
    options += [
        click.option(
            "--engine",
            type=click.Choice(ENGINES),
            help="Inference engine. [env RINGKAS_ENGINE; default: ctranslate2]",
        ),
        click.option(
            "--device",
            type=click.Choice(DEVICES),
            help="Where the models run. [env RINGKAS_DEVICE; default: cpu]",
        ),
        click.option(
            "--compute-type",
            type=click.Choice(COMPUTE_TYPES),
            help="Numeric precision; auto: int8 on CPU with ctranslate2. "
            "[env RINGKAS_COMPUTE_TYPE; default: auto]",
        ),
        click.option(
            "--threads",
            type=_Bounded(check_threads),
            help="CPU threads for inference, at most 4 per CPU. "
            "[env RINGKAS_THREADS; default: all cores]",
        ),
        click.option(
            "--beam",
            "beam_size",
            type=_Bounded(check_beam),
            help=f"Beam width in both stages, 1 to {MAX_BEAM}. "
            f"[env RINGKAS_BEAM; default: {DEFAULT_BEAM}]",
        ),
        click.option("--fast", is_flag=True, help="Greedy decoding (--beam 1): fastest."),
        click.option(
            "--no-clean",
            is_flag=True,
            help="Keep the article as it is: no removal of datelines, ads, bylines.",
        ),
        click.option(
            "--config",
            "config_file",
            type=click.Path(dir_okay=False),
            help="Settings file (TOML) instead of the one in the config folder "
            "(ringkas config path).",
        ),
        click.option(
            "--force-output-lengths",
            "forced_lengths",
            metavar="RATIO,TOKENS",
            callback=_forced_lengths,
            hidden=True,  # benchmarks only (see benchmarks/README.md)
        ),
    ]
    return lambda func: _apply(options, func)


def job_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """What to read and where the results go."""
    options: list[Decorator] = [
        click.option(
            "--glob",
            "globs",
            multiple=True,
            metavar="PATTERN",
            help="File names to take from folders (repeatable). [default: *.txt *.md *.html *.htm]",
        ),
        click.option(
            "--follow-links",
            is_flag=True,
            help="Follow symbolic links inside folders that lead outside them (by default "
            "they are skipped, and said so).",
        ),
        click.option(
            "--files-from",
            metavar="FILE|-",
            help="Read input paths (or links) from FILE ('-': stdin), one per line.",
        ),
        click.option(
            "-0",
            "--null",
            "null_separated",
            is_flag=True,
            help="--files-from paths are NUL-separated (find -print0).",
        ),
        click.option(
            "--input-format",
            type=click.Choice(["text", "jsonl"]),
            default="text",
            show_default=True,
            help='jsonl: each input line is {"id": ..., "text": ...} (with --format jsonl).',
        ),
        click.option(
            "--encoding",
            metavar="NAME",
            callback=_encoding,
            help="Decode input files with this encoding (default: detect UTF-8/16, cp1252).",
        ),
        click.option(
            "--max-size",
            default="2MB",
            show_default=True,
            callback=_size,
            metavar="SIZE",
            help="Larger input files and downloads are refused (at most 64MB).",
        ),
        click.option(
            "--format",
            "-f",
            "fmt",
            type=click.Choice(FORMAT_CHOICES),
            help="Output format. auto: the suffix of -o; text with --output-dir; "
            "a panel on a terminal, plain text when piped. [env RINGKAS_FORMAT; default: auto]",
        ),
        click.option(
            "--output",
            "-o",
            # Checked by the job (ringkas.outputs.plan), in one line, with the other outputs.
            type=click.Path(),
            help="Write all results to this file (or s3://... URI) instead of stdout.",
        ),
        click.option(
            "--output-dir",
            "-O",
            type=click.Path(),
            help="Write one result file per input here (a folder or s3://... URI), mirroring "
            "the input folders; "
            "rerunning skips inputs already done. [env RINGKAS_OUTPUT_DIR]",
        ),
        click.option("--force", is_flag=True, help="With --output-dir: redo inputs already done."),
        click.option(
            "--report",
            type=click.Path(),
            help="Write what happened to every input as JSON to this file (or s3://... URI).",
        ),
        click.option("--quiet", "-q", is_flag=True, help="No progress or warnings on stderr."),
    ]
    return _apply(options, func)


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from ringkas.errors import UsageError
    from ringkas.sources.feeds import parse_since

    try:
        return parse_since(value)
    except UsageError as exc:
        raise click.BadParameter(exc.hint or exc.message) from None


def _user_agent(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from ringkas.config import KEYS

    try:
        return str(KEYS["user_agent"].check(value))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def fetch_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """How links are fetched."""
    options: list[Decorator] = [
        click.option(
            "--user-agent",
            metavar="TEXT",
            callback=_user_agent,
            help="User-Agent header for links and feeds. "
            "[env RINGKAS_USER_AGENT; default: ringkas/VERSION ...]",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(0, 3600, min_open=True),
            metavar="SECONDS",
            help="Give up on a web server that does not connect or send for this long. "
            "[env RINGKAS_TIMEOUT; default: 20]",
        ),
    ]
    return _apply(options, func)


def feed_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """News feeds to read, and which of their items."""
    options: list[Decorator] = [
        click.option(
            "--feed",
            "feeds",
            multiple=True,
            metavar="URL|FILE",
            help="Read the items of an RSS or Atom feed (repeatable); an OPML file or "
            "address lists several feeds.",
        ),
        click.option(
            "--limit",
            type=click.IntRange(min=1),
            metavar="N",
            help="At most N items of each feed, the newest.",
        ),
        click.option(
            "--since",
            metavar="DATE",
            callback=_since,
            help="Only feed items published since DATE: 2025-06-18, 2025-06-18T08:00+07:00, "
            "or an age such as 6h or 2d.",
        ),
    ]
    return _apply(options, fetch_options(func))


# A cluster address as ray.init takes it: host:port, ray://host:port, auto or local.
_RAY_ADDRESS = re.compile(r"^(auto|local|ray://\S+|\[[0-9A-Fa-f:.]+\]:\d+|[\w.-]+:\d+)$")
RAY_EXTRA = "pip install 'ringkas[ray]'"


def _ray_address(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value and not _RAY_ADDRESS.match(value):
        raise click.BadParameter(
            f"{value!r} is not a cluster address (host:port, ray://host:port, auto or local); "
            "to use RAY_ADDRESS or a local instance, give --ray after the paths"
        )
    return value


def ray_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Where the work is done: in this process, or by actors on a Ray cluster."""
    options: list[Decorator] = [
        click.option(
            "--ray",
            "ray_address",
            is_flag=False,
            flag_value="",
            default=None,
            metavar="[ADDRESS]",
            callback=_ray_address,
            help="Do the work on a Ray cluster: ADDRESS of its head (host:port or "
            "ray://host:port); alone, RAY_ADDRESS, a cluster started on this machine, or a "
            f"new local instance. Needs `{RAY_EXTRA}`.",
        ),
        click.option(
            "--ray-actors",
            type=click.IntRange(min=1),
            metavar="N",
            help="With --ray: actors, each with the models loaded once. "
            "[default: as many as the cluster's nodes hold]",
        ),
        click.option(
            "--ray-cpus",
            type=click.FloatRange(min=0, min_open=True),
            metavar="N",
            help="With --ray: CPUs per actor, its inference threads. [default: 2, or 1 "
            "where the nodes or --ray-actors leave fewer; 1 with --ray-gpus]",
        ),
        click.option(
            "--ray-gpus",
            type=click.FloatRange(min=0),
            metavar="N",
            help="With --ray: GPUs per actor; more than 0 runs the models on CUDA. [default: 0]",
        ),
    ]
    return _apply(options, func)


def resolve_settings(options: dict[str, Any]) -> Settings:
    """Settings from flags, RINGKAS_* variables, the config file and defaults, in that order
    (ringkas.config.resolve); the job's format and output folder resolve the same way."""
    from ringkas.config import resolve

    if options.pop("fast", False):
        if options.get("beam_size") not in (None, 1):
            raise click.UsageError(
                "--fast and --beam contradict each other", click.get_current_context(True)
            )
        options["beam_size"] = 1
    prompt_file = options.pop("prompt_file", None)
    if prompt_file and options.get("style"):
        raise click.UsageError(
            "--style and --prompt contradict each other", click.get_current_context(True)
        )
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
        "user_agent": options.pop("user_agent", None),
        "timeout": options.pop("timeout", None),
    }
    options.pop("style", None)
    resolved = resolve(flags, options.pop("config_file", None))
    values = resolved.values
    if "fmt" in options:  # summarize/translate: the job's own settings
        options["fmt"] = values["format"]
        options["output_dir"] = values["output_dir"]
    from ringkas.sources.fetch import FetchOptions

    options["fetch"] = FetchOptions(
        user_agent=values["user_agent"], timeout=values["timeout"], retries=values["retries"]
    )
    options["kept"] = _settings_files(resolved)
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
        safetensors_only=values["safetensors_only"],
        forced_lengths=options.pop("forced_lengths", None),
    )


def _settings_files(resolved: Resolved) -> tuple[tuple[Path, str], ...]:
    """The files the settings came from (the config file, the prompt template), which no
    output of the job may replace."""
    files: list[tuple[Path, str]] = []
    if resolved.config_found:
        files.append((resolved.config_file, "the config file"))
    style = resolved.values["style"]
    if style:  # only then: a plain summary never imports the templates (start-up time)
        from ringkas.prompts.templates import template_file

        found = template_file(style)
        if found is not None:
            files.append((found, "the prompt template"))
    return tuple(files)


def resolve_format(fmt: str, options: dict[str, Any]) -> str:
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
