"""Errors that carry a hint for the user, and the CLI's exit codes."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; a stable contract for scripts (documented in README)."""

    OK = 0
    INPUT_FAILED = 1  # at least one input could not be summarised
    USAGE = 2  # bad command line (click's own code)
    MODEL_UNAVAILABLE = 3  # a model could not be found, downloaded or loaded
    UNFAITHFUL = 4  # --strict and the summary has unsupported numbers or names
    INTERRUPTED = 130  # Ctrl-C


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
