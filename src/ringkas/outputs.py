"""Where results go: stdout, one file, or a folder mirroring the inputs (resumable)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from ringkas.errors import RingkasError, UsageError
from ringkas.export import render, write_atomic
from ringkas.result import Result

SUFFIXES = {"text": ".txt", "markdown": ".md", "json": ".json"}
STATE_FILE = ".ringkas-state.jsonl"


def error_record(source: str, error: RingkasError, record_id: Any = None) -> dict[str, Any]:
    """A failed input as a JSON Lines record, so a pipeline sees which inputs failed."""
    record: dict[str, Any] = {"schema_version": 1, "source": source}
    if record_id is not None:
        record["id"] = record_id
    record["error"] = {"code": error.exit_code.name.lower(), "message": error.one_line()}
    return record


class Sink(Protocol):
    """Receives results (and failures) in input order."""

    def result(self, result: Result, key: Any) -> str | None:
        """Write one result; returns where it went, when that is a file of its own."""
        ...

    def failure(self, source: str, error: RingkasError, record_id: Any = None) -> None: ...

    def close(self) -> None: ...


class StreamSink:
    """Results on a text stream, in the chosen format; a JSON list is closed even when the
    run is interrupted, so what was written is always valid."""

    def __init__(
        self, stream: IO[str], fmt: str, *, many: bool, console: Any = None, explain: bool = False
    ) -> None:
        self.stream = stream
        self.fmt = fmt
        self.many = many
        self.console = console  # a rich Console for panels on a terminal
        self.explain = explain
        self.count = 0

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def result(self, result: Result, key: Any) -> str | None:
        if self.console is not None:
            from ringkas.render import result_panel

            self.console.print(result_panel(result, explain=self.explain))
        elif self.fmt == "jsonl":
            self._write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        elif self.fmt == "json" and self.many:
            body = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
            self._write(("[\n" if self.count == 0 else ",\n") + _indent(body))
        elif self.fmt == "markdown" and self.many and self.count:
            self._write("\n---\n\n" + render([result], self.fmt, explain=self.explain))
        elif self.fmt == "text" and self.many:
            self._write(f"{'' if self.count == 0 else chr(10)}==> {result.source} <==\n")
            self._write(render([result], self.fmt, explain=self.explain))
        else:
            self._write(render([result], self.fmt, explain=self.explain))
        self.count += 1
        return None

    def failure(self, source: str, error: RingkasError, record_id: Any = None) -> None:
        if self.fmt == "jsonl":
            record = error_record(source, error, record_id)
            self._write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self.fmt == "json" and self.many and self.console is None:
            self._write("[]\n" if self.count == 0 else "\n]\n")


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


class FileSink(StreamSink):
    """Results in one file, written to a temporary file and renamed at the end."""

    def __init__(self, path: Path, fmt: str, *, many: bool, explain: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self.path, self.tmp = path, Path(tmp)
        stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        super().__init__(stream, fmt, many=many, explain=explain)

    def close(self) -> None:
        super().close()
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        if self.count == 0 and not self.many:
            self.tmp.unlink(missing_ok=True)  # nothing to write: leave no empty file
            return
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(self.tmp, 0o666 & ~mask)
        os.replace(self.tmp, self.path)


@dataclass(frozen=True)
class Planned:
    """Where one input's result goes in an output folder."""

    output: Path
    relative: str


def plan_outputs(
    items: list[Any], out_dir: Path, fmt: str, input_paths: list[Path]
) -> dict[int, Planned]:
    """Map each input (by position) to its output file, refusing before any work starts an
    output folder inside an input folder or two inputs that would write the same file."""
    out = out_dir.resolve()
    for path in input_paths:
        folder = path.resolve()
        if folder.is_dir() and (out == folder or folder in out.parents):
            raise UsageError(
                f"the output folder {out_dir} is inside the input folder {path}",
                hint="choose an output folder outside the articles",
            )
    suffix = SUFFIXES[fmt]
    plan: dict[int, Planned] = {}
    taken: dict[Path, str] = {}
    for index, item in enumerate(items):
        relative = Path(item.relative).with_suffix(suffix)
        target = out / relative
        if item.path is not None and target == Path(item.path).resolve():
            raise UsageError(f"the output for {item.source} would overwrite it")
        if target in taken:
            raise UsageError(
                f"{taken[target]} and {item.source} would both be written to {target}",
                hint="rename one of them or run them separately",
            )
        taken[target] = item.source
        plan[index] = Planned(target, relative.as_posix())
    return plan


def clear_debris(plan: dict[int, Planned]) -> None:
    """Remove temporary files a killed run left beside the outputs it was writing."""
    for planned in plan.values():
        folder = planned.output.parent
        if folder.is_dir():
            for leftover in folder.glob(f".{planned.output.name}.*.tmp"):
                leftover.unlink(missing_ok=True)


def fingerprint(settings: dict[str, Any]) -> str:
    """A short hash of the settings that shape a result: resume redoes an article when
    they change."""
    text = json.dumps(settings, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StateLog:
    """An append-only log in the output folder of what was written from which input, with
    which settings; rerunning a job skips inputs whose output is still what was logged."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / STATE_FILE
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            lines = self.path.read_text("utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                entry = json.loads(line)
                self.entries[entry["output"]] = entry
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a kill: that article is simply redone

    def is_current(self, planned: Planned, input_hash: str, settings_hash: str) -> bool:
        entry = self.entries.get(planned.relative)
        if not entry or entry.get("input_sha256") != input_hash:
            return False
        if entry.get("settings") != settings_hash:
            return False
        try:
            data = planned.output.read_bytes()
        except OSError:
            return False
        return hashlib.sha256(data).hexdigest() == entry.get("output_sha256")

    def record(self, planned: Planned, source: str, input_hash: str, settings_hash: str) -> None:
        entry = {
            "output": planned.relative,
            "source": source,
            "input_sha256": input_hash,
            "settings": settings_hash,
            "output_sha256": hashlib.sha256(planned.output.read_bytes()).hexdigest(),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.entries[planned.relative] = entry


class FolderSink:
    """One file per result in an output folder, written atomically, logged for resume."""

    def __init__(
        self, fmt: str, state: StateLog, settings_hash: str, *, explain: bool = False
    ) -> None:
        self.fmt = fmt
        self.state = state
        self.settings_hash = settings_hash
        self.explain = explain

    def result(self, result: Result, key: Any) -> str | None:
        planned, source, input_hash = key
        write_atomic(planned.output, render([result], self.fmt, explain=self.explain))
        self.state.record(planned, source, input_hash, self.settings_hash)
        return str(planned.output)

    def failure(self, source: str, error: RingkasError, record_id: Any = None) -> None:
        pass

    def close(self) -> None:
        pass
