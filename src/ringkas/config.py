"""Settings resolved in one place: flag > RINGKAS_* environment > config file > default.

The config file is TOML, ``config.toml`` in the platform's config folder (or $RINGKAS_CONFIG_DIR),
or the file named by ``--config``::

    translator = "Helsinki-NLP/opus-mt-id-en"
    engine = "ctranslate2"
    length = "short"
    format = "json"
    output_dir = "~/ringkasan"
    user_agent = "Mozilla/5.0 (redaksi)"
    timeout = 20
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ringkas.errors import UsageError
from ringkas.limits import (
    MAX_SETTINGS_FILE_BYTES,
    TooLarge,
    check_beam,
    check_threads,
    read_bounded,
)
from ringkas.settings import (
    COMPUTE_TYPES,
    DEFAULT_BEAM,
    DEFAULT_SUMMARIZER,
    DEFAULT_TRANSLATOR,
    DEVICES,
    ENGINES,
    LENGTHS,
)

CONFIG_NAME = "config.toml"
FORMATS = ("auto", "text", "markdown", "json", "jsonl")


def config_dir() -> Path:
    """The user's ringkas config folder: $RINGKAS_CONFIG_DIR, else the platform's."""
    override = os.environ.get("RINGKAS_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("ringkas"))


def user_prompts_dir() -> Path:
    """User prompt templates: NAME.toml files that add to or override the built-in styles."""
    return config_dir() / "prompts"


def default_config_file() -> Path:
    return config_dir() / CONFIG_NAME


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value.strip()


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return str(value)

    return check


def _seconds(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError("must be a number of seconds") from None
    if isinstance(value, bool) or not 0 < number <= 3600:
        raise ValueError("must be more than 0 and at most 3600 seconds")
    return number


def _retries(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError("must be a whole number") from None
    if isinstance(value, bool) or not 0 <= number <= 10 or str(number) != str(value).strip():
        raise ValueError("must be a whole number from 0 to 10")
    return number


def _user_agent(value: Any) -> str:
    text = _text(value)
    if len(text) > 300 or not text.isprintable() or not text.isascii():
        raise ValueError("must be printable ASCII text of at most 300 characters")
    return text


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_YES = ("1", "true", "yes", "on")
_NO = ("0", "false", "no", "off")


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES or text in _NO:
        return text in _YES
    raise ValueError("must be true or false")


def _path(value: Any) -> str:
    text = _text(value)
    if _URI.match(text):  # s3://bucket/prefix: a place on another filesystem, as written
        return text
    return str(Path(text).expanduser())


@dataclass(frozen=True)
class Key:
    """One setting: how to check a value, its environment variable and its default."""

    check: Callable[[Any], Any]
    default: Any
    help: str

    def env(self, name: str) -> str:
        return f"RINGKAS_{name.upper()}"


KEYS: dict[str, Key] = {
    "translator": Key(_text, DEFAULT_TRANSLATOR, "translation model: Hub id or folder"),
    "summarizer": Key(_text, DEFAULT_SUMMARIZER, "summarization model: Hub id or folder"),
    "engine": Key(_choice(ENGINES), "ctranslate2", "inference engine"),
    "device": Key(_choice(DEVICES), "cpu", "where the models run"),
    "compute_type": Key(_choice(COMPUTE_TYPES), "auto", "numeric precision"),
    "threads": Key(check_threads, None, "CPU threads (none: all cores)"),
    "beam": Key(check_beam, DEFAULT_BEAM, "beam width"),
    "style": Key(_text, None, "summary style (prompt template) for instruction models"),
    "length": Key(_choice(LENGTHS), "medium", "summary length"),
    "format": Key(_choice(FORMATS), "auto", "output format"),
    "output_dir": Key(_path, None, "folder for one result per input"),
    "user_agent": Key(_user_agent, None, "User-Agent for links and feeds (none: ringkas/VERSION)"),
    "timeout": Key(_seconds, 20.0, "seconds to wait for a web server to connect or send"),
    "retries": Key(_retries, 2, "retries of a link after a 429 or 5xx answer or a lost connection"),
    "safetensors_only": Key(
        _flag, False, "never convert pickled weights of a model without safetensors"
    ),
}


@dataclass(frozen=True)
class Resolved:
    """Effective settings, and where each one came from."""

    values: dict[str, Any]
    origins: dict[str, str]
    config_file: Path
    config_found: bool


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        text = read_bounded(path, MAX_SETTINGS_FILE_BYTES).decode("utf-8")
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from exc
    except TooLarge as exc:
        raise UsageError(f"{path}: {exc}, too large for a config file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read ({exc})") from exc
    return data


def read_config(path: Path) -> dict[str, Any]:
    """The settings in a config file, checked: an unknown key or a bad value names both."""
    values = {}
    for key, value in _load_toml(path).items():
        if key not in KEYS:
            raise UsageError(f"{path}: unknown key {key!r}", hint=f"known keys: {', '.join(KEYS)}")
        try:
            values[key] = KEYS[key].check(value)
        except ValueError as exc:
            raise UsageError(f"{path}: {key} {exc}") from None
    return values


def resolve(
    flags: Mapping[str, Any],
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Resolved:
    """Each setting from the first of: a flag (not None), RINGKAS_<KEY>, the config file,
    the default. ``config_file`` given explicitly must exist."""
    environ = os.environ if environ is None else environ
    explicit = config_file is not None
    path = Path(config_file).expanduser() if config_file is not None else default_config_file()
    # A file named explicitly may also be a pipe (--config <(...)); it is read with a limit.
    found = path.is_file() or (explicit and path.exists() and not path.is_dir())
    if explicit and not found:
        raise UsageError(f"config file {path} does not exist")
    from_file = read_config(path) if found else {}
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for name, key in KEYS.items():
        variable = key.env(name)
        if flags.get(name) is not None:
            values[name], origins[name] = flags[name], "flag"
        elif environ.get(variable, "").strip():
            try:
                values[name] = key.check(environ[variable])
            except ValueError as exc:
                raise UsageError(f"environment variable {variable} {exc}") from None
            origins[name] = f"env {variable}"
        elif name in from_file:
            values[name], origins[name] = from_file[name], f"config {path}"
        else:
            values[name], origins[name] = key.default, "default"
    return Resolved(values, origins, path, found)
