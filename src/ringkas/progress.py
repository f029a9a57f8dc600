"""One progress display for every command: rich on a terminal's stderr, silent otherwise."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any


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

    def rate(self) -> float:
        """Articles per minute so far."""
        minutes = (time.monotonic() - self._started) / 60
        return self.done / minutes if minutes > 0 else 0.0

    def current(self, source: str) -> None:
        """Name the article being worked on."""
        self._current = source
        self._update(source)

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
