"""Errors that carry a hint for the user, the CLI's exit codes, and how anything is made
safe to print on one line of a terminal."""

from __future__ import annotations

import re
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; a stable contract for scripts (documented in README)."""

    OK = 0
    INPUT_FAILED = 1  # at least one input could not be summarised (or none matched)
    USAGE = 2  # bad command line (click's own code)
    MODEL_UNAVAILABLE = 3  # a model could not be found, downloaded or loaded
    UNFAITHFUL = 4  # --strict and the summary has unsupported numbers or names
    INTERNAL = 70  # a bug: an unexpected error outside any one input (sysexits EX_SOFTWARE)
    OUTPUT_FAILED = 74  # results could not be written: stdout closed or full (EX_IOERR)
    HANGUP = 129  # SIGHUP (128 + 1)
    INTERRUPTED = 130  # Ctrl-C, SIGINT (128 + 2)
    READER_GONE = 141  # the reader of stdout went away (128 + SIGPIPE)
    TERMINATED = 143  # SIGTERM (128 + 15)


class RingkasError(Exception):
    """Base class: a message for the user, an optional hint, and an exit code."""

    exit_code: ExitCode = ExitCode.INPUT_FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message and hint as a single line for stderr."""
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ModelUnavailableError(RingkasError):
    """A model is missing, cannot be downloaded, or cannot be loaded."""

    exit_code = ExitCode.MODEL_UNAVAILABLE


class CacheUnusableError(ModelUnavailableError):
    """The model cache folder cannot be made or written: no model can be, whichever."""


class InputError(RingkasError):
    """An input file or text cannot be used (missing, unreadable, empty...)."""

    exit_code = ExitCode.INPUT_FAILED

    def __init__(self, message: str, hint: str | None = None, *, source: str | None = None) -> None:
        super().__init__(message, hint)
        # The input it is about; messages start with it ("news/a.txt: empty").
        self.source = source if source is not None else message.split(": ", 1)[0]


class UsageError(RingkasError):
    """Options that contradict each other or name things that do not exist."""

    exit_code = ExitCode.USAGE


class StdoutError(RingkasError):
    """Results cannot be written to stdout (closed, a full disk): the run stops."""

    exit_code = ExitCode.OUTPUT_FAILED


class ReaderGoneError(StdoutError):
    """The program reading stdout went away (``| head``): nobody reads what follows."""

    exit_code = ExitCode.READER_GONE


DEBUG_HINT = "rerun with --debug or RINGKAS_DEBUG=1 for the traceback"


def describe(error: BaseException) -> str:
    """An unexpected exception as ``Type: message``, on one line."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def internal_failure(source: str, error: Exception) -> InputError:
    """An unexpected exception while working on one input: that input's failure (the
    exception is kept as ``__cause__``, for --debug), and the others go on."""
    failure = InputError(f"{source}: internal error: {describe(error)}", DEBUG_HINT, source=source)
    failure.__cause__ = error
    return failure


# Control characters (C0, DEL, C1), lone surrogates (bytes of a file name that is not UTF-8)
# and the bidirectional overrides that can make a terminal line read differently.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that did not decode (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character escaped (``\\n``, ``\\x1b``, ``\\xff`` for an
    undecodable byte of a file name): what is shown on a terminal stays one line and cannot
    move the cursor, change colours or forge a message."""
    return _UNPRINTABLE.sub(_escaped, text)
