"""The error boundary: everything a failure shows the user passes here, once.

:class:`RingkasGroup` runs every command inside one guard. A library error is one line
``ringkas: error: ...`` and its documented exit code; a usage error is one line and exit 2
(instead of click's usage block); a signal is 128 + its number; anything unexpected is one
line ``ringkas: internal error: ...`` and exit 70, with the traceback only under ``--debug``
or ``RINGKAS_DEBUG=1``. Around the command the guard also makes the standard streams safe:
a closed one is reopened on /dev/null (so no file ever takes its descriptor), writes to
stdout that fail (closed, a full disk, a reader that went away) become one line and exit
74 or 141, and every message goes through :func:`say`, which escapes control characters
and goes above a live progress bar.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import io
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

import click

from ringkas import stopping
from ringkas.errors import (
    DEBUG_HINT,
    ExitCode,
    ReaderGoneError,
    RingkasError,
    StdoutError,
    describe,
    printable,
)

DEBUG_FLAG = "--debug"
DEBUG_VARIABLE = "RINGKAS_DEBUG"


# -- messages ------------------------------------------------------------------------------


def say(line: str) -> None:
    """One line on stderr, control characters escaped. ``sys.stderr`` is looked up on each
    call: while the progress bar is live it is rich's proxy, which prints above the bar."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(printable(line) + "\n")
        stream.flush()
    except (OSError, ValueError):  # stderr is gone: there is nothing left to tell it with
        pass


def echo_error(message: str) -> None:
    """``ringkas: error: MESSAGE`` on stderr."""
    say(f"ringkas: error: {message}")


def echo_warning(message: str) -> None:
    """``ringkas: warning: MESSAGE`` on stderr."""
    say(f"ringkas: warning: {message}")


def echo_note(message: str) -> None:
    """``ringkas: MESSAGE`` on stderr (progress notes, summaries)."""
    say(f"ringkas: {message}")


def show_traceback(error: BaseException) -> None:
    """The traceback of ``error``, for --debug."""
    stream = sys.stderr
    if stream is not None:
        with contextlib.suppress(OSError, ValueError):
            stream.write("".join(traceback.format_exception(error)))
            stream.flush()


# -- standard streams ----------------------------------------------------------------------


class GuardedOutput(io.TextIOBase):
    """stdout during a run: a write or flush that fails raises :class:`StdoutError` (or
    :class:`ReaderGoneError` for a broken pipe) once; after that, output is discarded, so
    that nothing fails again at exit."""

    def __init__(self, stream: Any) -> None:
        super().__init__()
        self._stream = stream  # None: stdout was closed when ringkas started
        self._failed = False

    @property
    def closed_at_start(self) -> bool:
        return self._stream is None

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "errors", None) or "strict"

    def isatty(self) -> bool:
        return bool(self._stream is not None and not self._failed and self._stream.isatty())

    def fileno(self) -> int:
        if self._stream is None:
            raise io.UnsupportedOperation("stdout is closed")
        return int(self._stream.fileno())

    def writable(self) -> bool:
        return True

    def write(self, text: str | bytes) -> int:
        if self._failed or not text:  # (click probes streams with empty writes)
            return len(text)
        if self._stream is None:
            raise self._failure(None)
        try:
            if isinstance(text, (bytes, bytearray)):  # click writes bytes to the buffer
                self._stream.flush()
                return int(self._stream.buffer.write(text))
            return int(self._stream.write(text))
        except OSError as exc:
            raise self._failure(exc) from exc

    def flush(self) -> None:
        # A stream closed under us (a test's captured stdout, when this object is collected
        # and IOBase's finaliser flushes) has nothing left to flush.
        if self._failed or self._stream is None or getattr(self._stream, "closed", False):
            return
        try:
            self._stream.flush()
        except OSError as exc:
            raise self._failure(exc) from exc

    def _failure(self, exc: OSError | None) -> StdoutError:
        self._failed = True
        if self._stream is not None:
            # What is still buffered goes nowhere, instead of failing again at exit.
            with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, self._stream.fileno())
                os.close(null)
        if exc is None:
            return StdoutError(
                "stdout is closed",
                hint="redirect it (> FILE, > /dev/null) or write the results with -o FILE",
            )
        if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
            return ReaderGoneError(
                "stdout was closed by its reader", hint="nothing more is written"
            )
        return StdoutError(f"cannot write to stdout: {exc.strerror or exc}")


def stdout_is_closed() -> bool:
    """Whether stdout was closed when ringkas started (``>&-``)."""
    stream = sys.stdout
    return stream is None or (isinstance(stream, GuardedOutput) and stream.closed_at_start)


def _descriptor_is_open(descriptor: int) -> bool:
    try:
        os.fstat(descriptor)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def safe_streams() -> Iterator[None]:
    """For the run: closed standard descriptors held on /dev/null (a file opened later must
    never become fd 1 or 2 and receive what C libraries print), stdout guarded, stderr
    writable. stdin stays None when it was closed; reading it is an input's error."""
    for descriptor in (0, 1, 2):
        if not _descriptor_is_open(descriptor):
            null = os.open(os.devnull, os.O_RDWR)
            if null != descriptor:
                os.dup2(null, descriptor)
                os.close(null)
    saved = sys.stdout, sys.stderr
    guarded = GuardedOutput(sys.stdout)
    sys.stdout = guarded
    opened = None
    if sys.stderr is None:
        opened = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    try:
        try:
            yield
        finally:
            # Still inside the guard: a failure at the last flush is reported like any
            # other (and wins over an exit code for the inputs: their results are lost).
            guarded.flush()
    finally:
        sys.stdout, sys.stderr = saved
        if opened is not None:
            opened.close()


# -- the guard -----------------------------------------------------------------------------


class _Passed(Exception):
    """Carries a KeyboardInterrupt (or EOFError) through click's main, which would turn it
    into ``Aborted!``."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def _take_debug_flag(args: list[str]) -> bool:
    """Remove --debug wherever it is (before a ``--``): it is asked for by rerunning the
    same command line with it."""
    end = args.index("--") if "--" in args else len(args)
    found = DEBUG_FLAG in args[:end]
    args[:end] = [arg for arg in args[:end] if arg != DEBUG_FLAG]
    return found


_debug_flag = False  # --debug on the command line of the run in progress


def debug_requested() -> bool:
    """Whether tracebacks are wanted: --debug, or RINGKAS_DEBUG set (and not 0)."""
    return _debug_flag or os.environ.get(DEBUG_VARIABLE, "").strip() not in ("", "0")


def exit_code_for(error: BaseException, *, debug: bool) -> int:
    """Tell the user about ``error`` (one line; the traceback too under --debug) and return
    the exit code. The one place where an exception becomes what the user sees."""
    if isinstance(error, _Passed):
        error = error.error
    if isinstance(error, SystemExit):
        code = error.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    if isinstance(error, click.exceptions.Exit):
        return int(error.exit_code)
    if isinstance(error, click.exceptions.NoArgsIsHelpError):
        with contextlib.suppress(OSError, ValueError):
            error.show()  # a group run alone: its help, as click gives it
        return int(error.exit_code)
    if isinstance(error, click.UsageError):
        context = error.ctx
        where = context.command_path if context is not None else "ringkas"
        echo_error(f"{_usage_message(error)} (see '{where} --help')")
        return int(error.exit_code)
    if isinstance(error, click.ClickException):
        echo_error(error.format_message())
        return int(error.exit_code)
    if isinstance(error, RingkasError):
        if debug and error.__cause__ is not None:
            show_traceback(error.__cause__)
        echo_error(error.one_line())
        return int(error.exit_code)
    if isinstance(error, stopping.Interrupted):
        by = "" if error.signum == signal.SIGINT else f" ({stopping.signal_name(error.signum)})"
        echo_error(f"interrupted{by}")
        return error.exit_code
    if isinstance(error, (KeyboardInterrupt, click.Abort)):
        echo_error("interrupted")
        return int(ExitCode.INTERRUPTED)
    if isinstance(error, Exception):
        if debug:
            show_traceback(error)
        say(f"ringkas: internal error: {describe(error)} ({DEBUG_HINT})")
        return int(ExitCode.INTERNAL)
    raise error


def _usage_message(error: click.UsageError) -> str:
    """click's message, on one line."""
    return " ".join(error.format_message().split())


class RingkasGroup(click.Group):
    """A command group run inside the error boundary (the main command, and every group
    when it runs on its own, as in tests)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        global _debug_flag
        arguments = list(sys.argv[1:] if args is None else args)
        flag, _debug_flag = _debug_flag, _take_debug_flag(arguments)
        try:
            with safe_streams(), stopping.handling_signals():
                result = super().main(
                    arguments, prog_name, complete_var, standalone_mode=False, **extra
                )
            code = result if isinstance(result, int) else 0
        except BaseException as error:  # the boundary: every way out passes here
            code = exit_code_for(error, debug=debug_requested())
        finally:
            _debug_flag = flag
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, EOFError) as error:
            raise _Passed(error) from error
        except click.UsageError as error:
            if error.ctx is None and ctx.invoked_subcommand:
                # Raised by a command's own checks: name the command for its --help.
                command = self.get_command(ctx, ctx.invoked_subcommand)
                if command is not None:
                    error.ctx = click.Context(command, info_name=ctx.invoked_subcommand, parent=ctx)
            raise


def leave(code: int) -> NoReturn:
    """End the console command with ``code``, quickly once nothing is left to do.

    With no other thread of ours running, stdout and stderr are flushed and the exit
    handlers run (logging, Ray's shutdown, temporary folders: atexit), then the process
    ends without tearing the interpreter down object by object: after a summary that is
    the loaded models' worker threads and buffers, ~0.2 s of one core on 2 cores
    (benchmarks/speed.py, "output and exit"), which the system frees at once. Files are
    written and closed by then (the jobs close what they open). Anything else: a normal
    exit. Only the ``ringkas`` command ends this way, never a library call or a test.
    """
    finish = getattr(atexit, "_run_exitfuncs", None)  # CPython's own
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if finish is None or any(not thread.daemon for thread in others):
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            sys.exit(code)  # the normal way, which reports it
    finish()
    os._exit(code)
