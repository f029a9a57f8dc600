"""Stopping on request: Ctrl-C, SIGTERM and SIGHUP, in one place.

The first signal asks for a stop. Inside :func:`graceful` (a batch job), work notices it at
its next safe point (:func:`requested`, :func:`check`): the articles in progress are
finished and written, a model being converted is finished and no other one is started, the
report is written. Outside, the first signal raises :class:`Interrupted` at once. The second
signal ends the process at once, even while the main thread waits inside an engine's C++
code: a watcher thread hears it through the signal wake-up pipe, removes the temporary files
registered with :func:`temporary` and exits with 128 + the signal number.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Say = Callable[[str], None]
SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(KeyboardInterrupt):
    """Work stopped because of a signal; the exit code is 128 + its number."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal_name(signum))
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class _State:
    def __init__(self) -> None:
        # Re-entrant: the Python-level handler runs in the main thread, maybe while it holds it.
        self.lock = threading.RLock()
        self.event = threading.Event()
        self.signum: int | None = None
        self.announced = False
        self.handled = 0  # signals seen by the Python-level handler
        self.graceful = 0
        self.say: Say | None = None
        self.installed = False
        self.temporaries: set[Path] = set()
        self.stopping_now = threading.Lock()


_state = _State()


def requested() -> bool:
    """Whether a signal asked to stop."""
    return _state.event.is_set()


def stop_event() -> threading.Event:
    """Set when a signal asks to stop (for waits that should end then, e.g. a folder watch)."""
    return _state.event


def stop_signal() -> int | None:
    """The signal that asked to stop, if one did."""
    return _state.signum


def check() -> None:
    """Raise :class:`Interrupted` if a signal asked to stop (at a safe point of work)."""
    if _state.event.is_set():
        raise Interrupted(_state.signum or signal.SIGINT)


def add_temporary(path: Path) -> None:
    """Register ``path`` (a file or a folder) as temporary: a stop at once removes it before
    the process ends. :func:`discard_temporary` when it is renamed or removed."""
    with _state.lock:
        _state.temporaries.add(path)


def discard_temporary(path: Path) -> None:
    with _state.lock:
        _state.temporaries.discard(path)


@contextlib.contextmanager
def temporary(path: Path) -> Iterator[Path]:
    """``path`` is temporary while the block runs (see :func:`add_temporary`)."""
    add_temporary(path)
    try:
        yield path
    finally:
        discard_temporary(path)


def remove_temporaries() -> None:
    with _state.lock:
        paths = list(_state.temporaries)
    for path in paths:
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass


@contextlib.contextmanager
def graceful(say: Say) -> Iterator[None]:
    """Within the block, the first signal only asks work to stop at its next safe point
    (``say`` tells the user so); the second still stops at once."""
    handlers = contextlib.nullcontext() if _state.installed else handling_signals()
    with handlers:
        with _state.lock:
            _state.graceful += 1
            previous, _state.say = _state.say, say
        try:
            yield
        finally:
            with _state.lock:
                _state.graceful -= 1
                _state.say = previous


def _first(signum: int) -> bool:
    """Record the first signal (once, from whichever hears it first); returns whether work
    stops gracefully."""
    with _state.lock:
        if not _state.event.is_set():
            _state.signum = signum
            _state.event.set()
        graceful, say = _state.graceful > 0, _state.say
        announce = graceful and not _state.announced
        _state.announced = _state.announced or announce
    if announce and say is not None:
        say(
            f"interrupted ({signal_name(signum)}): finishing what is in progress, then "
            "stopping (Ctrl-C again to stop at once)"
        )
    return graceful


def _stop_at_once(signum: int) -> None:
    if not _state.stopping_now.acquire(blocking=False):
        return  # the other thread is already ending the process
    remove_temporaries()
    with contextlib.suppress(OSError):
        os.write(2, f"ringkas: stopped at once ({signal_name(signum)})\n".encode())
    os._exit(128 + signum)


class _Watcher(threading.Thread):
    """Hears every signal through the wake-up pipe, also while the main thread is blocked
    in C code (an engine waiting on its workers) and cannot run Python signal handlers."""

    def __init__(self, descriptor: int) -> None:
        super().__init__(name="ringkas-signals", daemon=True)
        self.descriptor = descriptor
        self.heard = 0

    def run(self) -> None:
        while True:
            try:
                data = os.read(self.descriptor, 64)
            except OSError:
                return
            if not data:
                return
            for signum in data:
                if signum not in SIGNALS:
                    continue
                self.heard += 1
                if self.heard == 1:
                    _first(signum)
                else:
                    _stop_at_once(signum)


def _on_signal(signum: int, frame: Any) -> None:
    """The Python-level handler (main thread, between bytecodes): the first signal asks to
    stop (at once outside :func:`graceful`), a later one ends the process."""
    with _state.lock:
        _state.handled += 1
        later = _state.handled > 1
    if later:
        _stop_at_once(signum)
    elif not _first(signum):
        raise Interrupted(signum)


@contextlib.contextmanager
def handling_signals() -> Iterator[None]:
    """Install the handlers for the block (main thread only; elsewhere a no-op). SIGHUP
    keeps being ignored when the process was started ignoring it (``nohup``); SIGINT is
    handled even when inherited as ignored (a background job of a script), so that
    ``kill -INT`` still stops cleanly."""
    if threading.current_thread() is not threading.main_thread() or _state.installed:
        yield
        return
    previous: dict[int, Any] = {}
    for signum in SIGNALS:
        current = signal.getsignal(signum)
        if signum == getattr(signal, "SIGHUP", None) and current == signal.SIG_IGN:
            continue
        previous[signum] = signal.signal(signum, _on_signal)
    reader, writer = os.pipe()
    os.set_blocking(writer, False)
    old_wakeup = signal.set_wakeup_fd(writer, warn_on_full_buffer=False)
    watcher = _Watcher(reader)
    watcher.start()
    _state.event.clear()
    _state.signum = None
    _state.announced = False
    _state.handled = 0
    _state.installed = True
    try:
        yield
    finally:
        _state.installed = False
        signal.set_wakeup_fd(old_wakeup)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        os.close(writer)  # the watcher reads end-of-file and ends
        watcher.join(timeout=5)
        os.close(reader)
