"""A drop folder as a batch job that does not end: ``ringkas watch DIR --output-dir OUT``.

:class:`WatchJob` is a :class:`~ringkas.batch.Job` whose inputs are the files already in the
folder (done first, unless the resume state says they are done) and then every file that
lands in it, once it has stopped growing (:class:`~ringkas.sources.drop.DropFolder`). Each
round of files is worked on at once and written to the output folder with the same state,
report, progress and error handling as a batch job, until Ctrl-C (exit 130, state saved).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ringkas import stopping
from ringkas.batch import ItemRecord, Job, JobReport, _sweep, _sweep_beside
from ringkas.errors import InputError, UsageError
from ringkas.outputs import FileTarget, Planned, StateLog, plan_folder, plan_outputs
from ringkas.pipeline import FLUSH, Document, Flush
from ringkas.progress import Progress
from ringkas.sources import InputItem, Inputs, SourceError, find_inputs, glob_matcher
from ringkas.sources.drop import DropFolder
from ringkas.sources.remote import Uri

DEFAULT_SETTLE = 2.0  # seconds a file must stay the same before it is read


class WatchJob(Job):
    """Summarises what lands in a folder until stopped."""

    _taken: dict[Path, str]  # output file -> the input it is the result of
    _watched: Inputs  # what was in the folder at the start
    _folder_path: Path | None  # the output folder, links resolved

    def watch(self, folder: str, *, settle: float = DEFAULT_SETTLE) -> JobReport:
        """Work on ``folder``'s articles, then on each that lands, until Ctrl-C; the report
        (also written to --report after every round) says what happened."""
        options = self.options
        root = Path(folder)
        if options.output_dir is None:
            raise UsageError("ringkas watch writes one file per article: give --output-dir")
        if not isinstance(options.output_dir, Path) or isinstance(options.report, Uri):
            raise UsageError("ringkas watch writes on this machine: give a local folder")
        output_dir = options.output_dir
        if not root.is_dir():
            raise UsageError(f"{folder} is not a folder", hint="watch a folder for new articles")
        self._check((folder,))
        started = time.monotonic()
        self._watched = find_inputs([folder], globs=options.globs)
        # Refused here, before any work: an output folder inside the watched one, links in
        # it, a report that is an input... (see ringkas.outputs.plan).
        plan = plan_outputs(
            [],
            self._watched,
            fmt=options.fmt,
            report=options.report,
            output_dir=output_dir,
            kept=self._kept(),
        )
        self._report_target = plan.report
        if isinstance(plan.report, FileTarget) and plan.report.kind == "file":
            _sweep_beside(plan.report.path)
        self._folder_path = plan.folder_path
        state = self._output_folder(plan)
        assert isinstance(state, StateLog)
        sink = self._sink(plan, many=True, state=state)
        self._taken: dict[Path, str] = {}
        failed = False
        with stopping.graceful(self.say), Progress(None, enabled=options.progress) as progress:
            self.pipeline.on_stage = progress.stage
            matches = glob_matcher(options.globs)
            event = stopping.stop_event()
            with DropFolder(root, matches=matches, stop=event, settle=settle) as drop:
                keys: dict[int, Any] = {}
                documents = self._landed(folder, root, drop, state, keys, progress, started)
                try:
                    for document, outcome in self.pipeline.process(
                        documents, summarize=options.summarize
                    ):
                        _, key = keys.pop(id(document), (-1, None)) if document else (-1, None)
                        self._handle(document, outcome, key, sink)
                        progress.advance()
                        record = self.records[-1]
                        if record.status == "done":
                            self.say(f"{record.source}: done ({record.output})")
                except KeyboardInterrupt:
                    pass  # stopped while the models loaded
                except OSError as exc:  # the folder went away, or cannot be watched
                    self._failed(SourceError(folder, str(exc)), sink)
                    failed = True
                finally:
                    sink.close()
        return self._report(not failed, started, signum=stopping.stop_signal())

    def _landed(
        self,
        folder: str,
        root: Path,
        drop: DropFolder,
        state: StateLog,
        keys: dict[int, Any],
        progress: Progress,
        started: float,
    ) -> Iterator[Document | InputError | Flush]:
        """The folder's articles, then each round of files that landed; after each round
        (once its results are written) the report is brought up to date."""
        # Looked at again now that the drop folder is watched: nothing lands unseen between.
        found = self._watched = find_inputs([folder], globs=self.options.globs)
        for skipped in found.skipped:
            self.say(f"{skipped.source}: skipped: {skipped.reason}")
            self.records.append(ItemRecord(skipped.source, "skipped", reason=skipped.reason))
        yield from found.errors
        yield from self._round(found.items, state, keys, progress)
        for paths in drop.landed():
            self._report(False, started)
            landed = []
            for path in paths:
                relative = path.relative_to(root)
                landed.append(InputItem(str(Path(folder) / relative), path, root, relative))
            yield from self._round(landed, state, keys, progress)

    def _round(
        self,
        items: Iterable[InputItem],
        state: StateLog,
        keys: dict[int, Any],
        progress: Progress,
    ) -> Iterator[Document | InputError | Flush]:
        planned: list[tuple[int, InputItem, Planned | None]] = []
        for item in items:
            outcome = self._plan(item, state)
            if isinstance(outcome, InputError):
                yield outcome
            else:
                planned.append((-1, item, outcome))  # in the order they landed
        yield from self._from_items(planned, state, keys, progress)
        yield FLUSH  # worked on and written now, not when more files have landed

    def _plan(self, item: InputItem, state: StateLog) -> Planned | InputError:
        """Where one file's result goes; a file that would overwrite the result of another
        (``a.txt`` and ``a.md``), or whose result would go through a link, is that file's
        failure."""
        options = self.options
        assert isinstance(options.output_dir, Path) and self._folder_path is not None
        try:
            (planned,) = plan_folder(
                [item],
                options.output_dir,
                self._folder_path,
                options.fmt,
                self._watched,
                self._kept(),
            ).values()
        except UsageError as exc:
            return SourceError(item.source, exc.message)
        owner = self._taken.setdefault(Path(planned.output), item.source)
        if owner != item.source:
            return SourceError(
                item.source,
                f"its result would overwrite that of {owner} ({planned.output})",
                hint="rename one of them",
            )
        _sweep(state.folder, [planned])
        return planned
