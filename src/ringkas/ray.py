"""Batch jobs on Ray: the same job as :mod:`ringkas.batch`, its articles done by a Ray Data
actor pool in which each actor holds one :class:`~ringkas.pipeline.Pipeline` (models loaded
once per actor).

The driver (the ``ringkas`` process) does what a local job does around the work: it finds the
inputs, plans the outputs, reads the resume state and the bytes of each input, and writes
every result through the local job's sinks as it comes back. The actors decode, skip what is
already done, clean, translate, summarise and check. So the output files, the resume state and
the report are those of a local run: a job begun on a laptop can be resumed on a cluster and
the other way round. Only the driver touches inputs and outputs, so the nodes need no shared
disk.

:func:`summarize_dataset` is the same work for a Ray pipeline of one's own.

Importing this module imports Ray: ``pip install 'ringkas[ray]'``.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sys
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from ringkas import stopping
from ringkas.batch import ItemRecord, Job, JobOptions, JobWork, Say
from ringkas.errors import InputError, ModelUnavailableError, RingkasError, UsageError
from ringkas.outputs import Planned, RemoteState, Sink, StateLog, error_record, text_hash
from ringkas.pipeline import GROUP_SIZE, Document, Flush, Pipeline
from ringkas.progress import Progress
from ringkas.result import Result
from ringkas.settings import Settings
from ringkas.sources import document_from_bytes, read_bytes, read_item

EXTRA = "pip install 'ringkas[ray]'"

try:
    import pyarrow
    import ray
    import ray.data
    from ray.data import ActorPoolStrategy, DataContext, Dataset
except ImportError as exc:  # the message names the extra; the CLI turns it into one line
    raise ImportError(f"ringkas.ray needs Ray Data ({EXTRA}): {exc}", name=exc.name) from exc


__all__ = ["EXTRA", "RayJob", "RayOptions", "cluster", "summarize_dataset"]

# A permanently dead actor (ray.kill, a lost node) fails the Ray job; the articles it had not
# answered go to a new actor pool this many times in all before they are reported as failed.
ATTEMPTS = 3
READERS = 16  # files on a remote filesystem read at once by the driver
PAIR = 2.0  # CPUs per actor by default (see sized)


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide a Ray job runs."""

    address: str | None = None  # None: RAY_ADDRESS, a cluster started here, or a new instance
    actors: int | None = None  # None: as many as the cluster's nodes hold now
    cpus: float | None = None  # per actor, its inference threads; None: see sized
    gpus: float = 0.0  # per actor; more than 0 runs the models on CUDA
    batch_size: int = GROUP_SIZE  # articles per call: they share translation batches


# -- the work, inside each actor ----------------------------------------------------------


@dataclass
class Outcome:
    """What an actor made of one row (pickled back to the driver)."""

    status: str  # done | skipped | failed | fatal
    result: Result | None = None
    error: str | None = None  # the one-line message of a failed (or fatal) row
    error_type: str | None = None  # the RingkasError class of a fatal row
    input_sha256: str | None = None


def _fatal(error: RingkasError) -> Outcome:
    return Outcome("fatal", error=error.one_line(), error_type=type(error).__name__)


class Worker:
    """A Ray Data callable class: one Pipeline per actor, models loaded on first use.

    A row has ``position`` and ``source``, and either ``data`` (an input's bytes, decoded
    here as a local run decodes them; ``html`` says it is a web page) or ``text`` (with
    ``metadata`` as JSON). ``expect`` is the input hash the resume state logged for a result
    that is still in place: an input that still has it is skipped.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        summarize: bool = True,
        encoding: str | None = None,
        records: bool = False,
    ) -> None:
        self.pipeline = Pipeline(settings)
        self.pipeline.expect_articles(None)  # batches of several articles per call
        self.summarize = summarize
        self.encoding = encoding
        self.records = records  # summarize_dataset: rows of the JSON schema, not Outcomes
        self.actor = ray.get_runtime_context().get_actor_id() or ""
        self.fatal: RingkasError | None = None

    def __call__(self, batch: pyarrow.Table) -> dict[str, list[Any]]:
        rows = batch.to_pylist()
        outcomes = self._outcomes(rows)
        if self.records:
            return _records(rows, outcomes)
        return {
            "position": [row["position"] for row in rows],
            "actor": [self.actor] * len(rows),
            "outcome": [pickle.dumps(outcome) for outcome in outcomes],
        }

    def _outcomes(self, rows: list[dict[str, Any]]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(rows)
        todo: list[tuple[int, Document, str]] = []
        for index, row in enumerate(rows):
            try:
                document = self._document(row)
            except InputError as exc:
                outcomes[index] = Outcome("failed", error=exc.one_line())
                continue
            digest = text_hash(document.text)
            if row.get("expect") and row["expect"] == digest:
                outcomes[index] = Outcome("skipped", input_sha256=digest)
            else:
                todo.append((index, document, digest))
        if todo and self.fatal is None:
            try:
                processed = self.pipeline.process(
                    [document for _, document, _ in todo], summarize=self.summarize
                )
                for (index, _, digest), (_, outcome) in zip(todo, processed, strict=True):
                    if isinstance(outcome, InputError):
                        outcomes[index] = Outcome("failed", error=outcome.one_line())
                    else:
                        outcomes[index] = Outcome("done", result=outcome, input_sha256=digest)
            except InputError as exc:  # (the pipeline yields them; this is a safety net)
                for index, _, _ in todo:
                    outcomes[index] = outcomes[index] or Outcome("failed", error=exc.one_line())
            except RingkasError as exc:  # a model that cannot load, a refused style
                if self.records:
                    raise
                self.fatal = exc
        if self.fatal is not None:
            for index, _, _ in todo:
                outcomes[index] = _fatal(self.fatal)
        return [outcome or _fatal(RingkasError("no outcome")) for outcome in outcomes]

    def _document(self, row: dict[str, Any]) -> Document:
        source = str(row["source"])
        if row.get("data") is not None:
            return document_from_bytes(
                row["data"], source, encoding=self.encoding, html=bool(row.get("html"))
            )
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{source}: the article is empty", source=source)
        metadata = json.loads(row["metadata"]) if row.get("metadata") else {}
        return Document(source, text, metadata)


def _records(rows: list[dict[str, Any]], outcomes: list[Outcome]) -> dict[str, list[Any]]:
    """Rows with the fields of the JSON schema (README, "JSON output"); a failed input has
    ``error`` ({"code", "message"}) instead of a summary."""
    records: list[dict[str, Any]] = []
    for row, outcome in zip(rows, outcomes, strict=True):
        if outcome.result is not None:
            record = outcome.result.to_dict()
        else:
            source = str(row["source"])
            metadata = json.loads(row["metadata"]) if row.get("metadata") else {}
            error = InputError(outcome.error or f"{source}: failed", source=source)
            record = error_record(source, error, metadata.get("id"))
        records.append(record)
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    return {name: [record.get(name) for record in records] for name in names}


# -- the dataset -----------------------------------------------------------------------------


def _actor_settings(settings: Settings, options: RayOptions) -> Settings:
    """Each actor's threads are its CPUs (not every core of its node), and an actor given a
    GPU runs its models there."""
    changes: dict[str, Any] = {}
    if settings.threads is None:
        changes["threads"] = max(1, int(options.cpus or 1))
    if options.gpus > 0 and settings.device == "cpu":
        changes["device"] = "cuda"
    return replace(settings, **changes)


def _node_resources() -> list[dict[str, float]]:
    """The resources of each live node of the cluster."""
    return [node.get("Resources", {}) for node in ray.nodes() if node.get("Alive")]


def sized(options: RayOptions, batches: int | None = None) -> RayOptions:
    """``options`` with the CPUs per actor and the actors filled in, from the live nodes
    (an actor's CPUs or GPUs are on one node); no more actors than ``batches``, if given,
    since each loads the models.

    CPUs per actor: as asked; else 1 for a GPU actor (its work is on the GPU); else 2, the
    layout ringkas runs on 2 cores locally (translator and summarizer two workers of a
    thread each; one copy of the models for two cores), or fewer where the nodes have
    fewer or ``--ray-actors`` must share fewer.
    """
    nodes = _node_resources()
    cpus = options.cpus
    if cpus is None and options.gpus > 0:
        cpus = 1.0
    elif cpus is None:
        cpus = min(PAIR, max((node.get("CPU", 0.0) for node in nodes), default=1.0))
        if options.actors is not None:
            cpus = min(cpus, sum(node.get("CPU", 0.0) for node in nodes) // options.actors)
        cpus = max(1.0, float(int(cpus)))
    actors = options.actors
    if actors is None:
        kind, each = ("GPU", options.gpus) if options.gpus > 0 else ("CPU", cpus)
        actors = max(1, sum(int(node.get(kind, 0.0) // each) for node in nodes))
    if batches is not None:
        actors = min(actors, batches)
    return replace(options, cpus=cpus, actors=actors)


def _map(
    dataset: Dataset,
    settings: Settings,
    options: RayOptions,
    *,
    summarize: bool,
    encoding: str | None,
    records: bool,
) -> Dataset:
    """The actor pool over ``dataset``; ``options`` as :func:`sized` fills them in."""
    return dataset.map_batches(
        Worker,
        fn_constructor_args=(_actor_settings(settings, options),),
        fn_constructor_kwargs={"summarize": summarize, "encoding": encoding, "records": records},
        batch_size=options.batch_size,
        batch_format="pyarrow",
        # One batch at a time per actor: the next goes to whichever actor is free first (an
        # actor still loading its models takes none), and an actor that dies loses one.
        compute=ActorPoolStrategy(size=options.actors, max_tasks_in_flight_per_actor=1),
        num_cpus=options.cpus,
        num_gpus=options.gpus or None,
    )


def summarize_dataset(
    dataset: Dataset,
    settings: Settings | None = None,
    *,
    summarize: bool = True,
    actors: int | None = None,
    cpus: float = 1.0,
    gpus: float = 0.0,
    batch_size: int = GROUP_SIZE,
    **options: Any,
) -> Dataset:
    """Summarise (or only translate) the articles of a Ray dataset.

    ``dataset`` has a ``text`` column and an ``id`` column (any JSON value; ``source`` too,
    if it has one, else the id names the article in messages). The result has one row per
    input with the fields of ringkas's JSON schema; an input that could not be done has
    ``error`` ({"code", "message"}) and no summary, and does not stop the others. Settings
    come as a :class:`~ringkas.settings.Settings` or as its fields by keyword, as for
    :class:`~ringkas.pipeline.Pipeline`. Actors have ``cpus`` CPUs each: 1 by default, not
    the CLI's 2, since the dataset's own steps need CPUs too (on a 2-CPU instance one actor
    of 2 CPUs left none for them, and the job waited for ever). Each actor loads the models
    once, resolved on its node like the CLI does (cache, pinned revision, offline mode). A
    model that cannot be loaded fails the dataset. Lazy, like every Ray transform: nothing
    runs until it is consumed.

    >>> import ray                                                      # doctest: +SKIP
    >>> ds = ray.data.from_items([{"id": 1, "text": "Teks berita ..."}])  # doctest: +SKIP
    >>> summarize_dataset(ds, length="short").take_all()               # doctest: +SKIP
    """
    base = settings or Settings()
    config = base.with_options(**options) if options else base
    names = dataset.columns() or []
    if "text" not in names:
        raise UsageError(f"the dataset has no 'text' column (it has {', '.join(names)})")

    def shape(batch: pyarrow.Table) -> pyarrow.Table:
        count = batch.num_rows
        ids = batch.column("id").to_pylist() if "id" in names else [None] * count
        if "source" in names:
            sources = [str(s) for s in batch.column("source").to_pylist()]
        else:
            sources = [_id_text(key, n) for n, key in enumerate(ids)]
        metadata = [json.dumps({"id": key}) if key is not None else None for key in ids]
        return pyarrow.table(
            {
                "source": pyarrow.array(sources, pyarrow.string()),
                "text": batch.column("text").cast(pyarrow.string()),
                "metadata": pyarrow.array(metadata, pyarrow.string()),
            }
        )

    rows = dataset.map_batches(shape, batch_format="pyarrow")
    run = sized(RayOptions(actors=actors, cpus=cpus, gpus=gpus, batch_size=batch_size))
    return _map(rows, config, run, summarize=summarize, encoding=None, records=True)


def _id_text(key: Any, number: int) -> str:
    if key is None:
        return f"<row {number + 1}>"
    return key if isinstance(key, str) else json.dumps(key, ensure_ascii=False)


def batched(rows: list[dict[str, Any]], size: int) -> Dataset:
    """``rows`` as a dataset of one block per batch, cut as a local run cuts its groups (the
    first ``size`` rows, the next ``size``...): every actor gets work, a batch lost with an
    actor is one block, and the articles that share translation batches are the ones a local
    run puts together, so the summaries are the same (padding in a shared batch moves int8
    results a little). ``from_items(override_num_blocks=N)`` cuts even blocks instead (20
    rows: 7, 7 and 6), which Ray Data then batches as 8, 6 and 6."""
    # A table per block, with one schema (a block whose column is all null still has its
    # type), so that no block's column nears Arrow's 2 GiB per binary array.
    blocks = [
        pyarrow.Table.from_pylist(rows[start : start + size], schema=ROW_SCHEMA)
        for start in range(0, len(rows), size)
    ]
    return ray.data.from_arrow(blocks or [ROW_SCHEMA.empty_table()])


def outcomes(
    rows: list[dict[str, Any]],
    settings: Settings,
    options: RayOptions,
    *,
    summarize: bool,
    encoding: str | None,
) -> Iterator[tuple[int, str, Outcome]]:
    """Run ``rows`` through an actor pool; yields (position, actor id, outcome) as they
    come, in no particular order."""
    dataset = batched(rows, options.batch_size)
    batches = max(1, -(-len(rows) // options.batch_size))
    mapped = _map(
        dataset,
        settings,
        sized(options, batches),
        summarize=summarize,
        encoding=encoding,
        records=False,
    )
    for row in mapped.iter_rows():
        yield int(row["position"]), str(row["actor"]), pickle.loads(row["outcome"])


# -- the cluster -------------------------------------------------------------------------


@contextmanager
def cluster(address: str | None = None) -> Iterator[None]:
    """Connect to a Ray cluster (or start a local instance) for the duration of a job.

    ``address`` as :func:`ray.init` takes it; None: ``RAY_ADDRESS``, else a cluster started
    on this machine with ``ray start``, else a new local instance, which is shut down at the
    end. A Ray already initialised in this process is used as it is.
    """
    started = False
    if not ray.is_initialized():
        try:
            ray.init(
                address=address,
                logging_level=logging.ERROR,
                log_to_driver=False,
                include_dashboard=False,
            )
        except (ConnectionError, ValueError, RuntimeError) as exc:
            where = address or os.environ.get("RAY_ADDRESS") or "a local instance"
            raise UsageError(
                f"cannot start or reach the Ray cluster ({where}): {_first_line(exc)}",
                hint="check the address (host:port of the head node, or ray://host:10001)",
            ) from exc
        started = True
    quiet_ray_data()
    try:
        yield
    finally:
        if started:
            ray.shutdown()


def quiet_ray_data() -> None:
    """No progress bars or execution notices from Ray Data on the driver's stderr (its
    messages still go to its log files)."""
    context = DataContext.get_current()
    context.enable_progress_bars = False
    # A model download on a new node may take long: a job waits rather than fails.
    context.execution_no_progress_timeout_s = -1
    for handler in logging.getLogger("ray.data").handlers:
        if not isinstance(handler, logging.FileHandler):
            handler.setLevel(logging.ERROR)


@contextmanager
def native_output_to_log(prefix: str = "ringkas-ray-") -> Iterator[str | None]:
    """Send what Ray's native parts print on this process's stderr (file descriptor 2,
    which the Ray processes it starts inherit) to a log file, while Python's ``sys.stderr``
    keeps the terminal for ringkas's own messages. Yields the log's path (None when stderr is
    not file descriptor 2, e.g. under a test runner, and nothing is redirected). The log is
    removed at the end unless ``keep`` was called on it (see :func:`keep_log`)."""
    try:
        descriptor = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        descriptor = -1
    if descriptor != 2:
        yield None
        return
    sys.stderr.flush()
    handle, path = tempfile.mkstemp(prefix=prefix, suffix=".log")
    saved = os.dup(2)
    original = sys.stderr
    os.dup2(handle, 2)
    os.close(handle)
    sys.stderr = open(  # noqa: SIM115  (closed below, after the job)
        os.dup(saved),
        "w",
        encoding=original.encoding,
        errors=original.errors,
        buffering=1,
    )
    _kept.discard(path)
    try:
        yield path
    finally:
        sys.stderr.flush()
        sys.stderr.close()
        sys.stderr = original
        os.dup2(saved, 2)
        os.close(saved)
        if path not in _kept:
            with suppress(OSError):
                os.unlink(path)


_kept: set[str] = set()


def keep_log(path: str | None) -> None:
    """Keep the log of :func:`native_output_to_log` (something went wrong: it tells what)."""
    if path:
        _kept.add(path)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# -- the job, on the driver ------------------------------------------------------------------


class _InOrder:
    """Runs each input's action (write its result, report its failure) in input order, for
    a stream or a single file; at once for an output folder, where order does not matter and
    a result written is a result kept if the driver is killed."""

    def __init__(self, positions: list[int] | None) -> None:
        self.order = sorted(positions) if positions is not None else None
        self.waiting: dict[int, Callable[[], None]] = {}
        self.next = 0

    def put(self, position: int, action: Callable[[], None]) -> None:
        if self.order is None:
            action()
            return
        self.waiting[position] = action
        while self.next < len(self.order) and self.order[self.next] in self.waiting:
            self.waiting.pop(self.order[self.next])()
            self.next += 1

    def flush(self) -> None:
        """What has come, in order, past the gaps of what never will (Ctrl-C, a failure)."""
        for position in sorted(self.waiting):
            self.waiting.pop(position)()


_RETRYABLE = (
    ray.exceptions.RayActorError,  # an actor killed for good (ray.kill) or that cannot restart
    ray.exceptions.ActorUnavailableError,
    ray.exceptions.NodeDiedError,
    ray.exceptions.ObjectLostError,
    ray.exceptions.OwnerDiedError,
)


class RayJob(Job):
    """A batch job whose articles are done by a Ray Data actor pool (see the module).

    An actor that crashes is restarted by Ray and its batch retried; one killed for good
    fails the Ray job, and the articles not yet answered go to a new pool (:data:`ATTEMPTS`
    in all). The first Ctrl-C cancels the Ray job at once: what came back is written.
    """

    immediate_stop = True

    def __init__(
        self,
        pipeline: Pipeline,
        options: JobOptions,
        *,
        say: Say,
        warn: Say,
        error: Say,
        debug: Callable[[BaseException], None] | None = None,
        ray_options: RayOptions | None = None,
    ) -> None:
        super().__init__(pipeline, options, say=say, warn=warn, error=error, debug=debug)
        self.ray_options = ray_options or RayOptions()
        self.per_actor: Counter[str] = Counter()  # articles done by each actor
        self.log: str | None = None  # where Ray's own messages went (a CLI run)

    def _execute(self, paths: tuple[str, ...], work: JobWork, progress: Progress) -> None:
        sink = work.sink
        rows, failed, keys = self._rows(paths, work, progress)
        order = None if work.state is not None else [*(p for p, _, _ in failed), *keys]
        out = _InOrder(order)
        try:
            for position, error, record_id in failed:
                out.put(position, partial(self._failed, error, sink, record_id, position=position))
                progress.advance()
            if rows:
                with (
                    native_output_to_log() as self.log,
                    warnings.catch_warnings(),
                ):
                    # Ray's advice and notices are for its own logs, not the user's terminal.
                    warnings.filterwarnings("ignore", module=r"ray(\.|$)")
                    with cluster(self.ray_options.address):
                        self._run_rows(rows, keys, sink, out, progress)
        finally:
            out.flush()

    def _rows(
        self, paths: tuple[str, ...], work: JobWork, progress: Progress
    ) -> tuple[list[dict[str, Any]], list[tuple[int, InputError, Any]], dict[int, _Key]]:
        """Read what the actors will work on: each file's bytes (a link's or a JSON line's
        text) and the input hash of a result still in place. An input that cannot be read
        fails here, as in a local run."""
        rows: list[dict[str, Any]] = []
        failed: list[tuple[int, InputError, Any]] = []
        keys: dict[int, _Key] = {}
        options = self.options
        if options.input_format == "jsonl":
            position = 0
            for entry in self._jsonl_documents(paths):
                if isinstance(entry, Flush):
                    continue
                if isinstance(entry, InputError):
                    failed.append((position, entry, getattr(entry, "id", None)))
                else:
                    metadata = json.dumps(entry.metadata, ensure_ascii=False)
                    rows.append(_row(position, entry.source, text=entry.text, metadata=metadata))
                    keys[position] = _Key(None, entry.source, entry.metadata.get("id"))
                position += 1
            return rows, failed, keys
        settings_hash = self._settings_hash()
        state = work.state if not options.force else None
        # Files on a remote filesystem (s3://...) are read READERS at a time.
        pool = ThreadPoolExecutor(READERS, thread_name_prefix="ringkas-read")
        try:
            reads = {
                position: pool.submit(read_bytes, item, max_bytes=options.max_bytes)
                for position, item in enumerate(work.items)
                if item.uri is not None
            }
            self._read_rows(work, reads, state, settings_hash, progress, rows, failed, keys)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        return rows, failed, keys

    def _read_rows(
        self,
        work: JobWork,
        reads: dict[int, Future[tuple[bytes, bool]]],
        state: StateLog | RemoteState | None,
        settings_hash: str,
        progress: Progress,
        rows: list[dict[str, Any]],
        failed: list[tuple[int, InputError, Any]],
        keys: dict[int, _Key],
    ) -> None:
        options = self.options
        for position, item in enumerate(work.items):
            planned = work.plan.targets.get(position)
            logged = None
            if planned is not None and state is not None:
                logged = state.current_input(planned.relative, settings_hash)
            try:
                if item.url is None:
                    read = reads.get(position)
                    if read is not None:
                        data, html = read.result()
                    else:
                        data, html = read_bytes(item, max_bytes=options.max_bytes)
                    rows.append(_row(position, item.source, data=data, html=html, expect=logged))
                    keys[position] = _Key(planned, item.source, None)
                    continue
                # A link is fetched here, and is done again only when its article changed
                # (as a local run decides it: see Job._resume_text).
                progress.current(item.source)
                document = read_item(
                    item,
                    encoding=options.encoding,
                    max_bytes=options.max_bytes,
                    fetcher=work.fetcher,
                )
            except InputError as exc:
                failed.append((position, exc, None))
                continue
            input_hash = text_hash(self._resume_text(document, item))
            if logged is not None and logged == input_hash:
                output = planned.shown if planned is not None else None
                self.records.append(ItemRecord(item.source, "skipped", output, position=position))
                progress.advance()
                continue
            metadata = json.dumps(document.metadata, ensure_ascii=False)
            rows.append(_row(position, item.source, text=document.text, metadata=metadata))
            keys[position] = _Key(planned, item.source, None, input_hash)

    def _run_rows(
        self,
        rows: list[dict[str, Any]],
        keys: dict[int, _Key],
        sink: Sink,
        out: _InOrder,
        progress: Progress,
    ) -> None:
        pending = {row["position"]: row for row in rows}
        settings = self.pipeline.config
        options = self.options
        for attempt in range(1, ATTEMPTS + 1):
            try:
                for position, actor, outcome in outcomes(
                    list(pending.values()),
                    settings,
                    self.ray_options,
                    summarize=options.summarize,
                    encoding=options.encoding,
                ):
                    if pending.pop(position, None) is None:
                        continue  # a retried batch answered twice
                    if outcome.status == "fatal":
                        raise _fatal_error(outcome)
                    self.per_actor[actor] += outcome.status == "done"
                    out.put(
                        position, partial(self._outcome, position, outcome, keys[position], sink)
                    )
                    progress.advance()
                reason = "Ray returned no answer for it"
                break
            except (RingkasError, KeyboardInterrupt):
                raise
            except Exception as exc:
                if stopping.requested():  # Ctrl-C, as some Ray versions pass it on
                    raise KeyboardInterrupt from exc
                if not isinstance(exc, ray.exceptions.RayError):
                    raise
                reason = f"the Ray job failed: {_first_line(exc)}"
                keep_log(self.log)
                if not isinstance(exc, _RETRYABLE):
                    break
                if attempt < ATTEMPTS:
                    self.warn(
                        f"an actor was lost ({_first_line(exc)}); {len(pending)} articles go to "
                        f"new actors (attempt {attempt + 1} of {ATTEMPTS})"
                    )
        if pending:
            if self.log:
                self.say(f"Ray's own messages are in {self.log}")
            for position in pending:
                key = keys[position]
                error = InputError(f"{key.source}: not done: {reason}", source=key.source)
                out.put(
                    position, partial(self._failed, error, sink, key.record_id, position=position)
                )

    def _outcome(self, position: int, outcome: Outcome, key: _Key, sink: Sink) -> None:
        if outcome.status == "skipped":
            output = key.planned.shown if key.planned is not None else None
            self.records.append(ItemRecord(key.source, "skipped", output, position=position))
        elif outcome.status == "failed" or outcome.result is None:
            error = InputError(outcome.error or f"{key.source}: failed", source=key.source)
            self._failed(error, sink, key.record_id, position=position)
        else:
            folder_key = None
            if key.planned is not None:
                input_hash = key.input_hash or outcome.input_sha256
                folder_key = (key.planned, key.source, input_hash)
            self._handle(None, outcome.result, folder_key, sink, position=position)


@dataclass(frozen=True)
class _Key:
    """What the driver keeps of each row to write its result."""

    planned: Planned | None
    source: str
    record_id: Any  # a JSON line's id
    input_hash: str | None = None  # a link's, as the driver read it (else the actor's)


ROW_SCHEMA = pyarrow.schema(
    [
        ("position", pyarrow.int64()),
        ("source", pyarrow.string()),
        ("data", pyarrow.binary()),  # a file's bytes, decoded in the actor
        ("html", pyarrow.bool_()),
        ("text", pyarrow.string()),  # a link's or a JSON line's text
        ("metadata", pyarrow.string()),  # JSON
        ("expect", pyarrow.string()),  # the input hash of a result still in place
    ]
)


def _row(
    position: int,
    source: str,
    *,
    data: bytes | None = None,
    html: bool = False,
    text: str | None = None,
    metadata: str | None = None,
    expect: str | None = None,
) -> dict[str, Any]:
    return {
        "position": position,
        "source": source,
        "data": data,
        "html": html,
        "text": text,
        "metadata": metadata,
        "expect": expect,
    }


def _fatal_error(outcome: Outcome) -> RingkasError:
    """The error that stops the whole job (a model missing on a node...), with its exit code."""
    kinds = {cls.__name__: cls for cls in (ModelUnavailableError, UsageError, RingkasError)}
    return kinds.get(outcome.error_type or "", RingkasError)(outcome.error or "an actor failed")
