"""One progress display for every command: rich on a terminal's stderr, silent otherwise;
and a bar per downloaded file (bytes, speed, time left) in the same style."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from ringkas.errors import printable

# The batch display on screen, if any: a file download shows in it rather than beside it.
_shown: list[Progress] = []


class Progress:
    """Files done/total, articles per minute, ETA and the current file, on stderr.

    Disabled (every method a no-op) with --quiet or when stderr is not a terminal.
    """

    def __init__(self, total: int | None, *, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.done = 0
        self._started = time.monotonic()
        self._current = ""
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if not self.enabled:
            return self
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import (
            Progress as RichProgress,
        )

        self._bar = RichProgress(
            SpinnerColumn(),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            transient=True,
        )
        self._bar.__enter__()
        self._task = self._bar.add_task("starting", total=self.total, rate="")
        _shown.append(self)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, error, trace)
            self._bar = None
            _shown.remove(self)

    def rate(self) -> float:
        """Articles per minute so far."""
        minutes = (time.monotonic() - self._started) / 60
        return self.done / minutes if minutes > 0 else 0.0

    def current(self, source: str) -> None:
        """Name the article being worked on."""
        if self._bar is None:
            return
        from rich.markup import escape

        self._current = escape(printable(source))  # a file name is text, not markup
        self._update(self._current)

    def stage(self, stage: str) -> None:
        """What the pipeline is doing (loading a model, translating, summarizing)."""
        self._update(f"{self._current} · {stage}" if self._current else stage)

    def advance(self, count: int = 1) -> None:
        """Count articles as finished (done, skipped or failed)."""
        self.done += count
        if self._bar is not None:
            self._bar.update(self._task, advance=count, rate=f"{self.rate():.1f}/min")

    def _update(self, description: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=description)


def _bytes(count: float) -> str:
    for unit in ("B", "KB", "MB"):
        if count < 1000:
            return f"{count:.0f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"


class FileTransfer:
    """One file being downloaded, on stderr: a rich bar with bytes, speed and time left on a
    terminal (inside the batch display when one is showing), else one line when it is done.
    """

    def __init__(self, label: str, total: int, done: int, *, note: Callable[[str], None]):
        self.label = label
        self.total = total
        self.start = done
        self.done = done
        self._note = note
        self._started = time.monotonic()
        self._shown_at = 0.0
        self._bar: Any = None
        self._host = _shown[-1] if _shown else None
        if self._host is None and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(label, total=total, completed=done)

    def speed(self) -> float:
        """Bytes per second received in this run."""
        seconds = time.monotonic() - self._started
        return (self.done - self.start) / seconds if seconds > 0 else 0.0

    def update(self, count: int) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)
        elif self._host is not None and time.monotonic() - self._shown_at > 0.25:
            self._shown_at = time.monotonic()
            speed = self.speed()
            left = (self.total - self.done) / speed if speed > 0 else 0
            self._host.stage(
                f"downloading {self.label}: {_bytes(self.done)} of {_bytes(self.total)}, "
                f"{_bytes(speed)}/s, {_duration(left)} left"
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        if self.done >= self.total and self._host is None:
            seconds = time.monotonic() - self._started
            resumed = f", resumed at {_bytes(self.start)}" if self.start else ""
            self._note(
                f"{self.label}: {_bytes(self.total)} in {seconds:.1f} s "
                f"({_bytes(self.speed())}/s{resumed})"
            )
