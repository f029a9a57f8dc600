"""Batch jobs: many inputs in, one result each out; a bad file or Ctrl-C never costs the rest."""

from __future__ import annotations

import json
import re
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from queue import Empty, Queue
from typing import Any, TypeVar

from ringkas import stopping
from ringkas.errors import ExitCode, InputError, StdoutError, UsageError, internal_failure
from ringkas.outputs import (
    FileSink,
    FileTarget,
    Folder,
    FolderSink,
    NotARealFolder,
    OutputError,
    OutputPlan,
    Planned,
    RemoteFile,
    RemoteFileSink,
    RemoteFolderSink,
    RemoteState,
    Sink,
    StateLog,
    StreamSink,
    fingerprint,
    plan_outputs,
    text_hash,
    write_file,
)
from ringkas.outputs.files import os_reason
from ringkas.pipeline import FLUSH, Document, Flush, Pipeline
from ringkas.progress import Progress
from ringkas.result import Result
from ringkas.sources import (
    DEFAULT_GLOBS,
    DEFAULT_MAX_BYTES,
    STDIN,
    Fetcher,
    FetchOptions,
    InputItem,
    Inputs,
    find_inputs,
    input_label,
    read_item,
    read_jsonl,
    standard_input,
    url_item,
)
from ringkas.sources.feeds import read_feeds
from ringkas.sources.remote import Uri
from ringkas.sources.urls import is_url

Say = Callable[[str], None]
_SURROGATES = re.compile("[\ud800-\udfff]")
# Settings that change a result; threads and device only change how fast it comes.
# Links are fetched this many at a time (at most two to one host: see FetchOptions), while
# the articles before them are worked on, and at most this many ahead of the pipeline.
FETCHERS = 4
FETCH_AHEAD = 16
_RESULT_SETTINGS = (
    "translator",
    "summarizer",
    "engine",
    "compute_type",
    "length",
    "beam_size",
    "clean",
)


@dataclass
class JobOptions:
    """What to read and where to write, besides the model settings."""

    fmt: str = "text"  # text | markdown | json | jsonl | panel (terminal)
    # Each output may be on a filesystem pyarrow knows (ringkas.sources.remote.Uri).
    output: Path | Uri | None = None
    output_dir: Path | Uri | None = None
    force: bool = False
    report: Path | Uri | None = None
    globs: tuple[str, ...] | None = None
    follow_links: bool = False
    files_from: str | None = None
    null_separated: bool = False
    input_format: str = "text"
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    summarize: bool = True
    quiet: bool = False
    progress: bool = False
    explain: bool = False
    strict: bool = False
    feeds: tuple[str, ...] = ()  # feed addresses or OPML files whose items are read
    limit: int | None = None  # items per feed, newest first
    since: datetime | None = None  # no feed item published before this
    fetch: FetchOptions | None = None  # how links are fetched (max_bytes comes from above)
    # Files read besides the articles (the config file, a prompt template): never replaced.
    kept: tuple[tuple[Path, str], ...] = ()

    def fetch_options(self) -> FetchOptions:
        return replace(self.fetch or FetchOptions(), max_bytes=self.max_bytes)


@dataclass
class ItemRecord:
    """What happened to one input."""

    source: str
    status: str  # done | skipped | failed | not_started
    output: str | None = None
    error: str | None = None
    reason: str | None = None  # why it was skipped
    warnings: list[str] = field(default_factory=list)
    seconds: float | None = None
    faithful: bool | None = None
    # Where the input came in the job (reports list inputs in that order); not reported.
    position: int = field(default=-1, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["position"]
        return data


@dataclass
class JobReport:
    """The outcome of a job, for the summary table, --report and the exit code."""

    records: list[ItemRecord]
    interrupted: bool = False
    seconds: float = 0.0
    strict: bool = False
    write_failed: bool = False  # an output that is no one input's (the report) failed
    signum: int = signal.SIGINT  # the signal that interrupted the job
    stopped: StdoutError | None = None  # results could no longer be written to stdout

    def counts(self) -> dict[str, int]:
        counts = {"done": 0, "skipped": 0, "failed": 0, "not_started": 0}
        for record in self.records:
            counts[record.status] += 1
        return counts

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 128 + self.signum
        if self.stopped is not None:
            return int(self.stopped.exit_code)
        if self.counts()["failed"] or self.write_failed:
            return ExitCode.INPUT_FAILED
        if self.strict and any(record.faithful is False for record in self.records):
            return ExitCode.UNFAITHFUL
        return ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "interrupted": self.interrupted,
            "stopped": self.stopped.message if self.stopped is not None else None,
            "seconds": round(self.seconds, 3),
            "exit_code": int(self.exit_code),
            "items": [record.to_dict() for record in self.records],
        }


T = TypeVar("T")
_DONE = object()


def read_ahead(items: Iterator[T], limit: int = 64) -> Iterator[T | Flush]:
    """Read ``items`` in a background thread; whenever the next one is not there yet, put
    :data:`FLUSH` first, so the articles already read are done and answered instead of
    waiting for a full group (at most ``limit`` items are read ahead)."""
    queue: Queue[Any] = Queue(maxsize=limit)

    def reader() -> None:
        try:
            for item in items:
                queue.put(item)
        except BaseException as exc:  # handed to the consumer, which raises it
            queue.put(_Raised(exc))
        queue.put(_DONE)

    threading.Thread(target=reader, name="ringkas-read-ahead", daemon=True).start()
    while True:
        try:
            item = queue.get_nowait()
        except Empty:
            yield FLUSH
            item = queue.get()
        if item is _DONE:
            return
        if isinstance(item, _Raised):
            raise item.error
        yield item


@dataclass
class _Raised:
    error: BaseException


@dataclass
class JobWork:
    """What the work of a job needs: the inputs, where each result goes (and the resume
    state, with an output folder), the sink, and the fetcher of links."""

    items: list[InputItem]
    plan: OutputPlan
    state: StateLog | RemoteState | None
    sink: Sink
    fetcher: Fetcher | None


class Job:
    """Runs a pipeline over inputs and sends each outcome to a sink.

    :meth:`run` is the job around the work (inputs, outputs, resume state, Ctrl-C, the
    report); :meth:`_execute` is the work, here in this process (``ringkas.ray`` has it
    done on a Ray cluster instead)."""

    immediate_stop = False  # True: the first Ctrl-C stops at once (work done elsewhere)

    def __init__(
        self,
        pipeline: Pipeline,
        options: JobOptions,
        *,
        say: Say,
        warn: Say,
        error: Say,
        debug: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.options = options
        self.say = say
        self.warn = warn
        self.error = error
        self.debug = debug  # shows what an input's internal error came from (--debug)
        self.records: list[ItemRecord] = []
        self._lost: OutputError | None = None  # the -o file could not be written
        self._close_failed = False  # the -o file or the resume state could not be written
        self._report_target: FileTarget | RemoteFile | None = None  # --report, once checked

    # -- inputs -------------------------------------------------------------------------

    def _check(self, paths: tuple[str, ...]) -> None:
        options = self.options
        stdin_uses = paths.count(STDIN) + (options.files_from == STDIN)
        if stdin_uses > 1:
            raise UsageError("stdin ('-') can be read only once")
        if options.output and options.output_dir:
            raise UsageError("use either --output or --output-dir, not both")
        if options.output_dir and options.fmt in ("jsonl", "panel"):
            raise UsageError("--output-dir writes one file per article: use text, markdown or json")
        if options.input_format == "jsonl" and options.fmt != "jsonl":
            raise UsageError("--input-format jsonl needs --format jsonl")
        if options.input_format == "jsonl" and options.feeds:
            raise UsageError("--feed reads web pages: it cannot go with --input-format jsonl")
        if (options.limit is not None or options.since is not None) and not options.feeds:
            raise UsageError("--limit and --since choose among the items of a --feed")

    def _waits_for_the_terminal(self, paths: tuple[str, ...]) -> str | None:
        """What is read from stdin (``-``, ``--files-from -``, JSON Lines without a path)
        when it is a terminal, where ringkas would seem to hang while it waits; else None."""
        options = self.options
        try:
            terminal = sys.stdin is not None and sys.stdin.isatty()
        except ValueError:  # stdin closed
            terminal = False
        if not terminal:
            return None
        if options.files_from == STDIN:
            return "the input paths, one per line,"
        if options.input_format == "jsonl" and (STDIN in paths or not paths):
            return "JSON Lines"
        return "the article (paste it)" if STDIN in paths else None

    def _jsonl_documents(self, paths: tuple[str, ...]) -> Iterator[Document | InputError | Flush]:
        for path in paths or (STDIN,):
            if path == STDIN:
                try:
                    stream = standard_input()
                except InputError as exc:
                    yield exc
                    continue
                # A producer may wait for each answer before it writes the next line.
                yield from read_ahead(read_jsonl(stream, max_bytes=self.options.max_bytes))
                continue
            try:
                with open(path, "rb") as handle:
                    yield from read_jsonl(handle, source=path, max_bytes=self.options.max_bytes)
            except OSError as exc:
                yield InputError(f"{path}: cannot be read ({exc.strerror or exc})", source=path)

    # -- the run ------------------------------------------------------------------------

    def _settings_hash(self) -> str:
        settings = self.pipeline.config.as_dict()
        shaping = {key: settings[key] for key in _RESULT_SETTINGS}
        options = self.options
        return fingerprint({**shaping, "format": options.fmt, "summarize": options.summarize})

    def _sink(self, plan: OutputPlan, *, many: bool, state: StateLog | RemoteState | None) -> Sink:
        options = self.options
        if isinstance(state, RemoteState):
            return RemoteFolderSink(
                state, options.fmt, self._settings_hash(), explain=options.explain
            )
        if state is not None:
            return FolderSink(
                state.folder, options.fmt, state, self._settings_hash(), explain=options.explain
            )
        if isinstance(plan.file, RemoteFile):
            return RemoteFileSink(plan.file, options.fmt, many=many, explain=options.explain)
        if plan.file is not None:
            return FileSink(plan.file, options.fmt, many=many, explain=options.explain)
        if options.fmt == "panel":
            from rich.console import Console

            console = Console()
            return StreamSink(
                sys.stdout, "panel", many=many, console=console, explain=options.explain
            )
        return StreamSink(sys.stdout, options.fmt, many=many, explain=options.explain)

    def _inputs(self, paths: tuple[str, ...]) -> Inputs:
        options = self.options
        if options.input_format == "jsonl":
            # The files named are read line by line below; found here only so that no
            # output lands on one of them.
            named = find_inputs([path for path in paths if path != STDIN])
            return Inputs(files=named.files, folders=named.folders, globs=named.globs)
        return find_inputs(
            paths,
            globs=options.globs,
            files_from=options.files_from,
            null_separated=options.null_separated,
            follow_links=options.follow_links,
        )

    def _output_folder(self, plan: OutputPlan) -> StateLog | RemoteState | None:
        """Create the output folder, sweep what killed runs left in it, read its state."""
        if plan.remote is not None:  # nothing to create or sweep: objects are written whole
            return RemoteState(plan.remote, [p.relative for p in plan.targets.values()])
        if plan.folder is None:
            return None
        try:
            root = Folder.open(plan.folder)
        except OSError as exc:
            raise UsageError(
                f"the output folder {plan.folder} cannot be created: {os_reason(exc)}"
            ) from exc
        try:
            _sweep(root, plan.targets.values())
            return StateLog(root)
        except BaseException:
            root.close()
            raise

    def run(self, paths: tuple[str, ...]) -> JobReport:
        """Process every input; returns what happened (never raises for a bad input).

        A signal (Ctrl-C, SIGTERM, SIGHUP) stops the job after the articles in progress;
        stdout that can no longer be written (closed by its reader, a full disk) stops it at
        once. Either way the inputs not started are reported and ``--report`` is written;
        the :class:`StdoutError` is raised after that.
        """
        options = self.options
        self._check(paths)
        waits_for = self._waits_for_the_terminal(paths)
        if waits_for:
            self.say(f"reading {waits_for} from the terminal: end with Ctrl-D")
        started = time.monotonic()
        inputs = self._inputs(paths)
        fetcher: Fetcher | None = None
        if options.input_format != "jsonl":
            if options.feeds or any(item.url for item in inputs.items):
                fetcher = Fetcher(options.fetch_options())
            if options.feeds and fetcher is not None:
                found, failed = read_feeds(
                    options.feeds,
                    fetcher,
                    since=options.since,
                    limit=options.limit,
                    max_bytes=options.max_bytes,
                )
                named = {item.url for item in inputs.items}
                inputs.items += [url_item(i.url, feed=i.feed) for i in found if i.url not in named]
                inputs.errors += failed
            if not inputs.items and not inputs.errors and not inputs.skipped:
                raise self._nothing_matched(paths, inputs)
        try:
            return self._run(paths, inputs, fetcher, started)
        finally:
            if fetcher is not None:
                fetcher.cancel()  # downloads still going (after a stop or a failure) end now
                fetcher.close()

    def _kept(self) -> list[tuple[Path, str]]:
        """The files this job reads besides the articles, each with what it is: no output
        may replace them (see :func:`plan_outputs`)."""
        options = self.options
        kept = list(options.kept)
        if options.files_from not in (None, STDIN):
            kept.append((Path(str(options.files_from)), "the --files-from list"))
        kept += [(Path(feed), "the --feed file") for feed in options.feeds if not is_url(feed)]
        return kept

    def _run(
        self, paths: tuple[str, ...], inputs: Inputs, fetcher: Fetcher | None, started: float
    ) -> JobReport:
        options = self.options
        items = inputs.items
        # Refused here, before any work, if any output could land on an input or elsewhere.
        plan = plan_outputs(
            items,
            inputs,
            fmt=options.fmt,
            output=options.output,
            report=options.report,
            output_dir=options.output_dir,
            kept=self._kept(),
        )
        self._report_target = plan.report
        for target in (plan.file, plan.report):
            if isinstance(target, FileTarget) and target.kind == "file":
                _sweep_beside(target.path)
        state = self._output_folder(plan)
        many = len(items) + len(inputs.errors) > 1 or options.input_format == "jsonl"
        sink = self._sink(plan, many=many, state=state)
        for skipped in inputs.skipped:
            self.say(f"{skipped.source}: skipped: {skipped.reason}")
            self.records.append(ItemRecord(skipped.source, "skipped", reason=skipped.reason))
        total = len(items) if options.input_format != "jsonl" else None
        interrupted, signum = False, None
        stopped: StdoutError | None = None
        # A job whose work runs elsewhere (Ray) stops at the first Ctrl-C, cancelling it, as
        # does one waiting for someone to type (what was written stays), as any command that
        # reads the terminal would; else the first one lets the articles in progress finish
        # (stopping.graceful).
        at_once = self.immediate_stop or self._waits_for_the_terminal(paths) is not None
        signals = stopping.handling_signals() if at_once else stopping.graceful(self.say)
        with signals, Progress(total, enabled=options.progress) as progress:
            try:
                for problem in inputs.errors:
                    self._failed(problem, sink)
                self._execute(paths, JobWork(items, plan, state, sink, fetcher), progress)
                interrupted = stopping.requested()
            except KeyboardInterrupt as exc:  # also stopping.Interrupted
                interrupted, signum = True, getattr(exc, "signum", None)
            except StdoutError as exc:
                stopped = exc
            finally:
                try:
                    self._close(sink)
                except StdoutError as exc:
                    stopped = stopped or exc
        if interrupted or self._lost is not None or stopped is not None:
            seen = {record.source for record in self.records}
            self.records += [
                ItemRecord(item.source, "not_started", position=position)
                for position, item in enumerate(items)
                if item.source not in seen
            ]
        # In input order, whatever order the results came in (inputs already done are
        # known before the group they are read with is finished).
        self.records.sort(key=lambda record: record.position)
        report = self._report(
            interrupted, started, signum=signum or stopping.stop_signal(), stopped=stopped
        )
        if stopped is not None and not interrupted:
            raise stopped
        return report

    def _execute(self, paths: tuple[str, ...], work: JobWork, progress: Progress) -> None:
        """Do the work here: read each input, run the pipeline, write each outcome."""
        options = self.options
        self.pipeline.on_stage = progress.stage
        # What each document (or input error) is: its input's position and, with an output
        # folder, where its result goes.
        keys: dict[int, tuple[int, Any]] = {}
        if options.input_format == "jsonl":
            documents = self._from_jsonl(paths, keys)
        else:
            planned = (
                (index, item, work.plan.targets.get(index)) for index, item in enumerate(work.items)
            )
            remote = any(item.uri is not None for item in work.items)
            documents = self._from_items(
                planned, work.state, keys, progress, work.fetcher, remote=remote
            )
        jsonl = options.input_format == "jsonl"
        self.pipeline.expect_articles(None if jsonl else len(work.items))
        for document, outcome in self.pipeline.process(documents, summarize=options.summarize):
            position, key = keys.pop(id(outcome if document is None else document), (-1, None))
            self._handle(document, outcome, key, work.sink, position=position)
            progress.advance()
            if self._lost is not None:
                break  # the one output file cannot be written: stop here
        # Once stopped, the inputs end: the articles already in progress (a group that
        # shares batches) are finished and written, and nothing new starts.

    def _nothing_matched(self, paths: tuple[str, ...], inputs: Inputs) -> InputError:
        """Zero inputs: say where nothing was found, instead of a summary of nothing."""
        options = self.options
        reasons = []
        folders = [path for path in paths if path != STDIN and Path(path).is_dir()]
        folders += [walked.shown for walked in inputs.remote_folders.values()]
        if folders:
            globs = " ".join(options.globs or DEFAULT_GLOBS)
            reasons.append(f"no file in {', '.join(folders)} matches {globs}")
        if options.files_from is not None:
            reasons.append(f"the --files-from list {input_label(options.files_from)} is empty")
        if options.feeds:
            reasons.append("the feeds have no items to read")
        return InputError(
            "no inputs matched: " + "; ".join(reasons or ["nothing to read"]),
            "hidden files and folders are skipped; --glob chooses the names",
            source="",
        )

    def _report(
        self,
        interrupted: bool,
        started: float,
        *,
        signum: int | None = None,
        stopped: StdoutError | None = None,
    ) -> JobReport:
        """What happened so far, also written to --report."""
        options = self.options
        report = JobReport(
            self.records,
            interrupted,
            time.monotonic() - started,
            options.strict,
            write_failed=self._close_failed,
            signum=signum or signal.SIGINT,
            stopped=stopped,
        )
        if self._report_target is not None:
            payload = {**report.to_dict(), "settings": self.pipeline.config.as_dict()}
            text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
            if _SURROGATES.search(text):  # a path that is not UTF-8: keep it, as an escape
                text = json.dumps(payload, ensure_ascii=True, indent=2) + "\n"
            try:
                write_file(self._report_target, text)
            except OutputError as exc:
                self.error(exc.one_line())
                report.write_failed = True
        return report

    def _close(self, sink: Sink) -> None:
        """Close the sink; when its one file could not be written, every result that went
        into it is a failure, told once."""
        try:
            sink.close()
        except OutputError as exc:
            if self._lost is None:
                self.error(exc.one_line())
            self._lost = exc
            self._close_failed = True
        if self._lost is not None:
            for record in self.records:
                if record.status == "done" and record.output is None:
                    record.status, record.error = "failed", self._lost.one_line()

    def _from_items(
        self,
        items: Iterable[tuple[int, InputItem, Planned | None]],
        state: StateLog | RemoteState | None,
        keys: dict[int, tuple[int, Any]],
        progress: Progress,
        fetcher: Fetcher | None = None,
        *,
        remote: bool = False,
    ) -> Iterator[Document | InputError]:
        """Read each input lazily (links and remote files read ahead); inputs already done
        (resume) are skipped here."""
        options = self.options
        settings_hash = self._settings_hash()
        for index, item, planned, read in self._read(items, progress, fetcher, remote=remote):
            if isinstance(read, InputError):
                keys[id(read)] = (index, None)
                yield read  # reported in its turn, by the pipeline's outcomes
                continue
            document = read
            key = None
            if planned is not None and state is not None:
                input_hash = text_hash(self._resume_text(document, item))
                current = state.is_current(planned.relative, input_hash, settings_hash)
                if not options.force and current:
                    record = ItemRecord(item.source, "skipped", planned.shown, position=index)
                    self.records.append(record)
                    progress.advance()
                    continue
                key = (planned, item.source, input_hash)
            keys[id(document)] = (index, key)
            yield document

    def _resume_text(self, document: Document, item: InputItem) -> str:
        """The text whose change makes an input be done again. For a link, the article as
        it will be summarised: a page's boilerplate ("Baca juga" links that change on every
        visit, ads) must not make a cron job redo an article whose text is the same."""
        if item.url is None or not self.pipeline.config.clean:
            return document.text
        from ringkas.text import clean_article

        return clean_article(document.text).text

    def _read(
        self,
        items: Iterable[tuple[int, InputItem, Planned | None]],
        progress: Progress,
        fetcher: Fetcher | None,
        *,
        remote: bool = False,
    ) -> Iterator[tuple[int, InputItem, Planned | None, Document | InputError]]:
        """Each input read, in order. Links (and files on a remote filesystem, with
        ``remote``) are read ahead in threads (FETCHERS at a time, up to FETCH_AHEAD inputs
        ahead), so they download while articles are worked on."""
        options = self.options

        def read(item: InputItem) -> Document | InputError:
            try:
                return read_item(
                    item, encoding=options.encoding, max_bytes=options.max_bytes, fetcher=fetcher
                )
            except InputError as exc:
                return exc
            except Exception as exc:  # a bug met reading this input: its failure alone
                return internal_failure(item.source, exc)

        pending = iter(items)
        if fetcher is None and not remote:
            for index, item, planned in pending:
                if stopping.requested():
                    return
                progress.current(item.source)
                yield index, item, planned, read(item)
            return
        pool = ThreadPoolExecutor(FETCHERS, thread_name_prefix="ringkas-fetch")
        ahead: deque[tuple[int, InputItem, Planned | None, Future[Document | InputError] | None]]
        ahead = deque()
        try:
            while True:
                while len(ahead) < FETCH_AHEAD and not stopping.requested():
                    following = next(pending, None)
                    if following is None:
                        break
                    index, item, planned = following
                    ahead_of_time = item.url is not None or item.uri is not None
                    future = pool.submit(read, item) if ahead_of_time else None
                    ahead.append((index, item, planned, future))
                if not ahead or stopping.requested():
                    return
                index, item, planned, future = ahead.popleft()
                progress.current(item.source)
                yield index, item, planned, read(item) if future is None else future.result()
        finally:
            if stopping.requested() and fetcher is not None:
                fetcher.cancel()  # nothing new starts: downloads in progress end now
            pool.shutdown(wait=False, cancel_futures=True)

    def _from_jsonl(
        self, paths: tuple[str, ...], keys: dict[int, tuple[int, Any]]
    ) -> Iterator[Document | InputError | Flush]:
        position = 0
        for entry in self._jsonl_documents(paths):
            if stopping.requested():
                return
            if not isinstance(entry, Flush):
                keys[id(entry)] = (position, None)
                position += 1
            yield entry

    def _handle(
        self,
        document: Document | None,
        outcome: Result | InputError,
        key: Any,
        sink: Sink,
        *,
        position: int = -1,
    ) -> None:
        if isinstance(outcome, InputError):
            record_id = document.metadata.get("id") if document is not None else None
            record_id = getattr(outcome, "id", None) or record_id
            self._failed(outcome, sink, record_id, position=position)
            return
        if not self.options.quiet:
            for notice in outcome.warnings:
                self.warn(f"{outcome.source}: {notice.message}")
            if outcome.checks is not None and not outcome.checks.faithful:
                items = [u for s in outcome.checks.sentences for u in s.unsupported]
                listed = ", ".join(f"{u.text!r} ({u.kind})" for u in items)
                self.warn(f"{outcome.source}: not found in the article: {listed}")
        try:
            written = sink.result(outcome, key)
        except OutputError as exc:
            if getattr(sink, "broken", None) is exc:  # the one output file: all is lost
                self._lost = exc
                self.error(exc.one_line())
                record = ItemRecord(outcome.source, "failed", error=exc.one_line())
                record.position = position
                self.records.append(record)
            else:
                self._failed(exc, sink, position=position)
            return
        except StdoutError:
            raise  # nothing more can be written: the job stops
        except Exception as exc:  # a bug met writing this result: its failure alone
            self._failed(internal_failure(outcome.source, exc), sink, position=position)
            return
        self.records.append(
            ItemRecord(
                outcome.source,
                "done",
                written,
                warnings=[notice.code for notice in outcome.warnings],
                seconds=round(outcome.stats.seconds.get("total", 0.0), 3),
                faithful=outcome.faithful,
                position=position,
            )
        )

    def _failed(
        self, error: InputError, sink: Sink, record_id: Any = None, *, position: int = -1
    ) -> None:
        if self.debug is not None and error.__cause__ is not None:
            self.debug(error.__cause__)
        self.error(error.one_line())
        try:
            sink.failure(error.source, error, record_id)
        except OutputError as exc:  # the output file itself failed: told at the end
            self._lost = self._lost or exc
        record = ItemRecord(error.source, "failed", error=error.one_line(), position=position)
        self.records.append(record)


def _sweep(root: Folder, targets: Iterable[Planned]) -> None:
    """Remove what killed runs left in the folders results go to (never through a link)."""
    names: dict[tuple[str, ...], list[str]] = {(): []}
    for planned in targets:
        names.setdefault(planned.parts[:-1], []).append(planned.parts[-1])
    for where, files in names.items():
        try:
            with root.below(where, create=False) as folder:
                folder.sweep(files)
        except (OSError, NotARealFolder):
            continue  # not made yet, or not ours to touch


def _sweep_beside(path: Path) -> None:
    try:
        with Folder.open(path.parent, create=False) as folder:
            folder.sweep([path.name])
    except OSError:
        pass
